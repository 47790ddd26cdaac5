/**
 * The whole service for working on the web apps, on ports apart from `npm start` and the tests:
 *
 *   npx tsx web/scripts/dev-service.ts            (from the repository root)
 *   npx tsx web/scripts/dev-service.ts --seed     (and open a few cases in different states)
 *   DEV_FAST_SLA=1 npx tsx web/scripts/dev-service.ts --seed   (deadlines of minutes: see at risk / breached)
 *
 * Portal http://127.0.0.1:3300/, console http://127.0.0.1:3300/console, sign in as consumer-1,
 * agent-1, quality-1, logistics-1, legal-1, supervisor-1, ops-1 (password = username). It is
 * main.ts with other defaults (any variable set in the environment wins); it serves web/dist,
 * so run `npm run build` in web/ (or `npm run dev` there: Vite proxies /api and /auth here).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const port = Number(process.env.PORT ?? 3300);
const defaults: Record<string, string> = {
  PORT: String(port),
  AUTH_DEV_PROVIDER_PORT: '3301',
  TEMPORAL_PORT: '7300',
  TEMPORAL_UI_PORT: '8300',
  FERRETDB_PORT: '27300',
  METRICS_PORT: '0',
  DATA_DIR: '/tmp/webdev-data',
  LOG_LEVEL: 'warn',
  ...(process.env.DEV_FAST_SLA === '1' ? { SLA_POLICY_FILE: path.join(here, 'dev-policy.json') } : {}),
};
const env = { ...defaults, ...process.env } as NodeJS.ProcessEnv;
env.NODE_OPTIONS ??= '--max-old-space-size=512';

const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));

if (process.argv.includes('--seed')) {
  const base = `http://127.0.0.1:${port}`;
  await waitForReady(base);
  const { seed } = await import('./dev-seed');
  await seed(base, env);
  console.log('seeded demo cases');
}

async function waitForReady(base: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${base} did not become ready`);
}
