import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agent, consumer, eventually, newComplaintBody, secondsPolicy, startTestService, supervisor, type TestService,
} from '../support/service';
import { expectAccessible } from './support/axe';
import { People, screenshot } from './support/people';

/**
 * The reports' what-if and quarterly views, in a real browser: two cases under a policy of
 * seconds, one acknowledged late and one at once; a supervisor asks what a looser
 * acknowledgement would have changed (the late one flips, and the self-check agrees with every
 * recorded breach), then gives a bad duration (the API's refusal under the policy) and text
 * that is not JSON (refused in the browser, nothing sent). Then the quarter's months side by
 * side. Every new screen passes axe.
 */
describe('the what-if and the quarterly report, on the screens', () => {
  let service: TestService;
  let people: People;
  const ids: { late?: string; prompt?: string } = {};
  const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  // Dates are read as midnight UTC by the API: today (UTC) to the day after tomorrow covers the cases opened now.
  const period = { from: day(0), to: day(2) };

  beforeAll(async () => {
    service = await startTestService({
      SLA_POLICY_FILE: secondsPolicy({
        acknowledge: '2s', investigate: '1h', plan: '1h', feedback: '1h', resolve: '6h', revisit: '1h', consumerReply: '1h', reopen: '10m',
      }),
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    people = await People.start(() => service.apiUrl);
  });
  afterAll(async () => {
    await people?.stop();
    await service?.stop();
  });

  const person = (username: string, returnTo: string) => people.person(username, returnTo);
  const opened = async (product: string) => {
    const res = await service.api.post('/api/v1/complaints', newComplaintBody({ productName: product, locale: 'en' }), consumer('consumer-1'));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const acknowledge = async (id: string) => {
    const res = await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  /** The candidate in the textarea, with the general acknowledgement changed. */
  const withAcknowledge = async (policy: Locator, value: string) => {
    const candidate = JSON.parse(await policy.inputValue());
    candidate.policies.general.acknowledge = value;
    await policy.fill(JSON.stringify(candidate, null, 2));
  };

  it('a looser acknowledgement: the late case flips, and every case reproduces its recorded breaches', async () => {
    ids.late = await opened(`Kettle ${Date.now().toString(36)}`);
    ids.prompt = await opened(`Toaster ${Date.now().toString(36)}`);
    await acknowledge(ids.prompt);
    await new Promise((r) => setTimeout(r, 3_000));
    await acknowledge(ids.late);
    // The screen shows what the API answers: wait until the read model holds the late breach.
    const own = (await service.api.get('/api/v1/sla-policy', supervisor)).body.policy;
    await eventually(async () => {
      const res = await service.api.post('/api/v1/reports/what-if', { policy: { ...own, policies: { general: { ...own.policies.general, acknowledge: '10s' } } }, ...period }, supervisor);
      return res.body.flips?.total === 1 && res.body.selfCheck?.agreeing === 2 ? true : null;
    }, 20_000);

    const page = await person('supervisor-1', '/console/reports?view=what-if');
    const policy = page.getByLabel('Candidate SLA policy (JSON)');
    await expect.poll(() => policy.inputValue()).toContain('"acknowledge": "2s"');
    // The default period: the last full quarter (both dates filled in).
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toMatch(/^\d{4}-\d{2}-01$/);
    await page.getByLabel('From', { exact: true }).fill(period.from);
    await page.getByLabel('To', { exact: true }).fill(period.to);
    await withAcknowledge(policy, '10s');
    expect(await page.getByText('A quarter of cases can take up to a minute.').isVisible()).toBe(true);
    await expectAccessible(page, 'the what-if question');
    await page.getByRole('button', { name: 'Run what-if' }).click();

    const flips = page.getByRole('region', { name: /Outcomes that change/ });
    await expect.poll(() => flips.textContent(), { timeout: 30_000 }).toMatch(new RegExp(`Outcomes that change \\(1\\).*${ids.late}.*Acknowledgement.*Breached.*Met`, 's'));
    expect(await flips.textContent()).not.toContain(ids.prompt);
    expect(await flips.getByRole('link', { name: ids.late }).getAttribute('href')).toBe(`/console/complaints/${ids.late}`);
    const answer = page.getByRole('region', { name: 'What the candidate would have changed' });
    expect(await answer.textContent()).toMatch(/2\s*Cases compared.*1 → 0\s*Missed deadlines, now → candidate/s);
    expect(await page.getByRole('region', { name: 'By stage and severity' }).textContent()).toMatch(/Acknowledgement\s*General\s*2\s*1\s*0\s*50%\s*100%/);
    expect(await page.getByRole('region', { name: 'Self-check' }).textContent()).toContain('All 2 cases reproduce their recorded breaches.');
    // The period is in the URL, as in the other views.
    const url = new URL(page.url());
    expect([url.searchParams.get('view'), url.searchParams.get('from'), url.searchParams.get('to')]).toEqual(['what-if', period.from, period.to]);
    await expectAccessible(page, 'the what-if answer');
    await screenshot(page, 'console-what-if');

    // A bad duration: the API's refusal, under the policy, by its path in the policy.
    await withAcknowledge(policy, 'soon');
    await page.getByRole('button', { name: 'Run what-if' }).click();
    await expect.poll(() => policy.getAttribute('aria-invalid')).toBe('true');
    const errors = page.locator('.field-errors');
    expect(await errors.textContent()).toMatch(/The service refused this policy: 1 field to fix\.\s*policies\.general\.acknowledge: a duration such as "90s", "15m", "24h" or "7d"/);
    expect(await page.getByRole('region', { name: 'What the candidate would have changed' }).count()).toBe(0);
    await expectAccessible(page, 'the refused policy');

    // Text that is not JSON: refused in the browser, and nothing is sent.
    const sent: string[] = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/v1/reports/what-if')) sent.push(r.method()); });
    await policy.fill('{ "policies": { "general": { "acknowledge": "12h" }');
    await page.getByRole('button', { name: 'Run what-if' }).click();
    await expect.poll(() => errors.textContent()).toMatch(/This is not valid JSON, so nothing was sent: /);
    expect(await policy.getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);
  });

  it('the quarter\'s three months side by side, with its cases', async () => {
    const page = await person('supervisor-1', '/console/reports?view=quarterly');
    const table = page.getByRole('region', { name: 'The months side by side' }).getByRole('table');
    await expect.poll(() => table.isVisible()).toBe(true);
    const now = new Date();
    const first = Math.floor(now.getUTCMonth() / 3) * 3;
    const months = [0, 1, 2].map((i) => new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(new Date(Date.UTC(now.getUTCFullYear(), first + i, 1))));
    const quarter = `Q${first / 3 + 1} ${now.getUTCFullYear()}`;
    expect(await table.locator('thead th').allTextContents()).toEqual(['Figure', ...months, quarter]);
    // The two cases, received this month: its column and the quarter's count them.
    const cases = await table.getByRole('row', { name: /^Cases/ }).locator('td').allTextContents();
    expect(cases).toEqual(months.map((_, i) => (i === now.getUTCMonth() - first ? '2' : '0')).concat('2'));
    expect(await table.getByRole('row', { name: /SLA compliance: Acknowledgement/ }).locator('td').last().textContent()).toBe('50% (1/2)');
    expect(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(`/api/v1/reports/quarterly?quarter=${now.getUTCFullYear()}-Q${first / 3 + 1}&format=csv`);
    expect(await page.getByRole('heading', { name: `The whole quarter: ${quarter}` }).isVisible()).toBe(true);
    await expectAccessible(page, 'the quarterly report');
    await screenshot(page, 'console-quarterly');
  });

  it('an agent is refused the what-if (the API answers 403)', async () => {
    const page = await person('agent-1', '/console/reports?view=what-if');
    await expect.poll(() => page.locator('main').textContent()).toMatch(/You are not allowed to do this/);
    expect(await page.getByLabel('Candidate SLA policy (JSON)').count()).toBe(0);
  });
});
