import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { codecFromConfig, developmentPayloadKeys } from '../../runtime/payload-codec';

const value = { actor: 'consumer:someone', accepted: true };
const plain = defaultPayloadConverter.toPayload(value);
const read = (payloads: Array<{ data?: Uint8Array | null }>) => payloads.map((p) => defaultPayloadConverter.fromPayload(p as never));

describe('the payload codec at the Temporal trust boundary', () => {
  it('with requireEncryption, a payload it did not encrypt reads as nothing any converter accepts', async () => {
    const strict = codecFromConfig(developmentPayloadKeys, undefined, { requireEncryption: true });
    const refused = await strict.decode([plain]);
    expect(() => read(refused)).toThrow(/Unknown encoding: binary\/refused-not-encrypted/);
    expect(read(await strict.decode(await strict.encode([plain])))).toEqual([value]);
  });

  it('refuses by default: passing plaintext through is an explicit choice (development, tests)', async () => {
    const byDefault = await codecFromConfig(developmentPayloadKeys).decode([plain]);
    expect(() => read(byDefault)).toThrow(/refused-not-encrypted/);
    expect(read(await codecFromConfig(developmentPayloadKeys, undefined, { requireEncryption: false }).decode([plain]))).toEqual([value]);
  });

  it('refuses a forged or tampered payload whatever the choice', async () => {
    const lenient = codecFromConfig(developmentPayloadKeys, undefined, { requireEncryption: false });
    const [encrypted] = await lenient.encode([plain]);
    const data = Buffer.from(encrypted!.data!);
    data[20] = data[20]! ^ 1;
    await expect(lenient.decode([{ ...encrypted!, data }])).rejects.toThrow();
  });
});
