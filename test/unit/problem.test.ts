import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { HttpProblem, problemHandler } from '../../api/problem';
import { createLogger } from '../../runtime/logger';

describe('problem+json answers', () => {
  it('turns an unexpected error into a bare 500, logging it but leaking nothing', async () => {
    const lines: string[] = [];
    const app = express();
    app.get('/boom', () => {
      throw new Error('connection to mongodb://admin:hunter2@db failed at /srv/app/read-model.ts:42');
    });
    app.get('/known', () => {
      throw new HttpProblem(409, 'Conflict', 'in state closed', { state: 'closed' });
    });
    app.get('/busy', () => {
      throw new HttpProblem(503, 'Service Unavailable', 'try again', {}, { 'retry-after': '5' });
    });
    app.use(problemHandler(createLogger('info', { write: (l: string) => void lines.push(l) })));
    const server = app.listen(0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${base}/boom`);
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(text).not.toMatch(/hunter2|read-model\.ts|at |stack/);
      expect(JSON.parse(text)).toMatchObject({ status: 500, title: 'Internal Server Error' });
      expect(lines.join('')).toContain('request failed');

      const known = await fetch(`${base}/known`);
      expect(known.status).toBe(409);
      expect(await known.json()).toEqual({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'in state closed', state: 'closed' });
      expect(known.headers.get('retry-after')).toBeNull();

      const busy = await fetch(`${base}/busy`);
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('5');
    } finally {
      server.close();
    }
  });
});
