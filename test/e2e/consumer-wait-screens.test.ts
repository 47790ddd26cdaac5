import type { Client } from '@temporalio/client';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import {
  agent, consumer, department, eventually, newComplaintBody, secondsPolicy, startTestService, testClient, type TestService,
} from '../support/service';
import { expectAccessible } from './support/axe';
import { People, screenshot } from './support/people';

/**
 * Waiting on the consumer and reopening, on the screens, in a real browser: an agent asks the
 * consumer a question from the console; the consumer sees it on their open case page and
 * answers it; both timelines show the question, the answer and the deadline it moved. Then a
 * case closed through the API (a policy of seconds, so the reopen window is short but open) is
 * reopened by the consumer from the portal, back in investigation, and the reports count it.
 * Every new screen passes axe.
 */
describe('waiting on the consumer, and reopening, on the screens', () => {
  let service: TestService;
  let temporal: Client;
  let people: People;
  const owner = 'consumer-1';

  beforeAll(async () => {
    service = await startTestService({
      SLA_POLICY_FILE: secondsPolicy({
        acknowledge: '1h', investigate: '2h', plan: '2h', feedback: '1h', resolve: '6h', revisit: '1h', consumerReply: '1h', reopen: '10m',
      }),
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    temporal = await testClient(service.mongoUri);
    people = await People.start(() => service.apiUrl);
  });
  afterAll(async () => {
    await people?.stop();
    await temporal?.connection.close();
    await service?.stop();
  });

  const person = (username: string, returnTo: string) => people.person(username, returnTo);
  const post = async (id: string, action: string, body: unknown, as: Parameters<TestService['api']['post']>[2]) => {
    const res = await service.api.post(`/api/v1/complaints/${id}/${action}`, body, as);
    expect(res.status, `POST ${action}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  const stored = async (id: string) => (await service.api.get(`/api/v1/complaints/${id}`, agent)).body;
  const opened = async (product: string) => {
    const res = await service.api.post('/api/v1/complaints', newComplaintBody({ productName: product, locale: 'en' }), consumer(owner));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const main = (page: Page) => page.locator('main');

  it('an agent asks from the console; the consumer answers on the portal; both timelines show the moved deadline', async () => {
    const product = `Steam iron ${Date.now().toString(36)}`;
    const id = await opened(product);
    await post(id, 'acknowledge', {}, agent);
    const before = (await stored(id)).deadlines;

    const console_ = await person('agent-1', `/console/complaints/${id}`);
    const portal = await person(owner, `/complaints/${id}`);
    await expect.poll(() => console_.getByRole('heading', { name: 'Ask the customer' }).isVisible()).toBe(true);
    // The server's refusal next to its field: an empty question.
    await console_.getByRole('button', { name: 'Send the question' }).click();
    await expect.poll(() => console_.getByLabel('Question *').getAttribute('aria-invalid')).toBe('true');
    await console_.getByLabel('Question *').fill('Does the iron leak with distilled water too? Please send a photo of the soleplate.');
    await console_.getByRole('button', { name: 'Add an item' }).click();
    await console_.getByLabel('Item 1').fill('A photo of the soleplate');
    await console_.getByRole('button', { name: 'Add an item' }).click();
    await console_.getByLabel('Item 2').fill('The water you used');
    await expectAccessible(console_, 'the question form');
    await console_.getByRole('button', { name: 'Send the question' }).click();
    await expect.poll(async () => (await stored(id)).status).toBe('awaiting_consumer');
    const asked = await stored(id);
    expect(asked.informationRequests).toMatchObject([{ status: 'open', needed: ['A photo of the soleplate', 'The water you used'] }]);

    // The agent's page: the clocks the question stopped, the question, nothing more to ask.
    const deadlines = console_.getByRole('region', { name: 'Deadlines' });
    await expect.poll(() => deadlines.textContent()).toMatch(/Investigation.*Paused.*Paused until the customer answers/s);
    await expect.poll(() => console_.getByRole('region', { name: 'Questions to the customer' }).textContent()).toMatch(/Waiting for answer.*Does the iron leak/s);
    expect(await console_.getByRole('heading', { name: 'Ask the customer' }).count()).toBe(0);

    // The consumer's open page follows: the question, what to send, until when (the case's zone).
    const question = portal.getByRole('region', { name: 'We need more information' });
    await expect.poll(() => question.isVisible()).toBe(true);
    expect(await question.textContent()).toMatch(/Does the iron leak.*A photo of the soleplate.*The water you used.*Please answer by .*GMT\+8/s);
    expect(await main(portal).textContent()).toMatch(/We need more information from you: please answer our question by .*GMT\+8/);
    expect(await portal.locator('.page-head').textContent()).toContain('Awaiting customer information');
    await expectAccessible(portal, 'the open question on the portal');
    await screenshot(portal, 'portal-question');

    await portal.getByLabel('Your answer *').fill('Yes, with distilled water too. The photo shows the drops on the soleplate.');
    await portal.getByRole('button', { name: 'Add a link' }).click();
    await portal.getByLabel('Link 1').fill('https://photos.example.com/soleplate.jpg');
    await portal.getByRole('button', { name: 'Send answer' }).click();
    await expect.poll(async () => (await stored(id)).status).toBe('investigating');
    const answered = await stored(id);
    expect(answered.informationRequests).toMatchObject([{ status: 'answered', answer: { evidence: ['https://photos.example.com/soleplate.jpg'] } }]);
    const received = answered.timeline.find((e: { type: string }) => e.type === 'information_received');
    expect(received.data.deadlines.investigate).toEqual({ from: before.investigate, to: answered.deadlines.investigate });
    expect(Date.parse(answered.deadlines.investigate)).toBeGreaterThan(Date.parse(before.investigate));

    // Both timelines: the question with its answer-by time, the answer and the deadlines it moved.
    const history = (page: Page) => page.getByRole('region', { name: 'History' });
    for (const page of [portal, console_]) {
      await expect.poll(() => history(page).textContent()).toMatch(
        /Information received.*“Yes, with distilled water too\..*” — clock paused for .*; Investigation deadline moved to .*GMT\+8; Resolution \(overall\) deadline moved to .*GMT\+8/s,
      );
      expect(await history(page).textContent()).toMatch(/Information requested.*“Does the iron leak.*” — asked for: A photo of the soleplate, The water you used; answer by .*GMT\+8; clocks paused: Investigation, Resolution \(overall\)/s);
    }
    await expect.poll(() => portal.getByRole('region', { name: 'We need more information' }).count()).toBe(0);
    await expect.poll(() => console_.getByRole('region', { name: 'Questions to the customer' }).textContent()).toMatch(/Answered.*Yes, with distilled water too/s);
    await expect.poll(() => deadlines.textContent()).not.toMatch(/Paused/);
    await expectAccessible(console_, 'the case with an answered question');
    await screenshot(console_, 'console-question');
  });

  it('the consumer reopens a closed case from the portal and sees it back in investigation', async () => {
    const product = `Blender ${Date.now().toString(36)}`;
    const id = await opened(product);
    await post(id, 'acknowledge', {}, agent);
    await post(id, 'findings', { department: 'quality', summary: 'Motor mount cracked', responsibleParty: 'merchant' }, department('quality'));
    await post(id, 'plan', { remedy: 'apology', description: 'We are sorry for the trouble.' }, agent);
    await post(id, 'feedback', { accepted: true }, consumer(owner));
    await post(id, 'fulfilment', { done: true }, agent);
    await post(id, 'satisfaction', { score: 3 }, consumer(owner));
    await eventually(async () => ((await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).status.name === 'COMPLETED' ? true : null));

    const console_ = await person('agent-1', `/console/complaints/${id}`);
    // Within the window the agent may reopen it too (the API lists reopen for them).
    await expect.poll(() => console_.getByRole('heading', { name: 'Reopen', exact: true }).isVisible()).toBe(true);

    const portal = await person(owner, `/complaints/${id}`);
    await expect.poll(() => main(portal).textContent()).toMatch(/Your complaint is closed/);
    const panel = portal.getByRole('region', { name: 'Not solved after all?' });
    await panel.getByRole('button', { name: 'Reopen…' }).click();
    const reason = panel.getByLabel('What is still wrong? *');
    await reason.fill('The blender stopped again after a week.');
    await expectAccessible(portal, 'the reopen panel');
    await screenshot(portal, 'portal-reopen');
    // The server's refusal next to its field: no reason.
    await reason.fill('');
    await panel.getByRole('button', { name: 'Yes, reopen' }).click();
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect((await stored(id)).status).toBe('closed');
    await reason.fill('The blender stopped again after a week.');
    await panel.getByRole('button', { name: 'Yes, reopen' }).click();

    await expect.poll(async () => (await stored(id)).status).toBe('investigating');
    expect(await stored(id)).toMatchObject({ reopenCount: 1 });
    await expect.poll(() => portal.locator('.page-head').textContent()).toContain('Investigating');
    await expect.poll(() => main(portal).textContent()).toMatch(/The quality team is inspecting; answer due .*GMT\+8/);
    expect(await portal.getByRole('region', { name: 'Not solved after all?' }).count()).toBe(0);
    await expect.poll(() => portal.getByRole('region', { name: 'History' }).textContent())
      .toMatch(/Complaint reopened\s*You.*“The blender stopped again after a week\.” — reopened once — earlier rating 3 of 5/s);
    // The agent's open page: the reopen form gone, the case investigating again.
    await expect.poll(() => console_.getByRole('heading', { name: 'Reopen', exact: true }).count()).toBe(0);
    await expect.poll(() => console_.locator('.head-badges').textContent()).toContain('Investigating');

    // The reports count it: one of the cases that closed was reopened.
    const reports = await person('supervisor-1', '/console/reports');
    await expect.poll(() => main(reports).textContent(), { timeout: 15_000 }).toMatch(/100%\s*Reopened after closing \(1 of 1\)/);
  });
});
