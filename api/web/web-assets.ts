import express, { Router, type Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run web:build` (scripts/build-web.sh) writes the portal and the console. */
export const webDistDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

/**
 * The portal (consumers, at `/`) and the console (staff, at `/console`), built by Vite into
 * `web/dist`. Hashed assets are cached for a year (their name changes with their content); the
 * two HTML pages are never cached, so a new build is picked up on the next load. Only the
 * apps' own routes answer with their page: any other path stays the API's 404.
 */
export function webAssets(distDir = webDistDir): Router {
  const router = Router();
  const page = (name: 'portal' | 'console') => (_req: unknown, res: Response) => {
    const file = path.join(distDir, `${name}.html`);
    if (!existsSync(file)) {
      return res.status(503).type('text').set('cache-control', 'no-store')
        .send('The web console and portal are not built: run `npm run web:build` (npm start does it for you).');
    }
    res.set('cache-control', 'no-cache').sendFile(file);
  };
  router.use('/assets', express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  router.get(['/', '/new', '/complaints/:id'], page('portal'));
  router.get(['/console', '/console/*rest'], page('console'));
  return router;
}
