import { afterAll, describe, expect, it } from 'vitest';
import { agent, consumer, newComplaintBody, startTestService, testMongoUri, writePolicyFile, type TestService } from '../support/service';
import { randomUUID } from 'node:crypto';

/** The policy in force at intake stays with the case: a new policy file moves no open deadline. */
describe('SLA policy versions', () => {
  const running: TestService[] = [];
  afterAll(async () => {
    for (const s of running) await s.stop();
  });

  it('keeps the deadlines of open cases when the policy file changes', async () => {
    const shared = { TEMPORAL_TASK_QUEUE: `policy-${randomUUID()}`, MONGODB_URI: testMongoUri() };
    const first = await startTestService({ ...shared, SLA_POLICY_FILE: writePolicyFile({ version: 'v1', policies: { general: { acknowledge: '1h' } } }) });
    running.push(first);
    const old = (await first.api.post('/api/v1/complaints', newComplaintBody(), consumer('u1'))).body;
    expect(old.slaPolicyVersion).toBe('v1');
    expect(Date.parse(old.deadlines.acknowledge) - Date.parse(old.createdAt)).toBe(3_600_000);
    await first.stop();
    running.pop();

    const second = await startTestService({ ...shared, SLA_POLICY_FILE: writePolicyFile({ version: 'v2', policies: { general: { acknowledge: '2h' } } }) });
    running.push(second);
    const fresh = (await second.api.post('/api/v1/complaints', newComplaintBody(), consumer('u1'))).body;
    expect(fresh.slaPolicyVersion).toBe('v2');
    expect(Date.parse(fresh.deadlines.acknowledge) - Date.parse(fresh.createdAt)).toBe(7_200_000);

    // The old case, now run by the new worker, keeps v1 and its deadline, also after an action.
    const acknowledged = await second.api.post(`/api/v1/complaints/${old.id}/acknowledge`, {}, agent);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ slaPolicyVersion: 'v1', deadlines: { acknowledge: old.deadlines.acknowledge } });
  });

  it('refuses to start with a bad policy file, saying what is wrong', async () => {
    await expect(
      startTestService({ SLA_POLICY_FILE: writePolicyFile({ policies: { general: { acknowledge: 'soon' } } }) }),
    ).rejects.toThrow(/policies\.general\.acknowledge/);
  });
});
