import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { complaintWorkflowId } from '../../domain/complaint';
import { caseDriver, distinctNotices, lifecycleNotices } from './support/cases';
import { clusterTemporal, control } from './support/control';

/**
 * The production topology end to end: complaints whose requests alternate between the two
 * APIs, worked by two workers, on Temporal's separate services over PostgreSQL and a read model
 * on FerretDB over PostgreSQL.
 */
describe('the cluster: two APIs, two workers, Temporal on PostgreSQL', () => {
  const cases = caseDriver(`topology-${Date.now()}`);
  let temporal: Client;
  beforeAll(async () => {
    temporal = await clusterTemporal();
  });
  afterAll(async () => {
    await temporal?.connection.close();
  });

  it('runs every process of the topology as its own process', async () => {
    const names = (await control.processes()).filter((p) => p.running).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining([
      'postgres', 'temporal-frontend', 'temporal-matching', 'temporal-worker', 'temporal-history-1', 'temporal-history-2',
      'ferretdb', 'worker-1', 'worker-2', 'api-1', 'api-2',
    ]));
  });

  it('takes ten complaints from intake to closed through either API, on both workers, each refund and notice once', async () => {
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => cases.wholeLifecycle(`topology-${i}`, 200 + i)));
    // Both APIs answer for every case: the read model and the workflows are shared.
    for (const api of cases.api.all) {
      for (const id of ids) {
        const read = await api.get(`/api/v1/complaints/${id}`, { role: 'agent', sub: 'a1' });
        expect(read.body.status).toBe('closed');
      }
    }
    // The workflow tasks were taken by both workers (their identities are pid@host).
    const identities = new Set<string>();
    for (const id of ids) {
      for (const event of (await temporal.workflow.getHandle(complaintWorkflowId(id)).fetchHistory()).events ?? []) {
        const identity = event.workflowTaskCompletedEventAttributes?.identity;
        if (identity) identities.add(identity);
      }
    }
    expect(identities.size).toBe(2);
    // One refund per case, with its plan's amount.
    const payments = new Map(await control.payments());
    for (const [i, id] of ids.entries()) expect(payments.get(`${id}:refund:v1`)?.amount).toBe(200 + i);
    // Every notice delivered, each under its own id (a receiver drops a repeat by that id).
    await expect.poll(async () => distinctNotices(await control.requests('/notify'), ids), { timeout: 30_000 })
      .toEqual(ids.map(() => lifecycleNotices.length));
  });
});
