// Records fresh workflow histories for the replay tests (test/fixtures/histories/*.json):
// one per path through the complaint workflow. Starts its own embedded servers in a
// temporary folder; run it after an intended change of workflow code, then commit the files.
//   npm run record-histories                       (every scenario)
//   npm run record-histories -- reopen consumer-wait (only these: the others' files stay as they are)
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { signToken, type Principal } from '../api/auth';
import { caseLimits } from '../domain/case-limits';
import { complaintWorkflowId } from '../domain/complaint';
import { loadConfig } from '../runtime/config';
import { dataConverter } from '../runtime/data-converter';
import { createLogger } from '../runtime/logger';
import { codecFromConfig, developmentPayloadKeys } from '../runtime/payload-codec';
import { CaseKeyCodec } from '../personal-data/case-key-codec';
import { caseKeyModel, CaseKeyStore } from '../personal-data/case-keys';
import mongoose from 'mongoose';
import { freePort } from '../runtime/processes';
import { startService } from '../runtime/service';
import { loadSlaPolicy } from '../runtime/sla-policy-file';
import { executeUpdateOnce } from '../runtime/workflow-updates';
import { actionUpdates, getComplaintQuery, recordOpsActionUpdate } from '../workflows/messages';
import { historyToFixture, reseal } from '../test/support/history-fixtures';

const out = path.resolve('test/fixtures/histories');
const secret = 'record-histories-secret-0123';
const agent: Principal = { role: 'agent', sub: 'a1' };
const owner: Principal = { role: 'consumer', sub: 'u1' };
const supervisor: Principal = { role: 'supervisor', sub: 's1' };
const quality: Principal = { role: 'department', sub: 'q1', department: 'quality' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Runtime.install({ logger: new DefaultLogger('WARN') });
const dir = await mkdtemp(path.join(os.tmpdir(), 'record-histories-'));
const policyFile = path.join(dir, 'policy.json');
await writeFile(policyFile, JSON.stringify({
  version: 'fixtures',
  policies: { general: { acknowledge: '2s', investigate: '2s', plan: '2s', feedback: '2s', resolve: '6s', revisit: '3s', consumerReply: '3s', reopen: '1m' } },
}));
const config = loadConfig({
  DATA_DIR: dir, PORT: '0', METRICS_PORT: '0', AUTH_JWT_SECRET: secret, SLA_POLICY_FILE: policyFile,
  TEMPORAL_PORT: String(await freePort()), FERRETDB_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()),
});
const service = await startService(config, createLogger('warn'));
// Each case's payloads are sealed under its own key (decision 021), kept in the database.
const serviceCodec = codecFromConfig(developmentPayloadKeys);
const keysDb = mongoose.createConnection(service.mongoUri);
const caseCodec = new CaseKeyCodec(serviceCodec, new CaseKeyStore(caseKeyModel(keysDb), serviceCodec));
const client = new Client({
  connection: await Connection.connect({ address: service.temporalAddress }),
  dataConverter: dataConverter(caseCodec),
});

async function call(method: string, url: string, as: Principal, body?: unknown) {
  const res = await fetch(new URL(url, service.apiUrl), {
    method,
    headers: { authorization: `Bearer ${await signToken(secret, as)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json() as { id: string; status: string };
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
const open = async () => (await call('POST', '/api/v1/complaints', owner, {
  orderId: `o-${Math.random().toString(36).slice(2)}`, productName: 'Kettle', description: 'Leaks',
  channel: 'web', category: 'quality', contact: { name: 'Test Person', phone: '13000000000' },
})).id;
const act = (id: string, action: string, as: Principal, body: unknown = {}) => call('POST', `/api/v1/complaints/${id}/${action}`, as, body);
const toPlanning = async (id: string) => {
  await act(id, 'acknowledge', agent);
  await act(id, 'findings', quality, { department: 'quality', summary: 'Defect', responsibleParty: 'merchant' });
};
const waitFor = async (id: string, done: (c: { status: string }) => boolean) => {
  for (let i = 0; i < 200; i++) {
    if (done(await call('GET', `/api/v1/complaints/${id}`, agent))) return;
    await sleep(100);
  }
  throw new Error(`${id} did not get there`);
};

/** Each path through the workflow; the histories of every run of each are recorded. */
const scenarios: Record<string, () => Promise<string>> = {
  'happy-path': async () => {
    const id = await open();
    await toPlanning(id);
    await act(id, 'plan', agent, { remedy: 'apology', description: 'Sorry' });
    await act(id, 'feedback', owner, { accepted: true });
    await act(id, 'fulfilment', agent, { done: true });
    await act(id, 'satisfaction', owner, { score: 5 });
    return id;
  },
  'breach-acknowledge-and-resolve': async () => {
    const id = await open();
    await act(id, 'escalate', supervisor, { reason: 'by hand first' });
    await sleep(6500);
    await act(id, 'withdraw', owner);
    return id;
  },
  'breach-investigate': async () => {
    const id = await open();
    await act(id, 'acknowledge', agent);
    await sleep(2500);
    await act(id, 'withdraw', owner);
    return id;
  },
  'breach-plan': async () => {
    const id = await open();
    await toPlanning(id);
    await sleep(2500);
    await act(id, 'withdraw', owner);
    return id;
  },
  'breach-feedback': async () => {
    const id = await open();
    await toPlanning(id);
    await act(id, 'plan', agent, { remedy: 'refund', description: 'Refund', amount: 10 });
    await sleep(2500);
    await act(id, 'withdraw', owner);
    return id;
  },
  'rejection-loop': async () => {
    const id = await open();
    await toPlanning(id);
    await act(id, 'plan', agent, { remedy: 'apology', description: 'Sorry' });
    await act(id, 'feedback', owner, { accepted: false, comment: 'Not enough' });
    await act(id, 'plan', agent, { remedy: 'replacement', description: 'New kettle' });
    await act(id, 'feedback', owner, { accepted: true });
    await act(id, 'fulfilment', { role: 'department', sub: 'l1', department: 'logistics' }, { done: true });
    await act(id, 'satisfaction', owner, { score: 3, comment: 'Slow' });
    return id;
  },
  withdraw: async () => {
    const id = await open();
    await act(id, 'withdraw', owner, { reason: 'Solved with the seller' });
    return id;
  },
  'revisit-unanswered': async () => {
    const id = await open();
    await toPlanning(id);
    await act(id, 'plan', agent, { remedy: 'apology', description: 'Sorry' });
    await act(id, 'feedback', owner, { accepted: true });
    await act(id, 'fulfilment', agent, { done: true });
    await waitFor(id, (c) => c.status === 'closed');
    return id;
  },
  'long-timeline': async () => {
    // More timeline entries than the workflow carries: the oldest are left to the read model.
    const id = await open();
    const handle = client.workflow.getHandle(complaintWorkflowId(id));
    for (let i = 0; i < caseLimits.timelineInWorkflow + 10; i++) {
      await executeUpdateOnce(handle, recordOpsActionUpdate, [{ action: 'retry', reason: `note ${i}`, actor: 'ops:o1' }]);
    }
    await act(id, 'withdraw', owner);
    return id;
  },
  'consumer-wait': async () => {
    // A question answered, a second one left unanswered until its reply time ends.
    const id = await open();
    await act(id, 'acknowledge', agent);
    await act(id, 'information-request', quality, { question: 'A photo of the leak?', needed: ['photo'] });
    await sleep(500);
    await act(id, 'information', owner, { text: 'Attached', evidence: ['https://img.example/leak.jpg'] });
    await act(id, 'information-request', agent, { question: 'The serial number?' });
    await waitFor(id, (c) => c.status === 'investigating');
    await act(id, 'withdraw', owner);
    return id;
  },
  reopen: async () => {
    // Closed, reopened within the window (a second run under the same id), then withdrawn.
    const id = await open();
    await toPlanning(id);
    await act(id, 'plan', agent, { remedy: 'apology', description: 'Sorry' });
    await act(id, 'feedback', owner, { accepted: true });
    await act(id, 'fulfilment', agent, { done: true });
    await act(id, 'satisfaction', owner, { score: 2 });
    // 503 while the first run completes its closure.
    while (!(await call('POST', `/api/v1/complaints/${id}/reopen`, owner, { reason: 'It leaks again' }).catch(() => null))) await sleep(200);
    await act(id, 'withdraw', owner);
    return id;
  },
  'continue-as-new': async () => {
    const id = `can-${Date.now()}`;
    const policy = loadSlaPolicy(policyFile).forSeverity('general');
    await client.workflow.start('complaintWorkflow', {
      workflowId: complaintWorkflowId(id),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{
        id, receivedAt: new Date().toISOString(), actor: 'consumer:u1', policy, continueAsNewAtHistoryLength: 12,
        intake: {
          customerId: 'u1', orderId: 'o-can', productName: 'Kettle', description: 'Leaks', channel: 'web', category: 'quality',
          severity: 'general', evidence: [], locale: 'zh-CN', contact: { name: 'Test Person', email: 't@example.com' },
        },
      }],
    });
    const handle = client.workflow.getHandle(complaintWorkflowId(id));
    const update = (name: keyof typeof actionUpdates, actor: Principal, input: object) =>
      executeUpdateOnce(handle, actionUpdates[name] as never, [{ actor, input }] as never);
    await update('acknowledge', agent, {});
    await update('submitFindings', agent, { department: 'quality', summary: 'q', responsibleParty: 'merchant' });
    for (let round = 1; round <= 3; round++) {
      await update('proposePlan', agent, { remedy: 'refund', description: `round ${round}`, amount: round, currency: 'CNY' });
      await update('giveFeedback', owner, { accepted: round === 3, ...(round < 3 ? { comment: 'no' } : {}) });
    }
    // An agent confirms a refund only once the payment service has taken it (a manual task).
    while (!(await handle.query(getComplaintQuery)).requests.some((r) => r.key === 'refund:v3' && r.status === 'accepted')) await sleep(50);
    await update('completeFulfilment', agent, { done: true });
    await update('rateSatisfaction', owner, { score: 4 });
    return id;
  },
};

try {
  await mkdir(out, { recursive: true });
  const only = process.argv.slice(2);
  const chosen = Object.entries(scenarios).filter(([name]) => only.length === 0 || only.includes(name));
  const ids = Object.fromEntries(await Promise.all(chosen.map(async ([name, run]) => [name, await run()] as const)));
  await sleep(1000); // let the last activities finish
  for (const [name, id] of Object.entries(ids)) {
    const executions: Array<{ runId: string; startTime: Date }> = [];
    for await (const e of client.workflow.list({ query: `WorkflowId = '${complaintWorkflowId(id)}'` })) executions.push(e);
    const runs = executions.sort((a, b) => a.startTime.getTime() - b.startTime.getTime()).map((e) => e.runId);
    for (const [index, runId] of runs.entries()) {
      const history = await client.workflow.getHandle(complaintWorkflowId(id), runId).fetchHistory();
      // Stored under the development service key: the replay test has no database of case keys.
      await reseal(history, caseCodec, serviceCodec);
      const file = path.join(out, runs.length > 1 ? `${name}.run${index + 1}.json` : `${name}.json`);
      await writeFile(file, historyToFixture(history));
      console.log(`${file}: ${history.events?.length} events`);
    }
  }
} finally {
  await client.connection.close();
  await keysDb.close();
  await service.stop();
  await rm(dir, { recursive: true, force: true });
}
