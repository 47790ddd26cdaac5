// The ops CLI: `npm run ops -- stuck | describe <id> | retry <id> | reset <id> | reset-batch |
// replay | terminate <id> | rewrap-case-keys`. The same functions as the /api/v1/ops endpoints (services/ops.ts).
// Exit codes: 0 fine, 1 problems found or the operation failed, 2 bad usage.
import { Client, Connection } from '@temporalio/client';
import Table from 'cli-table3';
import { Command, InvalidArgumentError } from 'commander';
import mongoose from 'mongoose';
import os from 'node:os';
import pc from 'picocolors';
import { complaintModel, ComplaintReadModel } from '../activities/read-model';
import { auditModel, AuditLog } from '../runtime/audit-log';
import { loadConfig } from '../runtime/config';
import { dataConverter } from '../runtime/data-converter';
import { queryAgainInterceptor } from '../runtime/query-again';
import { OpsError, OpsService, type ReplayResult, type ResetPoint, type StuckCase } from '../services/ops';
import { codecFromConfig } from '../runtime/payload-codec';
import { CaseKeyCodec } from '../personal-data/case-key-codec';
import { caseKeyModel, CaseKeyStore } from '../personal-data/case-keys';
import { workflowsPath } from '../worker';

const config = loadConfig();
const actor = process.env.OPS_ACTOR ?? `ops:${os.userInfo().username}`;

async function withOps<T>(work: (ops: OpsService, caseKeys: CaseKeyStore) => Promise<T>): Promise<T> {
  if (!config.TEMPORAL_ADDRESS || !config.MONGODB_URI) {
    console.error(pc.red('Set TEMPORAL_ADDRESS and MONGODB_URI (for `npm start` defaults: 127.0.0.1:7233 and mongodb://127.0.0.1:27017/complaints).'));
    process.exit(2);
  }
  const serviceCodec = codecFromConfig(config.payloadKeys, config.PAYLOAD_KEY_ID, { requireEncryption: config.NODE_ENV === 'production' });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, ...(config.temporalTls ? { tls: config.temporalTls } : {}) });
  const mongo = await mongoose.createConnection(config.MONGODB_URI, { serverSelectionTimeoutMS: 5000 }).asPromise();
  const caseKeys = new CaseKeyStore(caseKeyModel(mongo), serviceCodec);
  const codec = new CaseKeyCodec(serviceCodec, caseKeys, { erased: 'fail' });
  // Describing an erased case reads its memo as the marker; replaying one is refused (above).
  const clientCodec = new CaseKeyCodec(serviceCodec, caseKeys, { erased: 'marker' });
  try {
    const temporal = new Client({
      connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(clientCodec), interceptors: { workflow: [queryAgainInterceptor] },
    });
    return await work(
      new OpsService({
        temporal, readModel: new ComplaintReadModel(complaintModel(mongo)), audit: new AuditLog(auditModel(mongo)),
        namespace: config.TEMPORAL_NAMESPACE, dataConverter: dataConverter(codec), workflowsPath, workflowBundlePath: config.WORKFLOW_BUNDLE,
      }),
      caseKeys,
    );
  } finally {
    await mongo.close();
    await connection.close();
  }
}

const resetPoint = (value: string): ResetPoint => {
  if (value === 'last-workflow-task' || value === 'first-workflow-task') return value;
  if (/^\d+$/.test(value)) return Number(value);
  throw new InvalidArgumentError('last-workflow-task, first-workflow-task or an event id');
};

const reasonColour: Record<StuckCase['reason'], (s: string) => string> = {
  workflow_task_failing: pc.red, activity_failing: pc.yellow, overdue_idle: pc.cyan, unreadable: pc.magenta,
};

function printStuck(rows: StuckCase[]): void {
  if (rows.length === 0) return console.log(pc.green('No stuck complaints.'));
  const table = new Table({ head: ['complaint', 'status', 'why', 'detail', 'attempts', 'last failure', 'do'], wordWrap: true, colWidths: [38, 12, 22, 40, 9, 40, 50] });
  for (const r of rows) {
    table.push([r.id, r.status ?? '', reasonColour[r.reason](r.reason), r.detail, r.attempts ?? '', r.lastFailure ?? '', r.suggestedAction]);
  }
  console.log(table.toString());
}

function printReplay(results: ReplayResult[]): void {
  const table = new Table({ head: ['complaint', 'run', 'result', 'error'], wordWrap: true, colWidths: [38, 38, 16, 60] });
  for (const r of results) {
    const result = r.result === 'ok' ? pc.green('ok') : r.result === 'erased' ? pc.yellow('erased') : pc.red(r.result);
    table.push([r.id, r.runId, result, r.error ?? '']);
  }
  console.log(table.toString());
}

const program = new Command('ops').description('Find, understand and repair stuck complaints').exitOverride();

program
  .command('stuck')
  .description('running complaints that are not progressing')
  .option('--min-attempts <n>', 'activity attempts that count as failing', (v) => Number(v), 3)
  .option('--json', 'print JSON')
  .action(async (opts: { minAttempts: number; json?: boolean }) => {
    const rows = await withOps((ops) => ops.stuck({ minAttempts: opts.minAttempts }));
    if (opts.json) console.log(JSON.stringify(rows, null, 2));
    else printStuck(rows);
    process.exitCode = rows.length > 0 ? 1 : 0;
  });

program
  .command('describe <id>')
  .description('a complaint\'s workflow: run, pending work, problems, audit trail')
  .action(async (id: string) => {
    const d = await withOps((ops) => ops.describe(id));
    console.log(`${pc.bold(d.id)}  ${d.workflowStatus}  run ${d.runId}  ${d.historyLength} events`);
    if (d.complaint) console.log(`status ${d.complaint.status}, level ${d.complaint.escalationLevel}, breaches ${d.complaint.breaches.length}`);
    const table = new Table({ head: ['pending activity', 'attempt', 'last failure', 'next attempt'] });
    for (const a of d.pendingActivities) table.push([`${a.activityType} ${a.activityId}`, a.attempt, a.lastFailure ?? '', a.nextAttemptAt ?? '']);
    if (d.pendingActivities.length) console.log(table.toString());
    for (const p of d.problems) console.log(reasonColour[p.reason](`${p.reason}: ${p.detail} → ${p.suggestedAction}`));
    for (const a of d.audit) console.log(pc.dim(`${a.at.toISOString()} ${a.actor} ${a.action}: ${a.reason}`));
  });

program
  .command('retry <id>')
  .description('run the failing activities again now')
  .option('--reason <text>', 'why', 'retry requested by ops')
  .action(async (id: string, opts: { reason: string }) => {
    const { retried } = await withOps((ops) => ops.retry(id, actor, opts.reason));
    console.log(pc.green(`Retried ${retried.join(', ')}`));
  });

program
  .command('reset <id>')
  .description('reset the workflow to a workflow task; later updates and signals are applied again')
  .option('--to <point>', 'last-workflow-task, first-workflow-task or an event id', resetPoint, 'last-workflow-task')
  .requiredOption('--reason <text>', 'why (recorded on the timeline and in the audit log)')
  .action(async (id: string, opts: { to: ResetPoint; reason: string }) => {
    const { runId, eventId } = await withOps((ops) => ops.reset(id, opts.to, opts.reason, actor));
    console.log(pc.green(`Reset to event ${eventId}; new run ${runId}`));
  });

program
  .command('reset-batch')
  .description('reset every running complaint a visibility query finds (dry run unless --confirm)')
  .requiredOption('--query <visibility query>', "e.g. \"ComplaintStatus = 'investigating'\"")
  .option('--to <point>', 'last-workflow-task, first-workflow-task or an event id', resetPoint, 'last-workflow-task')
  .requiredOption('--reason <text>', 'why')
  .option('--confirm', 'reset for real')
  .action(async (opts: { query: string; to: ResetPoint; reason: string; confirm?: boolean }) => {
    const result = await withOps((ops) => ops.batchReset(opts.query, opts.to, opts.reason, actor, !opts.confirm));
    console.log(`${result.matched.length} complaint(s) match: ${result.matched.join(', ') || '-'}`);
    if (result.dryRun) console.log(pc.yellow('Dry run: nothing was reset. Add --confirm to reset them.'));
    else console.log(JSON.stringify(result.results, null, 2));
  });

program
  .command('replay')
  .description('replay recent (or named) histories against the current workflow code')
  .option('--ids <ids>', 'comma-separated complaint ids', (v) => v.split(',').filter(Boolean))
  .option('--limit <n>', 'how many recent histories', (v) => Number(v), 20)
  .action(async (opts: { ids?: string[]; limit: number }) => {
    const results = await withOps((ops) => ops.replay({ ids: opts.ids, limit: opts.limit }));
    printReplay(results);
    process.exitCode = results.every((r) => r.result === 'ok' || r.result === 'erased') ? 0 : 1;
  });

program
  .command('rewrap-case-keys')
  .description('wrap every case key under the current PAYLOAD_KEY_ID (then older payload keys that only wrapped case keys can go)')
  .action(async () => {
    const { rewrapped } = await withOps((_ops, caseKeys) => caseKeys.rewrap());
    console.log(pc.green(`${rewrapped} case key(s) re-wrapped under ${config.PAYLOAD_KEY_ID ?? 'the first payload key'}`));
  });

program
  .command('terminate <id>')
  .description('terminate the workflow of a complaint')
  .requiredOption('--reason <text>', 'why')
  .action(async (id: string, opts: { reason: string }) => {
    await withOps((ops) => ops.terminate(id, opts.reason, actor));
    console.log(pc.green(`Terminated ${id}`));
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof OpsError) {
    console.error(pc.red(err.message));
    process.exit(1);
  }
  const code = (err as { code?: string }).code;
  if (code?.startsWith('commander.')) process.exit(code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : 2);
  console.error(pc.red((err as Error).message));
  process.exit(1);
}
