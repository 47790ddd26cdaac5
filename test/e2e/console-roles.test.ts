import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findings, HandlerServer } from '../support/handler-server';
import { agent, consumer, newComplaintBody, secondsPolicy, startTestService, type TestService } from '../support/service';
import { expectAccessible } from './support/axe';
import { People } from './support/people';

const legalSecret = 'legal-secret-0123456789abc';

/**
 * The console by role, in a real browser against a service whose acknowledge deadline is
 * 40 s (at risk after 32 s): a badge turning from on track to at risk to breached as the
 * deadline passes, with no reload; a supervisor escalating from the at-risk tile; ops retrying
 * a case whose legal handler kept failing, the agent's open page showing the handler's answer;
 * both languages; and axe on every page not covered by the journey.
 */
describe('the console by role', () => {
  const handlers = new HandlerServer({ '/legal': legalSecret });
  let legalUp = false;
  let service: TestService;
  let people: People;

  beforeAll(async () => {
    handlers.on('/legal', () => (legalUp ? findings('The advert overstated the capacity.') : { status: 503, body: { detail: 'legal archive offline' } }));
    const base = await handlers.start();
    service = await startTestService({
      SLA_POLICY_FILE: secondsPolicy({ acknowledge: '40s', investigate: '1h', plan: '1h', feedback: '1h', resolve: '2h', revisit: '1h' }),
      HANDLER_LEGAL_URL: `${base}/legal`, HANDLER_LEGAL_HMAC_SECRET: legalSecret,
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    people = await People.start(() => service.apiUrl);
  });
  afterAll(async () => {
    await people?.stop();
    await service?.stop();
    await handlers.stop();
  });
  const person = (username: string, returnTo: string, locale = 'en-GB') => people.person(username, returnTo, { locale });
  const open = async (body: Record<string, unknown>) => (await service.api.post('/api/v1/complaints', newComplaintBody(body), consumer('consumer-2'))).body.id as string;

  it('a badge goes from on track to at risk to breached as the deadline passes; a supervisor escalates from the at-risk tile', async () => {
    const product = `Rice cooker ${Date.now().toString(36)}`;
    const queue = await person('agent-1', '/console/queue');
    const overview = await person('supervisor-1', '/console/supervisor');
    await expectAccessible(overview, 'the supervisor overview');
    const id = await open({ productName: product });
    const badge = queue.locator('tbody tr', { hasText: product }).locator('[data-sla]');
    await expect.poll(() => badge.getAttribute('data-sla'), { timeout: 10_000 }).toBe('on_track');
    expect(await badge.textContent()).toBe('On track');
    await expect.poll(() => badge.getAttribute('data-sla'), { timeout: 40_000, interval: 250 }).toBe('at_risk');
    expect(await badge.textContent()).toBe('At risk');

    // The tile counts it; it opens the queue filtered to at-risk cases (the filter in the URL).
    const tile = overview.getByRole('link', { name: /At risk/ });
    await expect.poll(async () => Number(/\d+/.exec((await tile.textContent()) ?? '')?.[0] ?? 0), { timeout: 5000 }).toBeGreaterThan(0);
    await tile.click();
    await overview.waitForURL(/\/console\/queue\?.*atRisk=true/);
    await overview.locator('tbody tr', { hasText: product }).getByRole('link', { name: product }).click();
    await overview.getByLabel('Reason *').fill('Customer called twice; acknowledge now.');
    await overview.getByRole('button', { name: 'Escalate' }).click();
    await expect.poll(async () => (await service.api.get(`/api/v1/complaints/${id}`, agent)).body.escalationLevel).toBe(2);
    const escalation = overview.getByRole('region', { name: 'Escalation' });
    await expect.poll(() => escalation.textContent()).toMatch(/Level 1 → 2.*Customer called twice/s);
    await expectAccessible(overview, 'the supervisor\'s case page');

    // Past the deadline: breached, by how long, on the queue that was open all along.
    await expect.poll(() => badge.getAttribute('data-sla'), { timeout: 15_000, interval: 250 }).toBe('breached');
    expect(await badge.textContent()).toMatch(/^Breached by /);
    // The platform's own escalation, in words: the missed stage, not the sentence it logs.
    await expect.poll(() => escalation.textContent(), { timeout: 15_000 }).toMatch(/Level 2 → 3.*Acknowledgement deadline missed/s);
    expect(await escalation.textContent()).not.toMatch(/was missed/);
  });

  it('ops retries a case whose legal handler kept failing; the agent\'s open case page shows the answer', async () => {
    const product = `Air fryer ${Date.now().toString(36)}`;
    const id = await open({ productName: product, category: 'false_advertising' });
    expect((await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent)).status).toBe(200);
    const casePage = await person('agent-1', `/console/complaints/${id}`);
    const ops = await person('ops-1', '/console/ops');
    const row = ops.locator('li.stuck', { hasText: id.slice(0, 8) });
    // Stuck once the call has failed three times (1 s, 2 s apart): the page lists it with why.
    try {
      await expect.poll(async () => {
        await ops.reload();
        // The list is loaded once it says how many it found (or that nothing is stuck).
        await ops.getByText(/\d+ found|Nothing is stuck/).first().waitFor();
        return row.count();
      }, { timeout: 30_000, interval: 1000 }).toBe(1);
    } catch (err) {
      const stuck = (await service.api.get('/api/v1/ops/stuck', { role: 'ops', sub: 'o1' })).body;
      console.log('DEBUG stuck', JSON.stringify(stuck).slice(0, 1500), (await ops.locator('main').textContent())?.slice(0, 1500));
      throw err;
    }
    expect(await row.textContent()).toMatch(/legal archive offline/);
    await expectAccessible(ops, 'the ops page');
    expect(await casePage.locator('main').textContent()).toMatch(/legal archive offline/);

    legalUp = true;
    await row.getByRole('button', { name: 'Retry…' }).first().click();
    await row.getByLabel('Reason *').fill('Legal archive is back online.');
    await row.getByRole('button', { name: 'Retry…' }).last().click();
    await row.getByRole('button', { name: 'Yes, do it' }).click();
    await expect.poll(async () => (await service.api.get(`/api/v1/complaints/${id}`, agent)).body.status, { timeout: 15_000 }).toBe('planning');
    // Live: the agent's page shows legal's findings within 2 s of the workflow taking them.
    await expect.poll(() => casePage.locator('main').textContent(), { timeout: 2500, interval: 100 }).toContain('The advert overstated the capacity.');
  });

  it('renders in Chinese for a Chinese browser, and in English when switched', async () => {
    const queue = await person('agent-1', '/console/queue', 'zh-CN');
    await expect.poll(() => queue.getByRole('heading', { level: 1 }).textContent()).toBe('工单队列');
    expect(await queue.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expectAccessible(queue, 'the queue in Chinese');
    await queue.getByLabel('语言').selectOption('en');
    await expect.poll(() => queue.getByRole('heading', { level: 1 }).textContent()).toBe('Queue');
    expect(await queue.locator('html').getAttribute('lang')).toBe('en');

    const portal = await person('consumer-2', '/new', 'zh-CN');
    await expect.poll(() => portal.getByRole('heading', { level: 1 }).textContent()).toBe('提交投诉');
    await expectAccessible(portal, 'the complaint form in Chinese');
  });

  it('works from the keyboard alone: a consumer withdraws a case with Tab and Enter, and each control shows its focus', async () => {
    const product = `Toaster ${Date.now().toString(36)}`;
    const id = await open({ productName: product });
    const page = await person('consumer-2', `/complaints/${id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(product);
    /** Tabs until the focused element is the one named, at most 80 times; checks it shows a focus ring. */
    const tabTo = async (name: RegExp) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        // Runs in the page (DOM types; this file is checked with Node's): the focused control's name and ring.
        const focused = (await page.evaluate(`(() => {
          const el = document.activeElement;
          if (!el) return null;
          const style = getComputedStyle(el);
          const text = (el.textContent || el.getAttribute('aria-label') || el.labels?.[0]?.textContent || '').trim();
          return { text, ring: style.outlineStyle !== 'none' || style.boxShadow !== 'none' };
        })()`)) as { text: string; ring: boolean } | null;
        if (focused && name.test(focused.text)) return focused;
      }
      throw new Error(`${name} cannot be reached with Tab`);
    };
    expect((await tabTo(/^Withdraw…$/)).ring).toBe(true);
    await page.keyboard.press('Enter');
    await tabTo(/Why are you withdrawing it/);
    await page.keyboard.type('Solved it myself.');
    expect((await tabTo(/^Yes, withdraw$/)).ring).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await service.api.get(`/api/v1/complaints/${id}`, agent)).body.status).toBe('withdrawn');
    await expect.poll(() => page.locator('main').textContent()).toMatch(/You withdrew this complaint/);
  });

  it('every other page passes axe: my complaints, the reports, the staff and consumer notices', async () => {
    const portal = await person('consumer-2', '/');
    await expect.poll(() => portal.getByRole('heading', { level: 1 }).textContent()).toBe('My complaints');
    await expectAccessible(portal, 'my complaints');
    await portal.goto(`${service.apiUrl}/console`);
    await expect.poll(() => portal.getByRole('heading', { level: 1 }).textContent()).toBe('This is the staff console');
    await expectAccessible(portal, 'the console for a consumer');

    const reports = await person('supervisor-1', '/console/reports');
    await expect.poll(() => reports.getByRole('heading', { level: 1 }).textContent()).toBe('Reports');
    await expect.poll(() => reports.locator('main').textContent()).toMatch(/SLA compliance by stage/);
    await expectAccessible(reports, 'the reports');
    await reports.goto(`${service.apiUrl}/`);
    await expect.poll(() => reports.getByRole('heading', { level: 1 }).textContent()).toBe('This is the customer help centre');
    await expectAccessible(reports, 'the portal for staff');
  });
});
