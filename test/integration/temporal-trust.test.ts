import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import { codecFromConfig } from '../../runtime/payload-codec';
import { CaseKeyCodec } from '../../personal-data/case-key-codec';
import { caseKeyModel, CaseKeyStore } from '../../personal-data/case-keys';
import { HandlerServer } from '../support/handler-server';
import { agent, consumer, department, eventually, newComplaintBody, ops, startTestService, type TestService } from '../support/service';

/**
 * Temporal is a trust boundary. In production the worker refuses payloads it did not
 * encrypt, so a client that reaches the frontend without the payload keys cannot run a case
 * (or get a refund paid); and the service can reach Temporal over TLS with a client certificate.
 */
const paymentsSecret = 'payments-secret-0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a worker in production', () => {
  const payloadKeys = `prod:${randomBytes(32).toString('base64')}`;
  const serviceCodec = codecFromConfig(payloadKeys);
  // The service's own reading: cases' payloads are under their keys (wrapped by payloadKeys).
  let codec: CaseKeyCodec;
  const payments = new HandlerServer({ '/payments': paymentsSecret }).payOnce();
  let service: TestService;
  let rogue: Client;

  beforeAll(async () => {
    const base = await payments.start();
    service = await startTestService({
      NODE_ENV: 'production', PAYLOAD_KEYS: payloadKeys,
      // Production signs people in at a real provider; none is asked here (discovery is lazy).
      PUBLIC_URL: 'http://127.0.0.1', AUTH_OIDC_ISSUER: 'https://idp.example', AUTH_OIDC_CLIENT_SECRET: 'test-client-secret', SESSION_SECRET: 'x'.repeat(32),
      HANDLER_PAYMENTS_URL: `${base}/payments`, HANDLER_PAYMENTS_HMAC_SECRET: paymentsSecret,
    });
    codec = new CaseKeyCodec(serviceCodec, new CaseKeyStore(caseKeyModel(mongoose.createConnection(service.mongoUri)), serviceCodec));
    // Anyone who can reach the frontend: no payload keys, the SDK's default (plain JSON) converter.
    rogue = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
  });
  afterAll(async () => {
    await rogue?.connection.close();
    await service?.stop();
    await payments.stop();
  });

  const decoded = async (payloads: Payload[] | null | undefined) =>
    (await codec.decode((payloads ?? []) as Payload[])).map((p) => defaultPayloadConverter.fromPayload(p));

  it('runs a whole refund with every payload encrypted, and refuses the same case sent in plain JSON', async () => {
    // 1. A real case through the API, to the refund: all of it works with strict decoding
    //    (search attributes, markers and headers are not the codec's business).
    const post = async (url: string, body: unknown, as: Parameters<TestService['api']['post']>[2]) => {
      const res = await service.api.post(url, body, as);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      return res.body;
    };
    const id = (await post('/api/v1/complaints', newComplaintBody({ category: 'quality' }), consumer('u1'))).id as string;
    await post(`/api/v1/complaints/${id}/acknowledge`, {}, agent);
    await post(`/api/v1/complaints/${id}/findings`, { department: 'quality', summary: 'Defect', responsibleParty: 'merchant' }, department('quality'));
    await post(`/api/v1/complaints/${id}/plan`, { remedy: 'refund', description: 'Refund', amount: 120 }, agent);
    await post(`/api/v1/complaints/${id}/feedback`, { accepted: true }, consumer('u1'));
    await eventually(async () => (payments.payments.has(`${id}:refund:v1`) ? true : null), 30_000);

    // 2. A rogue client replays that case's start and updates, decrypted, under a new id.
    const history = await rogue.workflow.getHandle(complaintWorkflowId(id)).fetchHistory();
    const rogueId = randomUUID();
    const renamed = (values: unknown[]) => JSON.parse(JSON.stringify(values).replaceAll(id, rogueId)) as unknown[];
    const started = history.events!.find((e) => e.workflowExecutionStartedEventAttributes)!.workflowExecutionStartedEventAttributes!;
    const updates = await Promise.all(
      history.events!
        .filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)
        .map(async (e) => {
          const input = e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!;
          return { name: input.name!, args: renamed(await decoded(input.args?.payloads as Payload[])) as [unknown, ...unknown[]] };
        }),
    );
    expect(updates.map((u) => u.name)).toEqual(expect.arrayContaining(['acknowledge', 'proposePlan']));
    const handle = await rogue.workflow.start(started.workflowType!.name!, {
      workflowId: complaintWorkflowId(rogueId),
      taskQueue: service.taskQueue,
      args: renamed(await decoded(started.input?.payloads as Payload[])),
    });

    // 3. Its workflow task fails on the plain input: no workflow code runs.
    const failure = await eventually(async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      return events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure;
    }, 20_000);
    const [attributes] = await decoded([failure.encodedAttributes as Payload]);
    expect((attributes as { message: string }).message).toMatch(/refused-not-encrypted/);
    for (const update of updates) {
      await expect(rogue.connection.withDeadline(Date.now() + 3000, () => handle.executeUpdate(update.name, { args: update.args }))).rejects.toThrow();
    }
    await sleep(2000);

    // 4. Nothing happened: no payment, no case in the read model, no activity ever scheduled.
    expect([...payments.payments.keys()].filter((k) => k.startsWith(rogueId))).toEqual([]);
    expect(payments.requestsTo('/payments').filter((r) => r.body.complaintId === rogueId)).toEqual([]);
    const db = await mongoose.createConnection(service.mongoUri).asPromise();
    try {
      const complaints = db.collection<{ _id: string }>('complaints');
      expect(await complaints.countDocuments({ _id: id })).toBe(1);
      expect(await complaints.countDocuments({ _id: rogueId })).toBe(0);
    } finally {
      await db.close();
    }
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes || e.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);
    await handle.terminate('test: rogue case');
  }, 120_000);

  it('refuses a plain update sent to a live case, and the case goes on', async () => {
    // The API's own update, as it sends it, but without the encryption.
    const id = (await service.api.post('/api/v1/complaints', newComplaintBody(), consumer('u2'))).body.id as string;
    const handle = rogue.workflow.getHandle(complaintWorkflowId(id));
    const refusal = await rogue.connection
      .withDeadline(Date.now() + 5000, () => handle.executeUpdate('acknowledge', { args: [{ actor: { role: 'agent', sub: 'intruder' }, input: {} }] }))
      .then(() => 'accepted', (err: Error) => err);
    // Rejected at once (the rejection is encrypted: the rogue cannot even read why), not applied.
    expect(refusal).toBeInstanceOf(Error);
    const acknowledged = await service.api.post(`/api/v1/complaints/${id}/acknowledge`, {}, agent);
    // 200, not 409: the rogue's acknowledgement did not happen.
    expect(acknowledged.status, JSON.stringify(acknowledged.body)).toBe(200);
    expect(JSON.stringify(acknowledged.body)).not.toContain('intruder');
  }, 60_000);

  it('still lets the Temporal UI display what is plaintext through /codec', async () => {
    const plain = defaultPayloadConverter.toPayload({ status: 'open' });
    const body = { payloads: [{ metadata: { encoding: Buffer.from(plain.metadata!.encoding!).toString('base64') }, data: Buffer.from(plain.data!).toString('base64') }] };
    const res = await service.api.post('/codec/decode', body, ops);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(body);
  });
});

/** A CA, a server certificate for `temporal.test`, and client certificates from our CA and another. */
function makeCertificates() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'temporal-tls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', cwd: dir });
  const key = (name: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', file(`${name}.key`));
  const authority = (name: string) => {
    key(name);
    openssl('req', '-x509', '-new', '-key', file(`${name}.key`), '-subj', `/CN=${name}`, '-days', '1', '-out', file(`${name}.pem`));
  };
  const issue = (name: string, issuer: string, extension: string) => {
    key(name);
    writeFileSync(file(`${name}.ext`), `${extension}\n`);
    openssl('req', '-new', '-key', file(`${name}.key`), '-subj', `/CN=${name}`, '-out', file(`${name}.csr`));
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${issuer}.pem`), '-CAkey', file(`${issuer}.key`), '-CAcreateserial',
      '-days', '1', '-extfile', file(`${name}.ext`), '-out', file(`${name}.pem`));
  };
  authority('test-ca');
  authority('other-ca');
  issue('temporal', 'test-ca', 'subjectAltName=DNS:temporal.test');
  issue('complaints-service', 'test-ca', 'extendedKeyUsage=clientAuth');
  issue('intruder', 'other-ca', 'extendedKeyUsage=clientAuth');
  return { file, read: (name: string) => readFileSync(file(name)) };
}

describe('TLS with client certificates to Temporal', () => {
  const certs = makeCertificates();
  const clients: string[] = [];
  let proxy: tls.Server;
  let address: string;
  let service: TestService;

  beforeAll(async () => {
    // The test Temporal server speaks plaintext: this proxy is its TLS frontend, and only
    // lets in clients whose certificate our CA issued (mutual TLS).
    const [upstreamHost, upstreamPort] = inject('temporalAddress').split(':');
    proxy = tls.createServer(
      { key: certs.read('temporal.key'), cert: certs.read('temporal.pem'), ca: certs.read('test-ca.pem'), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
      (socket) => {
        clients.push(String(socket.getPeerCertificate().subject?.CN));
        const upstream = net.connect(Number(upstreamPort), upstreamHost);
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      },
    );
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    service = await startTestService({
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TLS_CERT: certs.file('complaints-service.pem'),
      TEMPORAL_TLS_KEY: certs.file('complaints-service.key'),
      TEMPORAL_TLS_CA: certs.file('test-ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await new Promise((resolve) => proxy?.close(resolve));
  });

  it('runs the API and the worker over mutual TLS', async () => {
    const opened = await service.api.post('/api/v1/complaints', newComplaintBody(), consumer('u1'));
    expect(opened.status).toBe(201);
    // Acknowledging needs the worker: it answers the update through its own TLS connection.
    const acknowledged = await service.api.post(`/api/v1/complaints/${opened.body.id}/acknowledge`, {}, agent);
    expect(acknowledged.status, JSON.stringify(acknowledged.body)).toBe(200);
    expect((await service.api.get('/readyz')).body.checks).toMatchObject({ temporal: 'ok', worker: 'ok' });
    // The process's one connection (the API's calls and the worker's polls, decision 028), with the service's certificate.
    expect(clients.length).toBeGreaterThanOrEqual(1);
    expect(new Set(clients)).toEqual(new Set(['complaints-service']));
  });

  it('the frontend lets in no client without a certificate of our CA', async () => {
    const attempt = (options: Parameters<typeof Connection.connect>[0]) => Connection.connect({ address, connectTimeout: 3000, ...options });
    await expect(attempt({})).rejects.toThrow();
    await expect(attempt({ tls: { serverRootCACertificate: certs.read('test-ca.pem'), serverNameOverride: 'temporal.test' } })).rejects.toThrow();
    await expect(attempt({
      tls: {
        serverRootCACertificate: certs.read('test-ca.pem'), serverNameOverride: 'temporal.test',
        clientCertPair: { crt: certs.read('intruder.pem'), key: certs.read('intruder.key') },
      },
    })).rejects.toThrow();
  });
});
