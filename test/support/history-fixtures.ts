import proto from '@temporalio/proto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';

/**
 * Recorded histories as JSON (protobufjs' object form: 64-bit ids as strings, enums by name,
 * bytes in base64). Payloads stay as recorded: encrypted with the development key.
 */
const { History } = proto.temporal.api.history.v1;

export const historyFixtureDir = path.resolve('test/fixtures/histories');

export function historyToFixture(history: temporal.api.history.v1.IHistory): string {
  const object = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String, defaults: false });
  return `${JSON.stringify(object, null, 1)}\n`;
}

export function loadHistoryFixtures(): Array<{ name: string; workflowId: string; history: temporal.api.history.v1.IHistory }> {
  return readdirSync(historyFixtureDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ''), workflowId: `fixture-${file}`, history: loadHistoryFile(path.join(historyFixtureDir, file)) }));
}

/** One recorded history, by its path. */
export function loadHistoryFile(file: string): temporal.api.history.v1.IHistory {
  return History.fromObject(JSON.parse(readFileSync(path.resolve(file), 'utf8')));
}
