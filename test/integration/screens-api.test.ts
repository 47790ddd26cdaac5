import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agent, consumer, department, eventually, newComplaintBody, ops, secondsPolicy, startTestService, supervisor, type TestService,
} from '../support/service';

/**
 * What the web screens read from the API instead of rules of their own (issue 19): each case's
 * clocks and SLA badge, the actions the caller may take now, the lists a consumer and a
 * department may see, the queue soonest deadline first, and the at-risk filter.
 */
describe('the API the screens are built on', () => {
  let service: TestService;

  beforeAll(async () => {
    // Acknowledge within 6 s (at risk after 4.8 s); the other stages are long.
    service = await startTestService({
      SLA_POLICY_FILE: secondsPolicy({ acknowledge: '6s', investigate: '1h', plan: '1h', feedback: '1h', resolve: '2h', revisit: '1h' }),
      RATE_LIMIT_PER_MINUTE: '100000',
    });
  });
  afterAll(async () => {
    await service?.stop();
  });

  const open = async (owner = 'screens-u1', body: Record<string, unknown> = {}) => {
    const created = await service.api.post('/api/v1/complaints', newComplaintBody(body), consumer(owner));
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  it('a case carries its clocks, badge, time zone and the caller\'s actions; they change as the deadline passes', async () => {
    const id = await open();
    const first = await service.api.get(`/api/v1/complaints/${id}`, agent);
    expect(first.status).toBe(200);
    expect(first.body.timeZone).toBe('Asia/Shanghai');
    const acknowledge = first.body.clocks.find((c: { stage: string }) => c.stage === 'acknowledge');
    expect(acknowledge).toMatchObject({ state: 'running', startedAt: first.body.createdAt, dueAt: first.body.deadlines.acknowledge });
    expect(Date.parse(acknowledge.warningAt) - Date.parse(acknowledge.startedAt)).toBe(4800);
    expect(first.body.sla).toMatchObject({ state: 'on_track', stage: 'acknowledge', dueAt: acknowledge.dueAt });
    expect(first.body.actions).toEqual([{ type: 'acknowledge' }, { type: 'addDepartments', departments: ['logistics', 'legal'] }]);
    expect((await service.api.get(`/api/v1/complaints/${id}`, consumer('screens-u1'))).body.actions).toEqual([{ type: 'withdraw' }]);
    expect((await service.api.get(`/api/v1/complaints/${id}`, supervisor)).body.actions).toEqual([{ type: 'escalate' }]);
    // Ops get a link to the workflow in the Temporal Web UI when there is one (none in tests).
    expect((await service.api.get(`/api/v1/complaints/${id}`, ops)).body.actions).toEqual([]);

    await eventually(async () => ((await service.api.get(`/api/v1/complaints/${id}`, agent)).body.sla.state === 'at_risk' ? true : null), 8000);
    const breached = await eventually(async () => {
      const answer = await service.api.get(`/api/v1/complaints/${id}`, agent);
      return answer.body.breaches.length > 0 ? answer.body : null;
    }, 8000);
    expect(breached.sla).toMatchObject({ state: 'breached', stage: 'acknowledge' });
    expect(breached.sla.overdueMs).toBeGreaterThanOrEqual(0);
    expect(breached.clocks.find((c: { stage: string }) => c.stage === 'acknowledge').state).toBe('breached');

    const acked = await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent);
    expect(acked.status).toBe(200);
    const after = (await service.api.get(`/api/v1/complaints/${id}`, department('quality'))).body;
    expect(after.actions).toEqual([{ type: 'submitFindings', departments: ['quality'] }, { type: 'requestInformation' }]);
    expect(after.clocks.find((c: { stage: string }) => c.stage === 'acknowledge')).toMatchObject({ state: 'breached', finishedAt: expect.any(String) });
    expect(after.clocks.find((c: { stage: string }) => c.stage === 'investigate')).toMatchObject({ state: 'running' });
  });

  it('a consumer lists their own complaints only; a department the cases it works on, those waiting on it first', async () => {
    const mine = [await open('screens-u2'), await open('screens-u2', { category: 'logistics' })];
    const theirs = await open('screens-u3');
    const listed = await eventually(async () => {
      const answer = await service.api.get('/api/v1/complaints?limit=100', consumer('screens-u2'));
      return answer.body.items?.length === 2 ? answer.body.items : null;
    });
    expect(listed.map((c: { id: string }) => c.id).sort()).toEqual([...mine].sort());
    expect(listed[0]).not.toHaveProperty('assignee');
    expect(listed[0].sla.state).toMatch(/on_track|at_risk|breached/);
    expect(listed[0].timeZone).toBe('Asia/Shanghai');
    const refused = await service.api.get('/api/v1/complaints?customerId=screens-u3', consumer('screens-u2'));
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/own complaints/);

    // Acknowledged: logistics owes findings on the logistics case, not on the others.
    await service.api.post(`/api/v1/complaints/${mine[1]}/acknowledge`, {}, agent);
    await service.api.post(`/api/v1/complaints/${theirs}/acknowledge`, {}, agent);
    const inbox = await eventually(async () => {
      const answer = await service.api.get('/api/v1/complaints?awaitingFindings=true&sort=nextDeadline', department('logistics'));
      return answer.body.items?.length ? answer.body.items : null;
    });
    expect(inbox.map((c: { id: string }) => c.id)).toEqual([mine[1]]);
    // Acknowledged, the case has an assignee: the consumer's list leaves it out.
    const acknowledged = await eventually(async () => {
      const answer = await service.api.get('/api/v1/complaints?limit=100', consumer('screens-u2'));
      return answer.body.items?.find((c: { id: string; status: string }) => c.id === mine[1] && c.status === 'investigating');
    });
    expect(acknowledged).not.toHaveProperty('assignee');
    expect((await service.api.get('/api/v1/complaints?customerId=screens-u2', agent)).body.items.find((c: { id: string }) => c.id === mine[1]).assignee).toBe(agent.sub);
    expect(inbox[0].contact.phone).not.toBe(newComplaintBody().contact.phone); // masked for a department
    expect(inbox[0]).toMatchObject({ nextDeadlineStage: expect.any(String), nextDeadline: expect.any(String) });
    const everything = await service.api.get('/api/v1/complaints?limit=100', department('logistics'));
    expect(everything.body.items.map((c: { id: string }) => c.id)).toEqual([mine[1]]);
    expect((await service.api.get('/api/v1/complaints?department=quality', department('logistics'))).status).toBe(403);
  });

  it('a staff list item is the case as its page shows it, without the timeline and what only the page has', async () => {
    const id = await open('screens-u6');
    await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent);
    // The same revision in both: the case's own answer and the read model's.
    const [page, answer] = await eventually(async () => {
      const [shown, listed] = await Promise.all([
        service.api.get(`/api/v1/complaints/${id}`, supervisor), service.api.get('/api/v1/complaints?customerId=screens-u6', supervisor),
      ]);
      return listed.body.items?.[0]?.revision === shown.body.revision ? ([shown.body, listed] as const) : null;
    });
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.body).toEqual({ items: [expect.any(Object)] });
    const { timeline: _t, clocks: _c, actions: _a, awaitingFindingsFrom: _f, waitingOn: _w, ...summary } = page;
    expect(answer.body.items[0]).toEqual({
      ...summary, sla: { ...page.sla, state: expect.any(String) }, nextDeadline: page.sla.dueAt, nextDeadlineStage: 'investigate',
    });
    // Member for member, in the case's order.
    expect(Object.keys(answer.body.items[0])).toEqual([...Object.keys(summary), 'nextDeadline', 'nextDeadlineStage']);
  });

  it('the queue lists the soonest deadline first, and at-risk cases alone on request', async () => {
    const ids = [await open('screens-u4'), await open('screens-u5')];
    const queue = await eventually(async () => {
      const answer = await service.api.get('/api/v1/complaints?sort=nextDeadline&status=received&limit=100', agent);
      const found = answer.body.items.filter((c: { id: string }) => ids.includes(c.id));
      return found.length === 2 ? answer.body.items : null;
    });
    const deadlines = queue.map((c: { nextDeadline: string }) => c.nextDeadline);
    expect(deadlines).toEqual([...deadlines].sort());
    const atRisk = await eventually(async () => {
      const answer = await service.api.get('/api/v1/complaints?sort=nextDeadline&atRisk=true&limit=100', agent);
      return answer.body.items.some((c: { id: string }) => ids.includes(c.id)) ? answer.body.items : null;
    }, 8000);
    expect(atRisk.every((c: { sla: { state: string } }) => c.sla.state === 'at_risk')).toBe(true);
    expect((await service.api.get('/api/v1/complaints?atRisk=false', agent)).status).toBe(400);
    expect((await service.api.get('/api/v1/complaints?sort=oldest', agent)).status).toBe(400);
  });
});
