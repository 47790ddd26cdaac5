import proto from '@temporalio/proto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { temporal } from '@temporalio/proto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { caseKeyPrefix } from '../../personal-data/case-key-codec';
import { sealedKeyId } from '../../runtime/payload-codec';

/**
 * Recorded histories as JSON (protobufjs' object form: 64-bit ids as strings, enums by name,
 * bytes in base64). Payloads are encrypted with the development service key (`reseal`), so
 * that they replay without a database of case keys.
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

/** Every payload anywhere in a history (inputs, results, updates, markers, failures…). */
export function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const candidate = value as Payload;
  if (candidate.metadata && candidate.data instanceof Uint8Array && 'encoding' in candidate.metadata) found.push(candidate);
  for (const v of Object.values(value)) payloadsIn(v, found);
  return found;
}

/**
 * A recorded history's payloads sealed under a case's key, opened (`caseCodec`) and sealed
 * again under the development service key (`serviceCodec`), in place. Plain payloads (search
 * attributes, the SDK's markers) stay as they are.
 */
export async function reseal(history: temporal.api.history.v1.IHistory, caseCodec: PayloadCodec, serviceCodec: PayloadCodec): Promise<void> {
  for (const payload of payloadsIn(history)) {
    if (!sealedKeyId(payload)?.startsWith(caseKeyPrefix)) continue;
    const [sealed] = await serviceCodec.encode(await caseCodec.decode([payload]));
    payload.metadata = sealed!.metadata;
    payload.data = sealed!.data;
  }
}
