import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Figures of the last fault-suite run, for docs/reliability.md (bench/results/faults-latest.json). */
const file = path.resolve('bench/results/faults-latest.json');

export function recordFigure(name: string, figures: Record<string, unknown>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  all[name] = { ...figures, at: new Date().toISOString() };
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}
