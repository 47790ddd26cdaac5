import type { Client } from '@temporalio/client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import {
  agent, consumer, eventually, newComplaintBody, ops, startTestService, testClient, type TestService,
} from '../support/service';
import { expectAccessible } from './support/axe';
import { People, screenshot } from './support/people';

/**
 * Erasing a case's personal data, on the screens, in a real browser: the owner of a withdrawn
 * case erases it from the portal (refused until they tick the box), is told it is done, and no
 * longer finds the case; ops erase another withdrawn case from the console with a reason (an
 * empty one is asked for in the form, a too-short one is the API's refusal, and neither erases
 * anything), and the console then says the case was erased and shows its markers; an agent is
 * offered no erasure. Every new screen passes axe.
 */
describe('erasing personal data, on the screens', () => {
  let service: TestService;
  let temporal: Client;
  let people: People;
  const owner = 'consumer-1';

  beforeAll(async () => {
    service = await startTestService({ RATE_LIMIT_PER_MINUTE: '100000' });
    temporal = await testClient(service.mongoUri);
    people = await People.start(() => service.apiUrl);
  });
  afterAll(async () => {
    await people?.stop();
    await temporal?.connection.close();
    await service?.stop();
  });

  const person = (username: string, returnTo: string) => people.person(username, returnTo);
  const stored = async (id: string) => (await service.api.get(`/api/v1/complaints/${id}`, ops)).body;
  const opened = async (body: Record<string, unknown>, by = owner) => {
    const res = await service.api.post('/api/v1/complaints', newComplaintBody({ locale: 'en', ...body }), consumer(by));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  /** A case its owner withdrew through the API, its workflow run ended (so the erasure answers `erased`). */
  const withdrawn = async (body: Record<string, unknown>, by = owner) => {
    const id = await opened(body, by);
    const res = await service.api.post(`/api/v1/complaints/${id}/withdraw`, { reason: 'Sorted it out with the shop.' }, consumer(by));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await eventually(async () => ((await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).status.name === 'COMPLETED' ? true : null), 20_000);
    return id;
  };
  /** The requests the page makes to `url` (method and path), from now on. */
  const requestsTo = (page: Page, pathname: string) => {
    const seen: string[] = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname === pathname) seen.push(r.method()); });
    return seen;
  };
  const main = (page: Page) => page.locator('main');

  it('the owner erases their withdrawn case from the portal: refused until confirmed, then told it is done; the case is gone for them', async () => {
    const product = `Hair dryer ${Date.now().toString(36)}`;
    const kept = `Desk lamp ${Date.now().toString(36)}`;
    const keptId = await opened({ productName: kept });
    const id = await withdrawn({ productName: product, contact: { name: 'Ouyang Lan', phone: '+86 139 2222 0303', email: 'ouyang.lan@example.org' } });
    expect((await service.api.get(`/api/v1/complaints/${keptId}`, consumer(owner))).status).toBe(200);

    const portal = await person(owner, `/complaints/${id}`);
    const panel = portal.getByRole('region', { name: 'Delete my personal data' });
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await panel.textContent()).toMatch(
      /Your name, phone number, e-mail, order number and everything you wrote are erased everywhere we keep them, including our workflow records\..*Figures without your data.*stay\..*You will no longer see this complaint.*This cannot be undone\./s,
    );
    const box = panel.getByLabel('I understand that my personal data in this complaint will be erased for good.');
    expect(await box.isChecked()).toBe(false);
    await expectAccessible(portal, 'the erase panel');
    await screenshot(portal, 'portal-erasure');

    // Not confirmed: refused in the browser, nothing sent, nothing erased.
    const erasures = requestsTo(portal, `/api/v1/complaints/${id}/erasure`);
    await panel.getByRole('button', { name: 'Erase my personal data' }).click();
    await expect.poll(() => box.getAttribute('aria-invalid')).toBe('true');
    expect(await panel.textContent()).toContain('Tick the box to confirm first.');
    expect(erasures).toEqual([]);
    expect((await stored(id)).erasedAt).toBeUndefined();
    await expectAccessible(portal, 'the erase panel, not confirmed');

    // Confirmed: one request, then the confirmation in place of the case, and a way home.
    await box.check();
    expect(await box.getAttribute('aria-invalid')).toBeNull();
    await panel.getByRole('button', { name: 'Erase my personal data' }).click();
    const done = portal.getByRole('heading', { name: 'Your personal data was erased', level: 1 });
    await expect.poll(() => done.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(erasures).toEqual(['POST']);
    const erasedAt = (await stored(id)).erasedAt as string;
    expect(erasedAt).toEqual(expect.any(String));
    expect(await main(portal).textContent()).toMatch(/Erased on .*\d{2}:\d{2}.*the complaint no longer appears in your account/s);
    expect(await main(portal).locator('time').getAttribute('datetime')).toBe(erasedAt);
    expect(await portal.title()).toContain('Your personal data was erased');
    await expectAccessible(portal, 'the erasure confirmation');

    // The page no longer asks for the case (it is 404 for its owner now), and does not fail.
    const caseReads = requestsTo(portal, `/api/v1/complaints/${id}`);
    await portal.waitForTimeout(2_500);
    expect(caseReads).toEqual([]);
    expect(await done.isVisible()).toBe(true);
    expect((await service.api.get(`/api/v1/complaints/${id}`, consumer(owner))).status).toBe(404);
    // Staff still see the case, with its markers.
    expect(await stored(id)).toMatchObject({ erasedAt, contact: { name: '[erased]' }, orderId: '[erased]', description: '[erased]', status: 'withdrawn' });

    // Home: their other case is listed, the erased one is not.
    await portal.getByRole('link', { name: 'Back to my complaints' }).click();
    await portal.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => main(portal).textContent()).toContain(kept);
    expect(await main(portal).textContent()).not.toContain(product);
    // Their open case offers no erasure (the API does not list it for an open case).
    await portal.getByRole('link', { name: kept }).click();
    await expect.poll(() => portal.getByRole('heading', { name: kept, level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => main(portal).textContent()).toMatch(/Withdraw the complaint/);
    expect(await portal.getByRole('region', { name: 'Delete my personal data' }).count()).toBe(0);
    // Opened again by its address: not found, and no erase panel.
    await portal.goto(`${service.apiUrl}/complaints/${id}`);
    await expect.poll(() => main(portal).textContent()).toContain('Not found');
    expect(await portal.getByRole('region', { name: 'Delete my personal data' }).count()).toBe(0);
    expect(await main(portal).textContent()).not.toContain(product);
  });

  it('ops erase a withdrawn case from the console with a reason; the console shows the erased banner and markers; an agent is offered nothing', async () => {
    const product = `Rice cooker ${Date.now().toString(36)}`;
    const id = await withdrawn({ productName: product, contact: { name: 'Situ Keping', phone: '+86 137 4444 0505', email: 'situ.keping@example.org' } }, 'consumer-3');

    // An agent: the case, and no erasure anywhere on it.
    const desk = await person('agent-1', `/console/complaints/${id}`);
    await expect.poll(() => desk.getByRole('heading', { name: product, level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => desk.getByRole('region', { name: 'Customer' }).textContent()).toContain('Situ Keping');
    expect(await desk.getByRole('region', { name: 'Erase personal data' }).count()).toBe(0);
    expect(await desk.getByRole('button', { name: /Erase/ }).count()).toBe(0);

    const page = await person('ops-1', `/console/complaints/${id}`);
    const panel = page.getByRole('region', { name: 'Erase personal data' });
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await panel.textContent()).toMatch(/including the workflow's history.*This cannot be undone\./s);
    // The actions panel offers no form or button of its own for it.
    const actions = page.getByRole('region', { name: 'What you can do now' });
    expect(await actions.textContent()).toContain('Nothing for you to do on this case now.');
    expect(await actions.getByRole('button').count()).toBe(0);
    expect(await page.locator('.alert', { hasText: 'Personal data erased on' }).count()).toBe(0);

    const erasures = requestsTo(page, `/api/v1/ops/complaints/${id}/erase`);
    const reason = panel.getByLabel('Reason *');
    const start = panel.getByRole('button', { name: 'Erase personal data…' });
    // No reason: asked for in the form, nothing sent.
    await start.click();
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect(await panel.textContent()).toContain('Give the reason for the erasure.');
    expect(await panel.getByRole('button', { name: 'Yes, erase' }).count()).toBe(0);
    expect(erasures).toEqual([]);
    await expectAccessible(page, 'the erasure form with a missing reason');

    // Too short: the API's refusal next to the field, and nothing erased.
    await reason.fill('ok');
    expect(await reason.getAttribute('aria-invalid')).toBeNull();
    await start.click();
    expect(await panel.getByRole('alert').textContent()).toContain(`Erase the personal data of case ${id}?`);
    await panel.getByRole('button', { name: 'Yes, erase' }).click();
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect(await panel.locator('.field-error').textContent()).toContain('at least 3 characters');
    expect(erasures).toEqual(['POST']);
    expect((await stored(id)).erasedAt).toBeUndefined();

    // A reason, confirmed: erased.
    await reason.fill('The customer asked by phone (call 2026-117).');
    await start.click();
    await expectAccessible(page, 'the erasure form, confirming');
    await panel.getByRole('button', { name: 'Yes, erase' }).click();
    const banner = page.locator('.alert', { hasText: 'Personal data erased on' });
    await expect.poll(() => banner.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(erasures).toEqual(['POST', 'POST']);
    const after = await stored(id);
    expect(after.erasedAt).toEqual(expect.any(String));
    expect(await banner.locator('time').getAttribute('datetime')).toBe(after.erasedAt);
    expect(await banner.textContent()).toMatch(/Personal data erased on .*\d{2}:\d{2}.*read \[erased\]/s);
    const contact = page.getByRole('region', { name: 'Customer' });
    await expect.poll(() => contact.textContent()).toContain('[erased]');
    expect(await contact.textContent()).not.toMatch(/Situ Keping|situ\.keping|4444/);
    expect(await page.getByRole('region', { name: 'The complaint' }).textContent()).toContain('[erased]');
    // Erased already: the API no longer lists the action, so the form is gone.
    await expect.poll(() => panel.count()).toBe(0);
    expect((after.actions as Array<{ type: string }>).map((a) => a.type)).not.toContain('erasePersonalData');
    // The audit log, in the ops panel: who erased it and why.
    await expect.poll(() => page.getByRole('region', { name: 'Workflow' }).textContent()).toMatch(/erase_personal_data · ops:ops-1.*The customer asked by phone \(call 2026-117\)\./s);
    await expectAccessible(page, 'the erased case in the console');
    await screenshot(page, 'console-erased');

    // The agent's open page follows: the banner and the markers, without a reload.
    await expect.poll(() => desk.locator('.alert', { hasText: 'Personal data erased on' }).isVisible()).toBe(true);
    await expect.poll(() => desk.getByRole('region', { name: 'Customer' }).textContent()).toContain('[erased]');
    expect((await service.api.get(`/api/v1/complaints/${id}`, agent)).body.contact).toEqual({ name: '[erased]' });
  });
});
