import type { Client } from '@temporalio/client';
import protoPkg from '@temporalio/proto';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Principal } from '../../api/auth';
import { consumer, newComplaintBody, startTestService, testClient, tokenFor, type TestService } from '../support/service';
import { recordFigure } from './figures';

const fuzzer = path.resolve('.runtime/fuzz-venv/bin/st');

function run(command: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

/**
 * Fault 5: the API fuzzed from its own /openapi.json (schemathesis, from PyPI) as each role:
 * no 5xx, no stack trace. Fault 6: no stored history and no log line holds a phone number or
 * an e-mail address in plaintext.
 */
describe('fuzzing and leaks', () => {
  let service: TestService;
  let temporal: Client;

  beforeAll(async () => {
    service = await startTestService({ RATE_LIMIT_PER_MINUTE: '1000000' });
    temporal = await testClient();
    // Some real cases, so fuzzed ids sometimes meet something.
    for (let i = 0; i < 3; i++) await service.api.post('/api/v1/complaints', newComplaintBody(), consumer(`fz-${i}`));
  });
  afterAll(async () => {
    await temporal?.connection.close();
    await service?.stop();
  });

  it('answers at least 2,000 generated requests without a 5xx or a stack trace', { timeout: 600_000 }, async () => {
    const roles: Principal[] = [
      { role: 'ops', sub: 'fuzz-ops' }, { role: 'agent', sub: 'fuzz-agent' }, { role: 'consumer', sub: 'fuzz-consumer' },
    ];
    let requests = 0;
    const statuses = new Map<number, number>();
    for (const [i, principal] of roles.entries()) {
      const har = path.join(inject('serverDataDir'), `fuzz-${principal.role}.har`);
      const { code, out } = await run(fuzzer, [
        'run', `${service.apiUrl}/openapi.json`, '--url', service.apiUrl,
        '-H', `Authorization: Bearer ${await tokenFor(principal)}`,
        '--checks', 'not_a_server_error', '--max-examples', '15', '--seed', String(1000 + i), '--workers', '1', // one thread: CPython 3.11.7's ast.parse is not thread-safe under hypothesis
        '--exclude-path-regex', '/ops/replay', '--request-timeout', '30',
        '--report', 'har', '--report-har-path', har,
      ]);
      const entries = (JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: Array<{ response: { status: number; content: { text?: string } } }> } }).log.entries;
      requests += entries.length;
      for (const e of entries) {
        statuses.set(e.response.status, (statuses.get(e.response.status) ?? 0) + 1);
        expect(e.response.status, `${principal.role}: ${e.response.content.text}`).toBeLessThan(500);
        expect(e.response.content.text ?? '').not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)|node_modules|\.ts:\d+/);
      }
      expect(code, out.slice(-3000)).toBe(0);
    }
    expect(requests).toBeGreaterThanOrEqual(2000);
    recordFigure('fuzz', { requests, statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])) });
  });

  it('finds no plaintext phone number or e-mail address in any stored history or log', { timeout: 300_000 }, async () => {
    // The phone numbers the tests write, in any spacing. (A general 11-digit pattern also
    // matches random runs in binary history bytes now and then.)
    const phone = /(?<![\d])(?:\+?86[ -]?)?(?:138[ -]?0013[ -]?8000|139[ -]?1234[ -]?5678|130[ -]?0000[ -]?0000|138[ -]?0000[ -]?0000)(?![\d])/;
    const email = /[\w.+-]+@(?:example\.(?:com|net)|shop\.example)/;
    let histories = 0;
    let events = 0;
    const { History } = protoPkg.temporal.api.history.v1;
    for await (const execution of temporal.workflow.list({ query: "WorkflowType = 'complaintWorkflow'" })) {
      const response = await temporal.workflowService.getWorkflowExecutionHistory({
        namespace: 'default', execution: { workflowId: execution.workflowId, runId: execution.runId },
      });
      const raw = Buffer.from(History.encode(response.history!).finish()).toString('latin1');
      expect(raw, execution.workflowId).not.toMatch(phone);
      expect(raw, execution.workflowId).not.toMatch(email);
      histories += 1;
      events += response.history?.events?.length ?? 0;
    }
    expect(histories).toBeGreaterThanOrEqual(3); // every case on the server: this file's and the other faults'
    const logs = service.logs.join('\n');
    expect(logs).not.toMatch(phone);
    expect(logs).not.toMatch(email);
    recordFigure('piiScan', { histories, events, logLines: service.logs.length, findings: 0 });
  });
});
