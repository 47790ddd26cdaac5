import { Router } from 'express';

export type ReadinessChecks = Record<string, () => Promise<unknown>>;

/** `/healthz` (the process is alive) and `/readyz` (every dependency answers in time). */
export function healthRoutes(readiness: ReadinessChecks): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const entries = await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => {
        const ok = await withTimeout(check(), 2000).then(() => true, () => false);
        return [name, ok ? 'ok' : 'unavailable'] as const;
      }),
    );
    const ready = entries.every(([, state]) => state === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(entries) });
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (err) => (clearTimeout(timer), reject(err)),
    );
  });
}
