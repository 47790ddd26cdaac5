import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import { developmentPayloadKeys } from '../../runtime/payload-codec';
import { consumer, newComplaintBody, ops, startTestService, testJwtSecret, testMongoUri, type TestService } from '../support/service';

const newKey = `k2026:${Buffer.alloc(32, 42).toString('base64')}`;

/** The ops CLI, as an operator runs it. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/ops.ts', ...args], {
      env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), AUTH_JWT_SECRET: testJwtSecret, ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

/**
 * Rotating the service keys of PAYLOAD_KEYS while cases have keys of their own: a new current
 * key wraps new case keys, the old one still unwraps the old; `ops rewrap-case-keys` moves
 * every case key under the new one, after which the old service key can go.
 */
describe('service key rotation with per-case keys (real Temporal and FerretDB)', () => {
  const shared = { MONGODB_URI: testMongoUri(), TEMPORAL_TASK_QUEUE: `rotation-${randomUUID().slice(0, 8)}` };
  const services: TestService[] = [];
  let temporal: Client;
  let db: mongoose.Connection;

  beforeAll(async () => {
    temporal = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
    db = await mongoose.createConnection(shared.MONGODB_URI).asPromise();
  });
  afterAll(async () => {
    for (const s of services) await s.stop();
    await db?.close();
    await temporal?.connection.close();
  });

  const start = async (env: Record<string, string>) => {
    const service = await startTestService({ ...shared, ...env });
    services.push(service);
    return service;
  };
  const stop = async (service: TestService) => {
    await service.stop();
    services.splice(services.indexOf(service), 1);
  };
  /** The case's workflow input as the service's /codec endpoint decodes it (what the Temporal UI shows). */
  async function decodedInput(service: TestService, id: string): Promise<{ status: number; text: string }> {
    const history = await temporal.workflow.getHandle(complaintWorkflowId(id)).fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    const b64 = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString('base64');
    const body = { payloads: input.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])), data: b64(p.data) })) };
    const res = await service.api.call('POST', '/codec/decode', { as: ops, body });
    return { status: res.status, text: res.status === 200 ? Buffer.from(res.body.payloads[0].data, 'base64').toString('utf8') : JSON.stringify(res.body) };
  }
  const wrappedBy = async (id: string) => (await db.collection('case_keys').findOne({ _id: id as never }))?.wrappedBy;
  const open = async (service: TestService, email: string) =>
    (await service.api.post('/api/v1/complaints', newComplaintBody({ contact: { name: 'Rotation Case', email } }), consumer('rot'))).body.id as string;

  it('keeps every case readable through a rotation, and drops the old key after re-wrapping', async () => {
    // Before: the development key only.
    const before = await start({});
    const oldCase = await open(before, 'before.rotation@example.org');
    expect(await wrappedBy(oldCase)).toBe('dev');
    await stop(before);

    // A new current key beside the old: the old case still reads; a new case's key is wrapped by the new one.
    const during = await start({ PAYLOAD_KEYS: `${newKey},${developmentPayloadKeys}`, PAYLOAD_KEY_ID: 'k2026' });
    expect((await decodedInput(during, oldCase)).text).toContain('before.rotation@example.org');
    const newCase = await open(during, 'during.rotation@example.org');
    expect(await wrappedBy(newCase)).toBe('k2026');
    expect((await decodedInput(during, newCase)).text).toContain('during.rotation@example.org');

    // Re-wrap every case key under the current one.
    const rewrap = await cli(['rewrap-case-keys'], { ...shared, PAYLOAD_KEYS: `${newKey},${developmentPayloadKeys}`, PAYLOAD_KEY_ID: 'k2026' });
    expect(rewrap.code, rewrap.out).toBe(0);
    expect(rewrap.out).toContain('1 case key(s) re-wrapped under k2026');
    expect(await wrappedBy(oldCase)).toBe('k2026');
    await stop(during);

    // The old service key removed: both cases' payloads still decode (they are under their own keys).
    const after = await start({ PAYLOAD_KEYS: newKey });
    expect((await decodedInput(after, oldCase)).text).toContain('before.rotation@example.org');
    expect((await decodedInput(after, newCase)).text).toContain('during.rotation@example.org');
    // A service holding only the retired key reads neither: the case keys are no longer under it.
    await stop(after);
    const retired = await start({ PAYLOAD_KEYS: developmentPayloadKeys });
    const refused = await decodedInput(retired, oldCase);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.text).not.toContain('before.rotation@example.org');
  }, 120_000);
});
