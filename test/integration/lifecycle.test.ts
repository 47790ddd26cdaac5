import type { Client } from '@temporalio/client';
import protoPkg from '@temporalio/proto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintModel, ComplaintReadModel } from '../../activities/read-model';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { complaintWorkflowId } from '../../domain/complaint';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { actionUpdates, getComplaintQuery } from '../../workflows/messages';
import { sampleIntake } from '../support/fixtures';
import {
  agent, consumer, department, eventually, newComplaintBody, secondsPolicy, startTestService, supervisor, testClient, type TestService,
} from '../support/service';

/**
 * The complaint lifecycle over HTTP against the real Temporal dev server and FerretDB, with
 * a policy of seconds so deadlines pass while the test watches.
 */
describe('complaint lifecycle (real servers, second-scale policy)', () => {
  let service: TestService;
  let temporal: Client;
  let db: mongoose.Connection;

  const policyFile = secondsPolicy({ acknowledge: '3s', investigate: '3s', plan: '3s', feedback: '3s', resolve: '8s', revisit: '4s' });
  beforeAll(async () => {
    service = await startTestService({ SLA_POLICY_FILE: policyFile });
    temporal = await testClient(service.mongoUri);
    db = await mongoose.createConnection(service.mongoUri).asPromise();
  });
  afterAll(async () => {
    await db?.close();
    await temporal?.connection.close();
    await service?.stop();
  });

  const api = () => service.api;
  const open = async (owner = 'u1', body: Record<string, unknown> = {}) => {
    const res = await api().post('/api/v1/complaints', newComplaintBody(body), consumer(owner));
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const post = async (id: string, action: string, body: unknown, as: Parameters<TestService['api']['post']>[2]) => {
    const res = await api().post(`/api/v1/complaints/${id}/${action}`, body, as);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const get = async (id: string) => (await api().get(`/api/v1/complaints/${id}`, agent)).body;
  /** The case's workflow history as event kinds, with marker and activity names. */
  const historyOf = async (id: string) => {
    const { events } = await temporal.workflow.getHandle(complaintWorkflowId(id)).fetchHistory();
    return events!.map((e) => {
      const marker = e.markerRecordedEventAttributes?.markerName;
      const activity = e.activityTaskScheduledEventAttributes?.activityType?.name;
      return `${protoPkg.temporal.api.enums.v1.EventType[e.eventType!].replace('EVENT_TYPE_', '')}${marker ? `:${marker}` : ''}${activity ? `:${activity}` : ''}`;
    });
  };
  const notices = (id: string) =>
    db.collection('notifications').find({ complaintId: id }).sort({ createdAt: 1 }).toArray();
  const workflowStatus = async (id: string) =>
    (await temporal.workflow.getHandle(complaintWorkflowId(id)).describe()).status.name;
  /** Drives a fresh quality complaint to the given point, quickly. */
  const driveTo = async (point: 'investigating' | 'planning' | 'awaiting_feedback' | 'resolved', owner = 'u1') => {
    const id = await open(owner);
    await post(id, 'acknowledge', {}, agent);
    if (point === 'investigating') return id;
    await post(id, 'findings', { department: 'quality', summary: 'Seal defect', responsibleParty: 'merchant' }, department('quality'));
    if (point === 'planning') return id;
    await post(id, 'plan', { remedy: 'refund', description: 'Full refund', amount: 199 }, agent);
    if (point === 'awaiting_feedback') return id;
    await post(id, 'feedback', { accepted: true }, consumer(owner));
    // The refund is with the payment service (a manual task) before an agent confirms it.
    await eventually(async () => ((await get(id)).requests.some((r: any) => r.key === 'refund:v1' && r.status === 'accepted') ? true : null));
    await post(id, 'fulfilment', { done: true }, agent);
    return id;
  };

  it('runs a complaint from intake to closure, every answer being the complaint as it now stands', async () => {
    const id = await open('u1');
    const acknowledged = await post(id, 'acknowledge', { note: 'Looking into it' }, agent);
    expect(acknowledged).toMatchObject({ status: 'investigating', assignee: 'a1', departments: ['quality'] });
    expect(acknowledged.deadlines.investigate).toBeDefined();
    const afterAdd = await post(id, 'departments', { add: ['legal'] }, agent);
    expect(afterAdd.departments).toEqual(['quality', 'legal']);
    await post(id, 'findings', { department: 'quality', summary: 'Seal defect', responsibleParty: 'merchant' }, department('quality'));
    const investigated = await post(id, 'findings', { department: 'legal', summary: 'No legal issue', responsibleParty: 'none' }, agent);
    expect(investigated.status).toBe('planning');
    const planned = await post(id, 'plan', { remedy: 'replacement', description: 'New kettle' }, agent);
    expect(planned).toMatchObject({ status: 'awaiting_feedback', plan: { version: 1, remedy: 'replacement', description: 'New kettle' } });
    expect((await post(id, 'feedback', { accepted: true }, consumer('u1'))).status).toBe('fulfilling');
    expect((await post(id, 'fulfilment', { done: true, note: 'Delivered' }, department('logistics'))).status).toBe('resolved');
    const closed = await post(id, 'satisfaction', { score: 4, comment: 'Fine' }, consumer('u1'));
    expect(closed).toMatchObject({ status: 'closed', satisfaction: { score: 4, comment: 'Fine' }, breaches: [] });

    await eventually(async () => ((await workflowStatus(id)) === 'COMPLETED' ? true : null));
    await eventually(() => db.collection('complaints').findOne({ _id: id as never, status: 'closed' }));
    const stored = await new ComplaintReadModel(complaintModel(db)).get(id);
    expect(stored!.timeline.map((e: { type: string }) => e.type)).toEqual(closed.timeline.map((e: { type: string }) => e.type));
    expect((await notices(id)).map((n) => `${n.key}>${n.recipient}`)).toEqual([
      'received>consumer', 'acknowledged>consumer', 'plan_proposed:v1>consumer', 'resolved>consumer',
      'satisfaction_request>consumer', 'closed>consumer',
    ]);
    // Manual mode: each department got a task, closed once the case no longer waited for it.
    const tasks = await eventually(async () => {
      const list = await db.collection('handler_tasks').find({ complaintId: id }).sort({ createdAt: 1 }).toArray();
      return list.every((t) => t.status === 'done') ? list : null;
    });
    expect(tasks.map((t) => t._id)).toEqual([
      `${id}:investigation:quality`, `${id}:investigation:legal`, `${id}:replacement:v1`,
    ]);
    expect(closed.requests.map((r: { key: string; status: string }) => `${r.key}:${r.status}`)).toEqual([
      'investigation:quality:done', 'investigation:legal:done', 'replacement:v1:done',
    ]);
    // A closed case takes no more actions; the answer says why.
    const late = await api().post(`/api/v1/complaints/${id}/escalate`, { reason: 'too late' }, supervisor);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ state: 'closed' });
  });

  // Decision 017: a change no answer waits for is recorded inside its own workflow task (a local
  // activity), an action's record is an activity of its own so that its answer does not wait.
  it('records a breach inside the timer\'s task, and an action after its answer', async () => {
    const id = await open();
    await eventually(async () => ((await get(id)).breaches.length > 0 ? true : null), 15_000);
    await post(id, 'acknowledge', {}, agent);
    await eventually(() => db.collection('complaints').findOne({ _id: id as never, status: 'investigating' }));
    const kinds = await historyOf(id);
    // What the task that handled event `at` did: its events from its completion to the next task.
    const taskAfter = (at: number) => {
      const completed = kinds.indexOf('WORKFLOW_TASK_COMPLETED', at);
      const next = kinds.findIndex((k, i) => i > completed && k === 'WORKFLOW_TASK_SCHEDULED');
      return kinds.slice(completed, next === -1 ? undefined : next);
    };
    // The acknowledge deadline's warning and breach. A timer of the investigation may fire too
    // before the history is read, while the acknowledgement's record is in flight: that change is
    // recorded when the record loop is free (one effect at a time), so it is left out here.
    const acknowledgedAt = kinds.indexOf('WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    const fired = kinds.flatMap((k, i) => (k === 'TIMER_FIRED' && i < acknowledgedAt ? [i] : []));
    expect(fired.length).toBeGreaterThanOrEqual(2); // the warning, then the breach
    // What the workflow did for a fired timer before the next input reached it. A local activity
    // slower than 80% of the task timeout (a loaded CI box) is heartbeated: the task completes and
    // the next one, with no new input, records the marker. That is still the timer's own handling.
    const inputs = new Set(['TIMER_FIRED', 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 'WORKFLOW_EXECUTION_SIGNALED', 'ACTIVITY_TASK_COMPLETED', 'ACTIVITY_TASK_FAILED']);
    const handlingOf = (at: number) => {
      const next = kinds.findIndex((k, i) => i > at && inputs.has(k.split(':')[0]!));
      return kinds.slice(at + 1, next === -1 ? undefined : next);
    };
    for (const at of fired) {
      expect(handlingOf(at), kinds.join(' ')).toContain('MARKER_RECORDED:core_local_activity');
      expect(handlingOf(at)).not.toContain('ACTIVITY_TASK_SCHEDULED:recordChange');
    }
    // The acknowledgement's task answers the update and schedules its record as an activity.
    const acknowledged = taskAfter(acknowledgedAt - 1);
    expect(acknowledged).toEqual(expect.arrayContaining(['WORKFLOW_EXECUTION_UPDATE_COMPLETED', 'ACTIVITY_TASK_SCHEDULED:recordChange']));
    expect(acknowledged).not.toContain('MARKER_RECORDED:core_local_activity');
  });

  // Decision 024: a manual department's request is handed over by the record of the change that
  // made it (its task written there), not by a callHandler activity of its own.
  it('hands a manual department its request in the record of the action that asked it', async () => {
    const id = await open();
    await post(id, 'acknowledge', {}, agent);
    await post(id, 'departments', { add: ['legal'] }, agent);
    const accepted = await eventually(async () => {
      const c = await get(id);
      return c.requests.every((r: { status: string }) => r.status === 'accepted') && c.requests.length === 2 ? c : null;
    });
    expect(accepted.timeline.filter((e: { type: string }) => e.type === 'handler_accepted').map((e: { data: { key: string } }) => e.data.key))
      .toEqual(['investigation:quality', 'investigation:legal']);
    const tasks = await db.collection('handler_tasks').find({ complaintId: id }).sort({ createdAt: 1 }).toArray();
    expect(tasks.map((t) => `${t._id}:${t.status}`)).toEqual([`${id}:investigation:quality:open`, `${id}:investigation:legal:open`]);
    const kinds = await historyOf(id);
    expect(kinds.filter((k) => k.startsWith('ACTIVITY_TASK_SCHEDULED')), kinds.join(' ')).not.toContain('ACTIVITY_TASK_SCHEDULED:callHandler');
  });

  // Decision 026: the record that hands a manual department its task writes the acceptance in the
  // snapshot, so the acceptance needs no record (no local activity) of its own.
  it('writes a manual department\'s acceptance in the record that hands it its task, with no second record', async () => {
    const id = await open();
    const readModel = new ComplaintReadModel(complaintModel(db));
    // The case's first task done (its record is in the read model): a busy worker could otherwise
    // take the acknowledgement in that first task, where the record of both is a local activity.
    await eventually(() => readModel.get(id));
    const acknowledged = await post(id, 'acknowledge', {}, agent);
    const stored = await eventually(async () => {
      const complaint = await readModel.get(id);
      return complaint?.requests[0]?.status === 'accepted' ? complaint : null;
    });
    const [request] = stored.requests;
    const accepted = stored.timeline.filter((e) => e.type === 'handler_accepted');
    expect(request).toMatchObject({ key: 'investigation:quality', status: 'accepted' });
    expect(accepted).toHaveLength(1);
    // The acceptance's time is the one the workflow gave the record, and the workflow agrees.
    expect(Date.parse(request!.at)).toBeGreaterThanOrEqual(Date.parse(acknowledged.updatedAt));
    // The workflow applies the record's answer once the record is done: a moment after the read model has it.
    const inWorkflow = await eventually(async () => {
      const complaint = await temporal.workflow.getHandle(complaintWorkflowId(id)).query(getComplaintQuery);
      return complaint.requests[0]?.status === 'accepted' ? complaint : null;
    });
    expect(inWorkflow.requests[0]).toEqual(expect.objectContaining({ status: 'accepted', at: request!.at }));
    // Up to the acceptance, the two agree entry for entry (a deadline's warning may follow in either).
    const through = stored.timeline.findIndex((e) => e.type === 'handler_accepted') + 1;
    expect(inWorkflow.timeline.slice(0, through)).toEqual(stored.timeline.slice(0, through));
    expect(inWorkflow.timeline.filter((e) => e.type === 'handler_accepted').map((e) => e.at)).toEqual(accepted.map((e) => e.at));
    // The task that took the record's answer (the acknowledgement's record, an activity) recorded nothing more.
    const kinds = await historyOf(id);
    const completed = kinds.indexOf('ACTIVITY_TASK_COMPLETED', kinds.indexOf('ACTIVITY_TASK_SCHEDULED:recordChange', kinds.indexOf('WORKFLOW_EXECUTION_UPDATE_ACCEPTED')));
    const inputs = ['TIMER_FIRED', 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 'ACTIVITY_TASK_COMPLETED'];
    const next = kinds.findIndex((k, i) => i > completed && inputs.includes(k));
    expect(completed).toBeGreaterThan(0);
    expect(kinds.slice(completed + 1, next === -1 ? undefined : next), kinds.join(' ')).not.toContain('MARKER_RECORDED:core_local_activity');
  });

  // Decision 025: a new run takes the patches of 2026-12 through one marker, so the server writes
  // one TemporalChangeVersion upsert for them, not one per patch (seven over an intake and an
  // action). A patch after it (accepted-in-record, decision 026) has its own.
  it('takes the patches of 2026-12 through one marker, and a later one through its own', async () => {
    const id = await open();
    await post(id, 'acknowledge', {}, agent);
    await eventually(async () => ((await get(id)).requests.every((r: { status: string }) => r.status === 'accepted') ? true : null));
    const { events } = await temporal.workflow.getHandle(complaintWorkflowId(id)).fetchHistory();
    const patches = events!.flatMap((e) => {
      const details = e.markerRecordedEventAttributes?.markerName === 'core_patch' ? e.markerRecordedEventAttributes.details : undefined;
      return details ? [JSON.parse(Buffer.from(details['patch-data']!.payloads![0]!.data!).toString()).id as string] : [];
    });
    expect(patches).toEqual(['patches-of-2026-12', 'accepted-in-record']);
    const versionUpserts = events!.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion);
    expect(versionUpserts).toHaveLength(2);
    // The patches it stands for were taken: the record ran inside the intake's task (local-intake-record).
    expect(await historyOf(id)).toContain('MARKER_RECORDED:core_local_activity');
  });

  // patched('due-timers-before-actions'): an action that reaches the workflow in the same task as
  // the timers of deadlines it came after is applied after them, so no missed deadline is lost.
  it('records the deadlines that passed before an action that arrives with their timers', async () => {
    const id = randomUUID();
    const receivedAt = new Date(Date.now() - 10_000).toISOString(); // acknowledge (3 s) and resolve (8 s) long past
    const withdrawn = await temporal.workflow.executeUpdateWithStart(actionUpdates.withdraw, {
      args: [{ actor: { role: 'consumer', sub: 'u1' }, input: {} }],
      startWorkflowOperation: new WithStartWorkflowOperation('complaintWorkflow', {
        workflowId: complaintWorkflowId(id),
        taskQueue: service.taskQueue,
        workflowIdConflictPolicy: 'FAIL',
        args: [{ id, receivedAt, actor: 'consumer:u1', policy: loadSlaPolicy(policyFile).forSeverity('general'), intake: sampleIntake() }],
      }),
    });
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.breaches.map((b) => b.stage)).toEqual(['acknowledge', 'resolve']);
    expect(withdrawn.timeline.at(-1)!.type).toBe('withdrawn');
  });

  // The next deadline's timer is started once and kept through changes that leave it where it was.
  it('keeps the deadline timer through changes that do not move the deadline', async () => {
    const id = await open();
    // The acknowledgement after the first task has started the acknowledge timer: an update that
    // reaches a busy worker with the start comes in the same task, and that timer is never sent.
    await eventually(async () => ((await historyOf(id)).includes('TIMER_STARTED') ? true : null));
    await post(id, 'acknowledge', {}, agent);
    await post(id, 'departments', { add: ['legal'] }, agent);
    await eventually(() => db.collection('handler_tasks').findOne({ _id: `${id}:investigation:legal` as never }));
    const kinds = await eventually(async () => {
      const history = await historyOf(id);
      return history.includes('TIMER_FIRED', history.indexOf('WORKFLOW_EXECUTION_UPDATE_ACCEPTED')) ? history : null;
    }, 15_000);
    // From the acknowledgement to the investigation's warning: two actions, their records (each
    // handing a department its task; the first an activity) and the departments' acceptances
    // changed the case, and only the acknowledgement moved the deadline.
    const window = kinds.slice(kinds.indexOf('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'), kinds.indexOf('TIMER_FIRED', kinds.indexOf('WORKFLOW_EXECUTION_UPDATE_ACCEPTED')));
    expect(window.filter((k) => k === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED')).toHaveLength(2);
    expect(window.filter((k) => k === 'ACTIVITY_TASK_COMPLETED').length).toBeGreaterThanOrEqual(1);
    expect(window.filter((k) => k === 'TIMER_STARTED')).toHaveLength(1);
    expect(window.filter((k) => k === 'TIMER_CANCELED')).toHaveLength(1);
  });

  it('answers 409 naming the state for an action the state does not allow', async () => {
    const id = await open();
    const res = await api().post(`/api/v1/complaints/${id}/plan`, { remedy: 'refund', description: 'x' }, agent);
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 409, state: 'received', detail: expect.stringContaining('state received') });
    expect((await get(id)).revision).toBe(1); // nothing changed
  });

  it('records each breach within a second of its deadline, escalates, warns, and goes on', async () => {
    // One case per stage, each left waiting at that stage.
    const [unacknowledged, uninvestigated, unplanned, unanswered] = await Promise.all([
      open(), driveTo('investigating'), driveTo('planning'), driveTo('awaiting_feedback'),
    ]);
    const breachOf = (stage: string) => async (id: string) => {
      const c = await get(id);
      return c.breaches.find((b: { stage: string }) => b.stage === stage) ? c : null;
    };
    const cases = {
      acknowledge: await eventually(() => breachOf('acknowledge')(unacknowledged), 15_000),
      investigate: await eventually(() => breachOf('investigate')(uninvestigated), 15_000),
      plan: await eventually(() => breachOf('plan')(unplanned), 15_000),
      feedback: await eventually(() => breachOf('feedback')(unanswered), 15_000),
      resolve: await eventually(() => breachOf('resolve')(unacknowledged), 20_000),
    };
    for (const [stage, c] of Object.entries(cases)) {
      const breach = c.breaches.find((b: { stage: string }) => b.stage === stage);
      expect(breach.deadline).toBe(c.deadlines[stage === 'feedback' ? 'feedback' : stage]);
      const lag = Date.parse(breach.at) - Date.parse(breach.deadline);
      expect(lag, `${stage} breach lag`).toBeGreaterThanOrEqual(0);
      expect(lag, `${stage} breach lag`).toBeLessThan(1000);
      expect(c.escalationLevel).toBeGreaterThanOrEqual(2);
    }
    // The unacknowledged case missed two deadlines: level 3, and it is still open.
    expect(cases.resolve).toMatchObject({ status: 'received', escalationLevel: 3 });
    expect(cases.feedback.status).toBe('awaiting_feedback');
    expect(cases.feedback.timeline.map((e: { type: string }) => e.type)).toContain('feedback_window_expired');

    const sent = await eventually(async () => {
      const list = await notices(unacknowledged);
      return list.filter((n) => n.recipient === 'supervisor').length >= 4 ? list : null;
    });
    expect(sent.map((n) => `${n.event}>${n.recipient}`)).toEqual(
      expect.arrayContaining([
        'deadline_warning>assignee', 'deadline_breached>supervisor', 'escalated>supervisor',
      ]),
    );
    const warning = cases.acknowledge.timeline.find((e: { type: string }) => e.type === 'deadline_warning');
    expect(warning.data).toMatchObject({ stage: 'acknowledge' });
    // The warning came at 80 % of the three seconds.
    const offset = Date.parse(warning.at) - Date.parse(cases.acknowledge.createdAt);
    expect(offset).toBeGreaterThanOrEqual(2400);
    expect(offset).toBeLessThan(3000);
  });

  it('goes round the rejection loop, each round recorded', async () => {
    const id = await driveTo('awaiting_feedback');
    const rejected = await post(id, 'feedback', { accepted: false, comment: 'Refund is too small' }, consumer('u1'));
    expect(rejected.status).toBe('planning');
    const second = await post(id, 'plan', { remedy: 'refund', description: 'Full refund plus shipping', amount: 219 }, agent);
    expect(second.plan).toMatchObject({ version: 2, amount: 219 });
    const accepted = await post(id, 'feedback', { accepted: true }, consumer('u1'));
    expect(accepted.status).toBe('fulfilling');
    expect(accepted.feedback).toEqual([
      expect.objectContaining({ accepted: false, comment: 'Refund is too small', planVersion: 1 }),
      expect.objectContaining({ accepted: true, planVersion: 2 }),
    ]);
    const keys = await eventually(async () => {
      const list = (await notices(id)).map((n) => n.key);
      return list.includes('plan_proposed:v2') ? list : null;
    });
    expect(keys).toEqual(expect.arrayContaining(['plan_proposed:v1', 'plan_rejected:v1', 'plan_proposed:v2']));
  });

  it('withdraws: the workflow ends and no breach fires afterwards', async () => {
    const id = await open('u7');
    const withdrawn = await post(id, 'withdraw', { reason: 'Seller refunded me directly' }, consumer('u7'));
    expect(withdrawn.status).toBe('withdrawn');
    await eventually(async () => ((await workflowStatus(id)) === 'COMPLETED' ? true : null));
    await new Promise((r) => setTimeout(r, 3500)); // past the acknowledge deadline
    const after = await get(id);
    expect(after).toMatchObject({ status: 'withdrawn', breaches: [], escalationLevel: 1 });
    expect((await api().post(`/api/v1/complaints/${id}/withdraw`, {}, consumer('u7'))).status).toBe(409);
  });

  it('closes after the revisit: with the consumer\'s answer, or recorded as unanswered when the window ends', async () => {
    const [answered, silent] = await Promise.all([driveTo('resolved', 'u8'), driveTo('resolved', 'u9')]);
    const closed = await post(answered, 'satisfaction', { score: 2, comment: 'Slow' }, consumer('u8'));
    expect(closed).toMatchObject({ status: 'closed', satisfaction: { score: 2 } });

    const unanswered = await eventually(async () => {
      const c = await get(silent);
      return c.status === 'closed' ? c : null;
    }, 10_000);
    expect(unanswered.satisfaction).toBeUndefined();
    const types = unanswered.timeline.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['satisfaction_reminder_sent', 'closed']));
    expect(unanswered.timeline.at(-1)).toMatchObject({ type: 'closed', data: { revisit: 'no_answer' } });
    const keys = (await eventually(async () => {
      const list = await notices(silent);
      return list.some((n) => n.key === 'closed') ? list : null;
    })).map((n) => n.key);
    expect(keys).toEqual(expect.arrayContaining(['satisfaction_request', 'satisfaction_reminder', 'closed']));
  });
});
