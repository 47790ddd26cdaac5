import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedChange } from '../../activities';
import { handlerTaskModel } from '../../activities/handlers';
import { complaintModel, ComplaintReadModel } from '../../activities/read-model';
import type { Actor } from '../../domain/complaint-schema';
import { applyAction, handlerMessage, openCase } from '../../domain/lifecycle';
import { loadSlaPolicy } from '../../runtime/sla-policy-file';
import { realActivities } from '../support/activities';
import { sampleIntake } from '../support/fixtures';
import { testMongoUri } from '../support/service';

/**
 * Decision 026: the record of a change hands manual handlers their tasks, then writes the
 * snapshot with those requests accepted, at the time the workflow gave it. On a real FerretDB.
 */
describe('a change\'s record hands manual handlers their tasks, accepted in its snapshot', () => {
  let db: mongoose.Connection;
  const agent: Actor = { role: 'agent', sub: 'a1' };
  const receivedAt = '2026-11-23T02:00:00.000Z';
  const acceptedAt = '2026-11-23T02:05:00.000Z';
  // A handler in http mode whose service is nowhere: a request sent there would fail.
  const legalOverHttp = { HANDLER_LEGAL_URL: 'http://127.0.0.1:9/legal', HANDLER_LEGAL_HMAC_SECRET: 'legal-signing-secret-0123' };

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri()).asPromise();
  });
  afterAll(async () => {
    await db?.close();
  });

  const activities = (env: Record<string, string> = {}) => realActivities(db, env);
  /** An acknowledged false-advertising case with quality added: legal and quality asked. */
  const changeAsking = (id: string): RecordedChange => {
    const { state } = openCase({ id, receivedAt, actor: 'consumer:u1', policy: loadSlaPolicy(undefined).forSeverity('general'), intake: sampleIntake({ category: 'false_advertising' }) });
    applyAction(state, { type: 'acknowledge', input: {} }, agent, '2026-11-23T02:01:00.000Z');
    applyAction(state, { type: 'addDepartments', input: { add: ['quality'] } }, agent, '2026-11-23T02:01:00.000Z');
    return {
      complaintId: id, complaint: structuredClone(state.complaint), calendar: state.policy.calendar, notices: [],
      audience: { locale: 'en', consumerChannel: 'email' },
      requests: ['investigation:legal', 'investigation:quality'].map((key) => handlerMessage(state, key)),
      acceptedAt,
    };
  };
  const tasksOf = async (id: string) =>
    (await handlerTaskModel(db).find({ complaintId: id }).sort({ _id: 1 }).lean()).map((task) => task._id);

  it('writes the tasks and a snapshot with both requests accepted at the given time, one revision each', async () => {
    const change = changeAsking('rc-manual');
    const revision = change.complaint!.revision;
    const outcome = await activities().recordChange(change);
    expect(outcome).toEqual({
      answers: { 'rc-manual:investigation:legal': { outcome: 'accepted' }, 'rc-manual:investigation:quality': { outcome: 'accepted' } },
      acceptedInSnapshot: true,
      revision: revision + 2,
    });
    expect(await tasksOf('rc-manual')).toEqual(['rc-manual:investigation:legal', 'rc-manual:investigation:quality']);
    const stored = (await new ComplaintReadModel(complaintModel(db)).get('rc-manual'))!;
    expect(stored.revision).toBe(revision + 2);
    expect(stored.requests.map((r) => [r.key, r.status, r.at])).toEqual([
      ['investigation:legal', 'accepted', acceptedAt], ['investigation:quality', 'accepted', acceptedAt],
    ]);
    expect(stored.timeline.filter((e) => e.type === 'handler_accepted')).toHaveLength(2);
  });

  it('leaves a request to an http handler out: no task, pending in the snapshot, no answer', async () => {
    const change = changeAsking('rc-http');
    const revision = change.complaint!.revision;
    const outcome = await activities(legalOverHttp).recordChange(change);
    expect(outcome).toEqual({ answers: { 'rc-http:investigation:quality': { outcome: 'accepted' } }, acceptedInSnapshot: true, revision: revision + 1 });
    expect(await tasksOf('rc-http')).toEqual(['rc-http:investigation:quality']);
    const stored = (await new ComplaintReadModel(complaintModel(db)).get('rc-http'))!;
    expect(stored.requests.map((r) => r.status)).toEqual(['pending', 'accepted']);
  });

  it('takes again what an earlier attempt handed over, though the handler has gone to http since', async () => {
    // The first attempt (say, the local one that then timed out) handed legal its task and wrote the snapshot.
    await activities().recordChange(changeAsking('rc-again'));
    // Its retry runs where legal is in http mode: the task is there, so legal's request is taken
    // and answered, as the stored snapshot says — no http call behind it.
    const outcome = await activities(legalOverHttp).recordChange(changeAsking('rc-again'));
    expect(Object.keys(outcome.answers ?? {})).toEqual(['rc-again:investigation:legal', 'rc-again:investigation:quality']);
    expect(await tasksOf('rc-again')).toEqual(['rc-again:investigation:legal', 'rc-again:investigation:quality']);
  });
});
