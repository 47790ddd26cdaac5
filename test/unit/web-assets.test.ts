import express from 'express';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webAssets } from '../../api/web/web-assets';

/** How Express serves the built portal and console: the pages never cached, hashed assets for a year. */
describe('serving the web apps', () => {
  const dist = mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
  const unbuilt = mkdtempSync(path.join(os.tmpdir(), 'web-none-'));
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  let base: string;
  let unbuiltBase: string;
  let unbuiltServer: typeof server;

  beforeAll(async () => {
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'portal.html'), '<!doctype html><title>portal</title>');
    writeFileSync(path.join(dist, 'console.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(dist, 'assets', 'console-AbC123.js'), 'console.log(1)');
    const listen = (dir: string) =>
      new Promise<typeof server>((resolve) => {
        const s = express().use(webAssets(dir)).use((_req, res) => res.status(404).send('api 404')).listen(0, '127.0.0.1', () => resolve(s));
      });
    server = await listen(dist);
    unbuiltServer = await listen(unbuilt);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    unbuiltBase = `http://127.0.0.1:${(unbuiltServer.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server?.close();
    unbuiltServer?.close();
  });

  it('answers the portal\'s and the console\'s routes with their page, not cached', async () => {
    for (const [route, title] of [['/', 'portal'], ['/new', 'portal'], ['/complaints/abc', 'portal'], ['/console', 'console'], ['/console/queue', 'console'], ['/console/complaints/abc', 'console']]) {
      const res = await fetch(`${base}${route}`);
      expect(res.status, route).toBe(200);
      expect(res.headers.get('cache-control'), route).toBe('no-cache');
      expect(await res.text(), route).toContain(`<title>${title}</title>`);
    }
  });

  it('serves hashed assets as immutable for a year; any other path stays the API\'s 404', async () => {
    const asset = await fetch(`${base}/assets/console-AbC123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const route of ['/assets/missing.js', '/complaints', '/elsewhere', '/complaints/a/b']) {
      const res = await fetch(`${base}${route}`);
      expect(res.status, route).toBe(404);
      expect(await res.text(), route).toBe('api 404');
    }
  });

  it('says how to build the apps when they are not built', async () => {
    const res = await fetch(`${unbuiltBase}/console`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run web:build/);
  });
});
