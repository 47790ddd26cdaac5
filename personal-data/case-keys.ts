import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * One data key per case (envelope encryption, decision 021): 32 random bytes that encrypt the
 * case's Temporal payloads, stored only wrapped (AES-256-GCM) by a service key of
 * `PAYLOAD_KEYS`, bound to its case (the case id is the wrap's associated data, so a wrapped
 * key moved to another case does not open). Erasure removes the wrapped key: what it
 * encrypted — every payload of the case in Temporal's histories, backups included — can no
 * longer be read by anyone.
 */
export interface CaseKeyDocument {
  _id: string;
  /** iv ‖ ciphertext ‖ tag, base64; absent once erased. */
  wrapped?: string;
  /** The service key that wrapped it. */
  wrappedBy?: string;
  createdAt: Date;
  erasedAt?: Date;
  /**
   * When the key was destroyed, by the database's clock (every process reads the same one): what
   * the other processes' caches watch for. An ISO string, as FerretDB serves string ranges only
   * from an index.
   */
  destroyedAt?: string;
  /** On an erased case: whether it had a key of its own, or (opened before case keys) the service key. */
  scheme?: 'case-key' | 'service-key';
}

const caseKeySchema = new Schema<CaseKeyDocument>(
  {
    _id: { type: String, required: true },
    wrapped: String,
    wrappedBy: { type: String, index: true },
    createdAt: { type: Date, required: true },
    erasedAt: Date,
    destroyedAt: { type: String, index: true },
    scheme: String,
  },
  { versionKey: false, collection: 'case_keys' },
);

export function caseKeyModel(connection: Connection = mongoose.connection): Model<CaseKeyDocument> {
  return (connection.models.CaseKey as Model<CaseKeyDocument> | undefined) ?? connection.model<CaseKeyDocument>('CaseKey', caseKeySchema);
}

/** A case's key as this process knows it: usable, destroyed, or never made (a case of the service-key scheme). */
export type CaseKey = { state: 'active'; key: Buffer } | { state: 'erased'; erasedAt: Date } | { state: 'none' };

/** The service keys that wrap case keys: `PAYLOAD_KEYS`, the current one wrapping new keys. */
export interface WrappingKeys {
  serviceKey(keyId?: string): Buffer;
  readonly currentServiceKeyId: string;
}

export interface CaseKeyCacheOptions {
  /** Keys kept in memory (the open cases a worker touches). */
  size?: number;
  /** How long a known key is used without asking the database: how long after an erasure other processes may still decrypt. */
  ttlMs?: number;
  /** How long "this case has no key" is believed (a case of the service-key scheme). */
  missTtlMs?: number;
  /**
   * How long a known key is used while this process watches erasures (`watchErasures`) and its
   * last look succeeded: an erasure then reaches it at its next look, not after `ttlMs`.
   */
  watchedTtlMs?: number;
}

/** A case's key as remembered: when it was read (the read's start, monotonic) and how long the read took. */
interface CacheEntry {
  value: CaseKey;
  at: number;
  readMs: number;
}

/** Where the watch says that its looks began to fail, and that they succeed again. */
export interface WatchLog {
  warn(details: { err: unknown }, message: string): void;
  info(message: string): void;
}

/** The index the watch reads by (FerretDB serves a query from an index only when hinted, decision 006). */
const destroyedAtIndex = { destroyedAt: 1 } as const;
/** How far back each look reads, before the previous look began: a destruction timed before it may commit after it. */
const lookBackMs = 2 * 60_000;
/** The process's own clock for ages: it does not jump when the wall clock is set. */
const monotonicNow = () => performance.now();

export class CaseKeyStore {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lookups = new Map<string, Promise<CaseKey>>();
  private readonly size: number;
  private readonly ttlMs: number;
  private readonly missTtlMs: number;
  private readonly watchedTtlMs: number;
  /**
   * How often this process looks for destroyed keys; when its first and its last successful look
   * began (its own clock), and the database's time at the last, from which (less `lookBackMs`) the
   * next look reads.
   */
  private watch: { everyMs: number; firstLookAt: number; lastLookAt: number; lastLookFrom: number | undefined } | undefined;

  constructor(
    private readonly model: Model<CaseKeyDocument>,
    private readonly wrapping: WrappingKeys,
    options: CaseKeyCacheOptions = {},
  ) {
    this.size = options.size ?? 50_000;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.missTtlMs = options.missTtlMs ?? 10_000;
    this.watchedTtlMs = options.watchedTtlMs ?? 3_600_000;
  }

  /**
   * Looks every `everyMs` for keys destroyed (by any process) and forgets them, so that a key is
   * used without asking the database for `watchedTtlMs` rather than `ttlMs`: an action on a case
   * idle for more than `ttlMs` needs no read of its key, and an erasure reaches this process
   * within a look or two. While looks fail, keys are trusted for `ttlMs` only, as without the
   * watch. Answers a function that stops watching.
   */
  watchErasures(everyMs: number, log?: WatchLog): () => void {
    if (everyMs <= 0) return () => undefined;
    this.watch = { everyMs, firstLookAt: Infinity, lastLookAt: -Infinity, lastLookFrom: undefined };
    let looking = false;
    let failing = false;
    const look = () => {
      if (looking) return;
      looking = true;
      this.lookForDestroyedKeys()
        .then(() => {
          if (failing) log?.info('case keys: looks for destroyed keys succeed again; keys are kept an hour');
          failing = false;
        })
        .catch((err: unknown) => {
          // Once per run of failures: meanwhile keys are kept a minute, as without the watch.
          if (!failing) log?.warn({ err }, 'case keys: looks for destroyed keys fail; keys are kept a minute until one succeeds');
          failing = true;
        })
        .finally(() => (looking = false));
    };
    const timer = setInterval(look, everyMs);
    timer.unref();
    look();
    return () => {
      clearInterval(timer);
      this.watch = undefined;
    };
  }

  /** One look: forgets every cached key destroyed since the last look began (and `lookBackMs` before). */
  async lookForDestroyedKeys(): Promise<void> {
    const watch = this.watch;
    if (!watch) return;
    const startedAt = monotonicNow();
    const databaseNow = await this.databaseTime();
    const from = (watch.lastLookFrom ?? databaseNow) - lookBackMs;
    const destroyed = await this.model.collection
      .find<Pick<CaseKeyDocument, '_id'>>({ destroyedAt: { $gte: new Date(from).toISOString() } } as Record<string, unknown>, { projection: { _id: 1 } })
      .hint(destroyedAtIndex)
      .toArray();
    // Every one, each look: a read that began before a destruction may have cached the key after
    // the look that forgot it.
    for (const doc of destroyed) this.cache.delete(doc._id);
    watch.firstLookAt = Math.min(watch.firstLookAt, startedAt);
    watch.lastLookAt = Math.max(watch.lastLookAt, startedAt);
    watch.lastLookFrom = Math.max(watch.lastLookFrom ?? -Infinity, databaseNow);
  }

  /** The database's clock (`hello`), which every process and every destruction share. */
  private async databaseTime(): Promise<number> {
    const hello = await this.model.db.db!.admin().command({ hello: 1 });
    const localTime = hello.localTime as Date | undefined;
    if (!(localTime instanceof Date)) throw new Error('the database did not tell its time');
    return localTime.getTime();
  }

  /**
   * Makes the case's key before anything of the case is encrypted. Idempotent: a retried
   * intake gets the key the first made. When the database does not answer within
   * `provisionTimeoutMs` the case goes on under the service key, as cases before case keys
   * (an intake does not wait for the database; its erasure then deletes its histories).
   */
  async provision(caseId: string, provisionTimeoutMs = 2_000): Promise<'case-key' | 'service-key'> {
    const keyId = this.wrapping.currentServiceKeyId;
    const made = randomBytes(32);
    const doc: CaseKeyDocument = { _id: caseId, wrapped: wrap(made, this.wrapping.serviceKey(keyId), caseId), wrappedBy: keyId, createdAt: new Date() };
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, provisionTimeoutMs, 'timeout')));
    try {
      // Insert, not upsert: FerretDB runs an upsert as a read and a write; a retry is the rare case.
      const inserted = await Promise.race([this.model.collection.insertOne(doc as never).then(() => 'inserted' as const), gaveUp]);
      if (inserted === 'timeout') {
        this.remember(caseId, { state: 'none' });
        return 'service-key';
      }
      this.remember(caseId, { state: 'active', key: made });
      return 'case-key';
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) {
        this.remember(caseId, { state: 'none' });
        return 'service-key';
      }
      const readStartedAt = monotonicNow();
      const first = await this.read(caseId);
      this.remember(caseId, this.unwrapDoc(first!), readStartedAt);
      return 'case-key';
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The case's key, from memory when known; concurrent lookups of one case share one read.
   * A key known but due for a fresh look is still used while the database cannot be reached:
   * cases go on through a database outage (what they encrypt needs no write), and an erasure
   * needs the database anyway.
   */
  async keyOf(caseId: string): Promise<CaseKey> {
    const cached = this.cache.get(caseId);
    if (cached && this.stillValid(cached, monotonicNow())) return cached.value;
    let lookup = this.lookups.get(caseId);
    if (!lookup) {
      const readStartedAt = monotonicNow();
      lookup = this.read(caseId)
        .then(
          (doc) => {
            const value = doc ? this.unwrapDoc(doc) : ({ state: 'none' } as const);
            this.remember(caseId, value, readStartedAt);
            return value;
          },
          (err: unknown) => {
            if (cached) return cached.value;
            throw err;
          },
        )
        .finally(() => this.lookups.delete(caseId));
      this.lookups.set(caseId, lookup);
    }
    return lookup;
  }

  /**
   * Destroys the case's key; a case of the service-key scheme (no key of its own) gets the
   * erased mark only. Answers which scheme the case had. Idempotent.
   */
  async destroy(caseId: string, at = new Date()): Promise<'case-key' | 'service-key'> {
    const [before, destroyedAt] = await Promise.all([this.read(caseId), this.databaseTime()]);
    const scheme = before ? (before.scheme === 'service-key' ? 'service-key' : 'case-key') : 'service-key';
    await this.model.collection.updateOne(
      { _id: caseId, erasedAt: { $exists: false } } as never,
      { $unset: { wrapped: '', wrappedBy: '' }, $set: { erasedAt: at, destroyedAt: new Date(destroyedAt).toISOString(), scheme }, $setOnInsert: { createdAt: at } } as never,
      { upsert: true },
    ).catch((err: unknown) => {
      // The upsert met an erased document (the filter missed it): it is erased already.
      if ((err as { code?: number }).code !== 11000) throw err;
    });
    this.cache.delete(caseId);
    return scheme;
  }

  /**
   * Re-wraps every case key under the current service key, so older service keys can be
   * removed from PAYLOAD_KEYS. The case keys themselves (and every payload) stay as they are.
   */
  async rewrap(): Promise<{ rewrapped: number }> {
    const current = this.wrapping.currentServiceKeyId;
    const currentKey = this.wrapping.serviceKey(current);
    let rewrapped = 0;
    const stale = this.model.find({ wrappedBy: { $exists: true, $ne: current } }).lean<CaseKeyDocument[]>().cursor();
    for await (const doc of stale) {
      const key = unwrap(doc.wrapped!, this.wrapping.serviceKey(doc.wrappedBy), doc._id);
      const result = await this.model.updateOne(
        { _id: doc._id, wrappedBy: doc.wrappedBy, erasedAt: { $exists: false } },
        { $set: { wrapped: wrap(key, currentKey, doc._id), wrappedBy: current } },
      );
      rewrapped += result.modifiedCount;
    }
    return { rewrapped };
  }

  /**
   * The driver's own read, not mongoose's query: every process's first change of a case, and every
   * change after its key's time in the cache, looks the key up, and the query layer (casting, a
   * captured stack) cost more than the read.
   */
  private read(caseId: string): Promise<CaseKeyDocument | null> {
    return this.model.collection.findOne<CaseKeyDocument>({ _id: caseId } as Record<string, unknown>);
  }

  private unwrapDoc(doc: CaseKeyDocument): CaseKey {
    if (doc.erasedAt || !doc.wrapped) return { state: 'erased', erasedAt: doc.erasedAt ?? doc.createdAt };
    return { state: 'active', key: unwrap(doc.wrapped, this.wrapping.serviceKey(doc.wrappedBy), doc._id) };
  }

  /** `at`: when what is remembered was read (a read's start: its age counts from there). */
  private remember(caseId: string, value: CaseKey, at = monotonicNow()): void {
    this.cache.delete(caseId);
    if (this.cache.size >= this.size) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(caseId, { value, at, readMs: monotonicNow() - at });
  }

  /**
   * A key is used for `ttlMs` after it was read; for `watchedTtlMs` while erasures are watched
   * and the last look (which forgot any key destroyed before it began) is at most two periods old
   * — if it was read after the first look and quickly: every look reads back `lookBackMs` from the
   * one before, so a destruction during a read that took longer could be out of every look's reach.
   */
  private stillValid(entry: CacheEntry, now: number): boolean {
    const age = now - entry.at;
    if (entry.value.state === 'none') return age < this.missTtlMs;
    if (age < this.ttlMs) return true;
    const watch = this.watch;
    if (!watch || entry.at < watch.firstLookAt || entry.readMs > lookBackMs / 2) return false;
    // Never longer than `ttlMs` past the last look that began successfully: an erasure after it
    // reaches this process no later than it would without the watch.
    return age < this.watchedTtlMs && now - watch.lastLookAt <= Math.min(2 * watch.everyMs, this.ttlMs);
  }
}

function wrap(key: Buffer, by: Buffer, caseId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', by, iv).setAAD(Buffer.from(caseId));
  return Buffer.concat([iv, cipher.update(key), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

function unwrap(wrapped: string, by: Buffer, caseId: string): Buffer {
  const data = Buffer.from(wrapped, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', by, data.subarray(0, 12)).setAAD(Buffer.from(caseId));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
}
