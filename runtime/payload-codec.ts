import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts every Temporal payload (workflow inputs, results, update arguments, activity
 * arguments, memo, and — with the failure converter — failure messages) with AES-256-GCM, so
 * names, phones and e-mail addresses never reach the Temporal server in plaintext.
 * Keys rotate: new payloads use the current key; old ones decrypt with the key named in their
 * metadata, as long as it is still configured.
 *
 * Whoever reaches the Temporal frontend can start a workflow or send an update with plain
 * JSON payloads. With `requireEncryption` (production) such a payload decodes to one that no
 * payload converter reads (REFUSED_ENCODING), so the value is refused where it is used: a
 * workflow started with plain input fails its first workflow task and never runs a line of
 * workflow code (nor pays); a plain update to a live case is rejected and the case goes on
 * (failing the whole activation instead would stall the case); an activity task with plain
 * input fails. AES-GCM authenticates, so nobody without a key can make a payload that decodes.
 * The SDK decodes nothing it did not encode: search attributes and headers bypass codecs.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/** What a payload without our encryption becomes in production: "Unknown encoding" to every converter. */
export const REFUSED_ENCODING = 'binary/refused-not-encrypted';

export interface CodecOptions {
  /** Refuse payloads this codec did not encrypt (production); otherwise pass them through. */
  requireEncryption: boolean;
}

/** A payload under a key this service does not hold: it cannot be decrypted here. */
export class PayloadUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadUnreadableError';
  }
}

export class EncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;

  constructor(
    keys: Record<string, Buffer>,
    private readonly currentKeyId: string,
    private readonly options: CodecOptions,
  ) {
    this.keys = new Map(Object.entries(keys));
    for (const [id, key] of this.keys) {
      if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (AES-256), not ${key.length}`);
    }
    if (!this.keys.has(currentKeyId)) throw new Error(`the current payload key ${currentKeyId} is not among the configured keys`);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.currentKeyId)!;
    return payloads.map((payload) => sealPayload(payload, key, this.currentKeyId));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const keyId = sealedKeyId(payload);
      if (keyId === undefined) return this.options.requireEncryption ? refused() : payload;
      return openPayload(payload, this.serviceKey(keyId));
    });
  }

  /** The service key of this id (new payloads: `currentKeyId`); throws naming a key not configured. */
  serviceKey(keyId: string = this.currentKeyId): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new PayloadUnreadableError(`payload encrypted with unknown key ${keyId}: configure it in PAYLOAD_KEYS`);
    return key;
  }

  get currentServiceKeyId(): string {
    return this.currentKeyId;
  }

  get requiresEncryption(): boolean {
    return this.options.requireEncryption;
  }
}

/** AES-256-GCM of the whole payload under `key`, named `keyId` in the metadata. */
export function sealPayload(payload: Payload, key: Buffer, keyId: string): Payload {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const plain = Buffer.from(toBinary(payload));
  const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    metadata: {
      [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
      [KEY_ID_METADATA]: Buffer.from(keyId),
    },
    data,
  };
}

/** The key id a payload we encrypted names; undefined for one we did not encrypt. */
export function sealedKeyId(payload: Payload): string | undefined {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  if (!encoding || Buffer.from(encoding).toString() !== ENCRYPTED_ENCODING) return undefined;
  return Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
}

/** The payload `sealPayload` encrypted; GCM refuses any other key or a changed byte. */
export function openPayload(payload: Payload, key: Buffer): Payload {
  const data = Buffer.from(payload.data ?? []);
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
  decipher.setAuthTag(data.subarray(data.length - 16));
  const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
  return fromBinary(plain);
}

const refused = (): Payload => ({ metadata: { [METADATA_ENCODING_KEY]: Buffer.from(REFUSED_ENCODING) }, data: Buffer.alloc(0) });

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

/**
 * `PAYLOAD_KEYS` = `id:base64key,id2:base64key2`; the current key is PAYLOAD_KEY_ID or the first.
 * Strict unless the caller says otherwise: passing plaintext through is a decision
 * (runtime/service.ts makes it for development and tests).
 */
export function codecFromConfig(
  keysSetting: string,
  currentKeyId?: string,
  options: CodecOptions = { requireEncryption: true },
): EncryptionCodec {
  const keys: Record<string, Buffer> = {};
  for (const entry of keysSetting.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [id, b64] = entry.split(':');
    if (!id || !b64) throw new Error('PAYLOAD_KEYS entries look like id:base64key');
    keys[id] = Buffer.from(b64, 'base64');
  }
  const ids = Object.keys(keys);
  if (ids.length === 0) throw new Error('PAYLOAD_KEYS names no key');
  return new EncryptionCodec(keys, currentKeyId ?? ids[0]!, options);
}
