import mongoose from 'mongoose';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFactsModel } from '../../activities/report-facts-store';
import {
  agent, consumer, department, eventually, newComplaintBody, secondsPolicy, startTestService, supervisor, type TestService,
} from '../support/service';

/**
 * The what-if over real cases: a period with a breach of every stage, run through the real
 * workflow (dev server, FerretDB) under a policy of seconds, then replayed by POST
 * /reports/what-if with that same policy (it must agree with every recorded breach) and with
 * a looser one.
 */
describe('what-if over the cases of a period (real servers)', () => {
  let service: TestService;
  let policyFile: string;
  const from = new Date().toISOString();

  beforeAll(async () => {
    policyFile = secondsPolicy({ acknowledge: '2s', investigate: '2s', plan: '2s', feedback: '2s', repair: '2s', resolve: '9s', revisit: '30s' });
    service = await startTestService({ SLA_POLICY_FILE: policyFile });
  });
  afterAll(async () => {
    await service?.stop();
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const post = async (id: string, action: string, body: unknown, as: Parameters<TestService['api']['post']>[2]) => {
    const res = await service.api.post(`/api/v1/complaints/${id}/${action}`, body, as);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const late = 2_500;
  /** One case, late at one stage: the breach of that stage, then withdrawn (nothing runs on). */
  const caseLateAt = async (stage: string, owner: string) => {
    const res = await service.api.post('/api/v1/complaints', newComplaintBody(), consumer(owner));
    const id = res.body.id as string;
    if (stage === 'acknowledge') await sleep(late);
    await post(id, 'acknowledge', {}, agent);
    if (stage === 'investigate') await sleep(late);
    await post(id, 'findings', { department: 'quality', summary: 'Seal defect', responsibleParty: 'merchant' }, department('quality'));
    if (stage === 'plan') await sleep(late);
    await post(id, 'plan', { remedy: 'repair', description: 'We repair it' }, agent);
    if (stage === 'feedback') await sleep(late);
    await post(id, 'feedback', { accepted: true }, consumer(owner));
    if (stage === 'repair' || stage === 'resolve') await sleep(stage === 'resolve' ? 9_500 : late);
    await post(id, 'withdraw', {}, consumer(owner));
    return id;
  };

  let ids: Record<string, string> = {};
  it('reproduces every recorded breach with the cases\' own policy, and shows what a looser one changes', async () => {
    const stages = ['acknowledge', 'investigate', 'plan', 'feedback', 'repair', 'resolve'];
    ids = Object.fromEntries(await Promise.all(stages.map(async (stage, i) => [stage, await caseLateAt(stage, `wi-${i}`)] as const)));
    await eventually(async () => {
      const page = await service.api.get('/api/v1/complaints?status=withdrawn&limit=100', agent);
      return Object.values(ids).every((id) => page.body.items.some((c: { id: string }) => c.id === id)) ? true : null;
    });
    const to = new Date(Date.now() + 1000).toISOString();
    const own = JSON.parse(readFileSync(policyFile, 'utf8'));

    const same = await service.api.post('/api/v1/reports/what-if', { policy: own, from, to }, supervisor);
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(same.body.cases).toBe(6);
    expect(same.body.selfCheck, JSON.stringify(same.body.selfCheck)).toEqual({ agreeing: 6, disagreeing: 0, disagreements: [], unknownPolicy: { cases: 0, versions: [] } });
    expect(same.body.flips).toEqual({ total: 0, items: [] });
    const breached = (body: any, which: 'breachedNow' | 'breachedCandidate') =>
      Object.fromEntries(body.stages.map((s: any) => [s.stage, s[which]]));
    expect(breached(same.body, 'breachedNow'), JSON.stringify(same.body.stages)).toMatchObject({ acknowledge: 1, investigate: 1, plan: 1, feedback: 1, repair: 2, resolve: 1 }); // the resolve case was late in repair too
    expect(breached(same.body, 'breachedCandidate')).toEqual(breached(same.body, 'breachedNow'));

    // Acknowledgement within 10 s instead of 2 s: the one late acknowledgement was in time.
    const looser = await service.api.post('/api/v1/reports/what-if', { policy: { ...own, policies: { general: { ...own.policies.general, acknowledge: '10s' } } }, from, to }, supervisor);
    expect(looser.status).toBe(200);
    expect(looser.body.flips.items).toEqual([{ id: ids.acknowledge, stage: 'acknowledge', now: 'breached', candidate: 'met' }]);
    expect(breached(looser.body, 'breachedCandidate')).toMatchObject({ acknowledge: 0, investigate: 1 });
    expect(looser.body.breaches).toEqual({ now: 7, candidate: 6 });
    const acknowledge = looser.body.stages.find((s: any) => s.stage === 'acknowledge');
    expect(acknowledge).toMatchObject({ clocks: 6, complianceNow: 0.833, complianceCandidate: 1 });

    // The same from the command line, as tables.
    const cli = spawnSync('npx', ['tsx', 'scripts/what-if.ts', '--policy', policyFile, '--from', from, '--to', to], {
      env: { ...process.env, MONGODB_URI: service.mongoUri, NO_COLOR: '1' }, encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('6 cases received');
    expect(cli.stdout).toContain('Self-check: all 6 cases reproduce their recorded breaches');

    // Facts stored before they kept the clocks: those cases are read from the read model, same answer.
    const db = await mongoose.createConnection(service.mongoUri).asPromise();
    try {
      await reportFactsModel(db).collection.updateMany({ _id: { $in: [ids.acknowledge!, ids.resolve!] } } as never, { $unset: { clocks: '' } });
      expect((await reportFactsModel(db).findById(ids.acknowledge).lean())!.clocks).toBeUndefined();
    } finally {
      await db.close();
    }
    const fromTimelines = await service.api.post('/api/v1/reports/what-if', { policy: { ...own, policies: { general: { ...own.policies.general, acknowledge: '10s' } } }, from, to }, supervisor);
    expect(fromTimelines.body).toEqual(looser.body);
  }, 60_000);

  it('names each bad field of a candidate policy (400), and answers an empty period with an empty comparison', async () => {
    const bad = await service.api.post('/api/v1/reports/what-if', {
      policy: { timezone: 'Mars/Olympus', policies: { general: { acknowledge: 'soon' } } }, from, to: new Date().toISOString(),
    }, supervisor);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['policy.timezone', 'policy.policies.general.acknowledge']));
    const empty = await service.api.post('/api/v1/reports/what-if', { policy: {}, from: '2020-01-01', to: '2020-04-01' }, supervisor);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ cases: 0, stages: [], flips: { total: 0 }, selfCheck: { agreeing: 0, disagreeing: 0 } });
    const backwards = await service.api.post('/api/v1/reports/what-if', { policy: {}, from: '2030-01-01', to: '2020-01-01' }, supervisor);
    expect(backwards.body).toMatchObject({ cases: 0, stages: [] });
    expect((await service.api.post('/api/v1/reports/what-if', { policy: {}, from: '2020-01-01', to: '2020-04-01' }, agent)).status).toBe(403);
  });

  it('shows supervisors the policy in force, the starting point of a candidate', async () => {
    const res = await service.api.get('/api/v1/sla-policy', supervisor);
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(service.slaPolicyVersion);
    expect(res.body.policy.policies.general.acknowledge).toBe('2s');
    expect(res.body.policy.timezone).toBe('Asia/Shanghai'); // the default, filled in
    expect((await service.api.get('/api/v1/sla-policy', agent)).status).toBe(403);
  });
});
