import type { DataConverter, PayloadCodec } from '@temporalio/common';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The failure converter, by path: clients, workers and the workflow bundle load it. */
export const failureConverterPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'failure-converter.cjs');

/** Encrypted payloads and failures, for clients (API, ops, tests) and workers alike. */
export const dataConverter = (codec: PayloadCodec): DataConverter => ({ payloadCodecs: [codec], failureConverterPath });
