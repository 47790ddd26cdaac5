import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts every Temporal payload (workflow inputs, results, update arguments, activity
 * arguments, memo, and — with the failure converter — failure messages) with AES-256-GCM, so
 * names, phones and e-mail addresses never reach the Temporal server in plaintext.
 * Keys rotate: new payloads use the current key; old ones decrypt with the key named in their
 * metadata, as long as it is still configured.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

export class EncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;

  constructor(keys: Record<string, Buffer>, private readonly currentKeyId: string) {
    this.keys = new Map(Object.entries(keys));
    for (const [id, key] of this.keys) {
      if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (AES-256), not ${key.length}`);
    }
    if (!this.keys.has(currentKeyId)) throw new Error(`the current payload key ${currentKeyId} is not among the configured keys`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.currentKeyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = Buffer.from(toBinary(payload));
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: Buffer.from(this.currentKeyId),
        },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString() !== ENCRYPTED_ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
      const key = this.keys.get(keyId);
      if (!key) throw new Error(`payload encrypted with unknown key ${keyId}: configure it in PAYLOAD_KEYS`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      return fromBinary(plain);
    });
  }
}

// A payload is serialised as JSON of base64 fields: small, and no protobuf dependency here.
function toBinary(payload: Payload): string {
  return JSON.stringify({
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  });
}

function fromBinary(bytes: Buffer): Payload {
  const json = JSON.parse(bytes.toString('utf8')) as { metadata: Record<string, string>; data: string };
  return {
    metadata: Object.fromEntries(Object.entries(json.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(json.data, 'base64'),
  };
}

/** Development key: production refuses to start without PAYLOAD_KEYS. */
export const developmentPayloadKeys = `dev:${Buffer.alloc(32, 7).toString('base64')}`;

/** `PAYLOAD_KEYS` = `id:base64key,id2:base64key2`; the current key is PAYLOAD_KEY_ID or the first. */
export function codecFromConfig(keysSetting: string, currentKeyId?: string): EncryptionCodec {
  const keys: Record<string, Buffer> = {};
  for (const entry of keysSetting.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [id, b64] = entry.split(':');
    if (!id || !b64) throw new Error('PAYLOAD_KEYS entries look like id:base64key');
    keys[id] = Buffer.from(b64, 'base64');
  }
  const ids = Object.keys(keys);
  if (ids.length === 0) throw new Error('PAYLOAD_KEYS names no key');
  return new EncryptionCodec(keys, currentKeyId ?? ids[0]!);
}
