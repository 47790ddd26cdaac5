import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseKeyModel, CaseKeyStore } from '../../personal-data/case-keys';
import { codecFromConfig, developmentPayloadKeys } from '../../runtime/payload-codec';
import { connectNotingCommands, type SentCommand } from '../support/command-log';
import { testMongoUri } from '../support/service';

const serviceKeys = codecFromConfig(developmentPayloadKeys);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The reads of one case's key among the commands sent. */
const keyReads = (commands: SentCommand[], caseId: string) => commands.filter((c) => c.name === 'find' && c.command.filter?._id === caseId);
/** Short enough for a test, long enough for a loaded machine between two awaits. */
const ttlMs = 3_000;
/** Looks come when the test asks for them (`lookForDestroyedKeys`), not from the timer. */
const rarely = 60_000;

/**
 * Two processes' key stores on one database (decision 035): the watching one uses a key it knows
 * past its short time to live without reading it again, and forgets it at the look after the
 * other destroys it.
 */
describe('case keys destroyed by another process (real FerretDB)', () => {
  let watching: Awaited<ReturnType<typeof connectNotingCommands>>;
  let other: Connection;

  beforeAll(async () => {
    const uri = testMongoUri();
    watching = await connectNotingCommands(uri);
    other = await mongoose.createConnection(uri).asPromise();
    await caseKeyModel(other).init();
  });
  afterAll(async () => {
    await watching?.db.close();
    await other?.close();
  });
  /** How many times `store` read the case's key from the database while answering `keyOf`. */
  const keyReadsOf = async (store: CaseKeyStore, caseId: string) => keyReads(await watching.commandsOf(() => store.keyOf(caseId)), caseId).length;
  /** The store of the process that watches (its commands noted), and one of another that erases. */
  const stores = () => ({
    store: new CaseKeyStore(caseKeyModel(watching.db), serviceKeys, { ttlMs }),
    eraser: new CaseKeyStore(caseKeyModel(other), serviceKeys),
  });

  it('uses a watched key past its time to live, and forgets it at the look after its erasure', { timeout: 30_000 }, async () => {
    const { store, eraser } = stores();
    const stop = store.watchErasures(rarely);
    try {
      await eraser.provision('watched-1');
      expect((await store.keyOf('watched-1')).state).toBe('active');
      await sleep(ttlMs + 200);
      await store.lookForDestroyedKeys();
      expect(await keyReadsOf(store, 'watched-1')).toBe(0);
      expect((await store.keyOf('watched-1')).state).toBe('active');

      await eraser.destroy('watched-1');
      await store.lookForDestroyedKeys();
      const afterLook = await watching.commandsOf(async () => expect((await store.keyOf('watched-1')).state).toBe('erased'));
      expect(keyReads(afterLook, 'watched-1')).toHaveLength(1);
    } finally {
      stop();
    }
  });

  it('vouches for a key no longer than its short time to live after the last look that succeeded', { timeout: 30_000 }, async () => {
    const { store, eraser } = stores();
    const stop = store.watchErasures(rarely);
    try {
      await eraser.provision('watched-2');
      expect((await store.keyOf('watched-2')).state).toBe('active');
      // The last look that succeeds (no other comes: as when the database is away for them).
      await store.lookForDestroyedKeys();
      await sleep(ttlMs + 200);
      expect(await keyReadsOf(store, 'watched-2')).toBe(1);
    } finally {
      stop();
    }
  });

  it('trusts a key read before the first look for its short time to live only', { timeout: 30_000 }, async () => {
    const { store, eraser } = stores();
    await eraser.provision('read-before-1');
    expect((await store.keyOf('read-before-1')).state).toBe('active');
    const stop = store.watchErasures(rarely);
    try {
      await sleep(ttlMs + 200);
      await store.lookForDestroyedKeys();
      expect(await keyReadsOf(store, 'read-before-1')).toBe(1);
      // Read again after the first look, it is kept.
      await sleep(ttlMs + 200);
      await store.lookForDestroyedKeys();
      expect(await keyReadsOf(store, 'read-before-1')).toBe(0);
    } finally {
      stop();
    }
  });

  it('reads a key again after its time to live when erasures are not watched', { timeout: 30_000 }, async () => {
    const { store, eraser } = stores();
    await eraser.provision('unwatched-1');
    expect((await store.keyOf('unwatched-1')).state).toBe('active');
    expect(await keyReadsOf(store, 'unwatched-1')).toBe(0);
    await sleep(ttlMs + 200);
    expect(await keyReadsOf(store, 'unwatched-1')).toBe(1);
  });
});
