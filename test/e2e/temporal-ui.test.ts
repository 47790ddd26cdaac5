import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintWorkflowId } from '../../domain/complaint';
import { freePort } from '../../runtime/processes';
import { consumer, newComplaintBody, startTestService, type TestService } from '../support/service';
import { launchChromium, signedIn } from './support/chromium';

/**
 * The Temporal Web UI shows a case's history decoded to ops staff, and to nobody else: the
 * embedded UI is served at /temporal on the service's origin for signed-in ops, and its codec
 * endpoint (/codec) takes their session from that origin.
 */
describe('the Temporal Web UI for ops', () => {
  let service: TestService;
  let chrome: Browser;
  let id: string;

  beforeAll(async () => {
    // A service with its own embedded Temporal dev server, UI on.
    service = await startTestService({
      TEMPORAL_ADDRESS: undefined as unknown as string,
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'temporal-ui-')),
    });
    chrome = await launchChromium();
    id = (await service.api.post('/api/v1/complaints', newComplaintBody({ productName: 'Copper kettle 1.7 l' }), consumer('ui-u1'))).body.id;
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await service?.stop();
  });

  it('a signed-in ops person following the case\'s link sees the history decoded', async () => {
    const context = await chrome.newContext();
    try {
      const codecAnswers: number[] = [];
      const requests: string[] = [];
      context.on('response', (r) => {
        requests.push(`${r.status()} ${r.request().method()} ${r.url()}`);
        if (new URL(r.url()).pathname === '/codec/decode') codecAnswers.push(r.status());
      });
      const link = `/temporal/namespaces/default/workflows/${complaintWorkflowId(id)}`;
      const page = await signedIn(context, service.apiUrl, 'ops-1', link);
      await expect.poll(() => codecAnswers.length, { timeout: 30_000, message: requests.join('\n') }).toBeGreaterThan(0);
      expect(codecAnswers.every((status) => status === 200)).toBe(true);
      // The workflow's input, decrypted by the codec: the product the consumer named.
      await expect.poll(async () => (await page.content()).includes('Copper kettle 1.7 l'), { timeout: 30_000 }).toBe(true);
      // The case page links ops there.
      const me = await page.request.get(`${service.apiUrl}/api/v1/complaints/${id}`);
      expect((await me.json()).workflowUrl).toBe(`/temporal/namespaces/default/workflows/${complaintWorkflowId(id)}`);
    } finally {
      await context.close();
    }
  });

  it('nobody else: another role is refused the UI and the codec; no session is sent to sign in', async () => {
    const anonymous = await fetch(`${service.apiUrl}/temporal/`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/auth\/login\?returnTo=/);
    const context = await chrome.newContext();
    try {
      const page = await signedIn(context, service.apiUrl, 'agent-1', '/console');
      const ui = await page.request.get(`${service.apiUrl}/temporal/`);
      expect(ui.status()).toBe(403);
      const codec = await page.request.post(`${service.apiUrl}/codec/decode`, {
        headers: { origin: service.apiUrl, 'content-type': 'application/json' }, data: { payloads: [] },
      });
      expect(codec.status()).toBe(403);
    } finally {
      await context.close();
    }
    // Ops, but from another origin (a page elsewhere posting with the cookie): refused.
    const opsContext = await chrome.newContext();
    try {
      const page = await signedIn(opsContext, service.apiUrl, 'ops-1', '/console');
      const foreign = await page.request.post(`${service.apiUrl}/codec/decode`, {
        headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, data: { payloads: [] },
      });
      expect(foreign.status()).toBe(403);
      const own = await page.request.post(`${service.apiUrl}/codec/decode`, {
        headers: { origin: new URL(service.apiUrl).origin, 'content-type': 'application/json' }, data: { payloads: [] },
      });
      expect(own.status()).toBe(200);
    } finally {
      await opsContext.close();
    }
  });
});
