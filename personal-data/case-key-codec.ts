import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { caseIdOfWorkflowId } from '../domain/complaint';
import { openPayload, PayloadUnreadableError, sealedKeyId, sealPayload, type EncryptionCodec } from '../runtime/payload-codec';
import type { CaseKeyStore } from './case-keys';

/** The key id of a payload encrypted under its case's own key: `case:<complaint id>`. */
export const caseKeyPrefix = 'case:';

/** What the Temporal UI shows in place of an erased case's payloads. */
export const erasedMarker = '[personal data erased]';

/** A payload of a case whose key was destroyed: it cannot be read by anyone any more. */
export class CaseErasedError extends Error {
  constructor(readonly caseId: string) {
    super(`the personal data of case ${caseId} was erased: its payloads can no longer be decrypted`);
    this.name = 'CaseErasedError';
  }
}

/** A payload under a case key this database does not hold (case_keys lost, or another deployment's history). */
export class CaseKeyMissingError extends PayloadUnreadableError {
  constructor(readonly caseId: string) {
    super(`no key of case ${caseId} in this database: was case_keys lost or is this another deployment's history?`);
    this.name = 'CaseKeyMissingError';
  }
}

export interface CaseKeyCodecOptions {
  /** Decoding an erased case's payload: fail (workers, replay), or answer the marker (the UI's /codec). */
  erased: 'fail' | 'marker';
}

/**
 * The payload codec of the platform: a complaint's payloads (its workflow's input, updates,
 * activities, failures) are encrypted under the case's own key; everything else — and cases
 * opened before case keys, which have none — under the service key (runtime/payload-codec.ts).
 * The SDK tells the codec whose payload it is (its serialization context: the workflow id);
 * decoding needs no context, as each payload names its key.
 */
export class CaseKeyCodec implements PayloadCodec {
  constructor(
    private readonly service: EncryptionCodec,
    private readonly keys: CaseKeyStore,
    private readonly options: CaseKeyCodecOptions = { erased: 'fail' },
  ) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const caseId = context?.workflowId ? caseIdOfWorkflowId(context.workflowId) : undefined;
    if (caseId === undefined) return this.service.encode(payloads);
    const caseKey = await this.keys.keyOf(caseId);
    if (caseKey.state === 'none') return this.service.encode(payloads);
    if (caseKey.state === 'erased') throw new CaseErasedError(caseId);
    return payloads.map((payload) => sealPayload(payload, caseKey.key, `${caseKeyPrefix}${caseId}`));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map(async (payload) => {
      const keyId = sealedKeyId(payload);
      if (!keyId?.startsWith(caseKeyPrefix)) return (await this.service.decode([payload]))[0]!;
      const caseId = keyId.slice(caseKeyPrefix.length);
      const caseKey = await this.keys.keyOf(caseId);
      if (caseKey.state === 'active') return openPayload(payload, caseKey.key);
      if (caseKey.state === 'erased' && this.options.erased === 'marker') return markerPayload;
      if (caseKey.state === 'erased') throw new CaseErasedError(caseId);
      throw new CaseKeyMissingError(caseId);
    }));
  }
}

const markerPayload: Payload = {
  metadata: { [METADATA_ENCODING_KEY]: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(erasedMarker)),
};
