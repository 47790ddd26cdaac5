import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { SlaPolicyFile } from '../domain/sla-policy';

/**
 * Every SLA policy version the service has run under, by version: a case records only the
 * version it was opened with (`slaPolicyVersion`), and the what-if needs the policy itself to
 * reproduce the case's deadlines. Written at start-up, never changed (a version's content is fixed).
 */
interface ArchivedPolicy {
  _id: string;
  file: SlaPolicyFile;
  firstSeen: Date;
}

const archivedPolicySchema = new Schema<ArchivedPolicy>(
  { _id: { type: String, required: true }, file: { type: Schema.Types.Mixed, required: true }, firstSeen: { type: Date, required: true } },
  { versionKey: false, collection: 'sla_policies', minimize: false, _id: false },
);

export function slaPolicyArchiveModel(connection: Connection = mongoose.connection): Model<ArchivedPolicy> {
  return (connection.models.SlaPolicyArchive as Model<ArchivedPolicy> | undefined) ?? connection.model<ArchivedPolicy>('SlaPolicyArchive', archivedPolicySchema);
}

export class SlaPolicyArchive {
  private readonly cache = new Map<string, SlaPolicyFile | null>();
  constructor(private readonly model: Model<ArchivedPolicy>) {}

  /** Keeps `file` under `version` unless that version is kept already (idempotent). */
  async remember(version: string, file: SlaPolicyFile): Promise<void> {
    await this.model.updateOne({ _id: version }, { $setOnInsert: { file, firstSeen: new Date() } }, { upsert: true });
  }

  /** The policy file of a version, or null when this service never ran under it. */
  async get(version: string): Promise<SlaPolicyFile | null> {
    if (!this.cache.has(version)) this.cache.set(version, (await this.model.findById(version).lean())?.file ?? null);
    return this.cache.get(version)!;
  }

  /** The time zones of every version kept: the zones the cases' months are counted in. */
  async zones(): Promise<string[]> {
    const files = await this.model.find({}, { 'file.timezone': 1 }).lean();
    return [...new Set(files.map((f) => f.file?.timezone).filter((zone): zone is string => typeof zone === 'string'))];
  }
}
