// The traffic of `npm run chaos`: simulated department records, each with a
// unique natural key and a CHAOS_ID column, sent three ways (pushes to the
// gateway, drop files, rows of a polled PostgreSQL table), a share of them
// spoilt on purpose; what each source was told is kept per record.
import { mkdirSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { NativeRecord } from '@hub/connector-core';
import { topicFor } from '@hub/schemas';
import { beijingDate, resourceSimulators, simulateRecord, simulatedRegion, writeDropFile, type DropFileFormat, type CsvEncoding, type Random, type ResourceSimulator, type SimulatedRegion } from '@hub/simulators';
import type { Acknowledgement, Channel, SentRecord } from './chaos-tally.ts';

export interface Sent extends SentRecord {
  acknowledgement: Acknowledgement;
  /** Spoilt on purpose: a file's or a table's row must then be dead-lettered. */
  readonly meantBad: boolean;
}

/** Draws records whose natural keys nobody else in the run has (good or bad), each with its CHAOS_ID. */
export class RecordSource {
  readonly sent: Sent[] = [];
  readonly #keys = new Set<string>();
  readonly #region: SimulatedRegion;
  #n = 0;

  constructor(private readonly random: Random, private readonly run: string, private readonly badShare: number) {
    this.#region = simulatedRegion(random);
  }

  next(simulator: ResourceSimulator, channel: Channel, acknowledgement: Acknowledgement = 'unacknowledged', ignoredDefects: readonly string[] = []): { native: NativeRecord; sent: Sent } {
    const now = new Date();
    for (;;) {
      const { native, defect } = simulateRecord(simulator, this.random, { region: this.#region, now, today: beijingDate(now) }, { badShare: this.badShare });
      const key = simulator.mapping.naturalKey(native);
      const topicKey = `${simulator.department}.${simulator.resource}\u0000${key}`;
      if (key !== undefined && this.#keys.has(topicKey)) continue;
      if (key !== undefined) this.#keys.add(topicKey);
      this.#n += 1;
      const chaosId = `${this.run}-${String(this.#n).padStart(7, '0')}`;
      const sent: Sent = {
        chaosId, channel, topic: topicFor(simulator.mapping.eventType), key, acknowledgement,
        meantBad: defect !== undefined && !ignoredDefects.includes(defect.field),
      };
      this.sent.push(sent);
      return { native: { ...native, CHAOS_ID: chaosId }, sent };
    }
  }
}

/** The traffic stops making new records at `until`; what is in flight is retried until `drainUntil`. */
export interface Schedule {
  until: number;
  drainUntil: number;
}

export interface PushStats {
  batches: number;
  attempts: number;
  /** Answers that were not 2xx (by status, or 'network' for no answer) that the client retried. */
  retried: Record<string, number>;
  /** Batches given up on: a 4xx that is not 408/429, or retries ran out. */
  refused: number;
}

const retryable = (status: number) => status >= 500 || status === 429 || status === 408;

/**
 * Pushes one batch until it gets a 2xx: what the answer names in `rejected` is
 * rejected, the rest acknowledged (accepted, or a duplicate of an earlier
 * attempt that had committed). A 503, a reset connection or a timeout is not
 * an acknowledgement: the same batch, same request id, is sent again.
 */
async function pushBatch(gateway: string, simulator: ResourceSimulator, batch: { native: NativeRecord; sent: Sent }[], requestId: string, schedule: Schedule, stats: PushStats): Promise<void> {
  let wait = 500;
  stats.batches += 1;
  while (Date.now() < schedule.drainUntil) {
    stats.attempts += 1;
    let status: string;
    try {
      const response = await fetch(`${gateway}/v1/records/${simulator.department}/${simulator.resource}`, {
        method: 'POST',
        headers: { authorization: `Bearer dev-${simulator.department}-token`, 'content-type': 'application/json', 'x-request-id': requestId },
        body: JSON.stringify(batch.map((b) => b.native)),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.status >= 200 && response.status < 300) {
        const answer = JSON.parse(text) as { rejected: { index: number }[] };
        const rejected = new Set(answer.rejected.map((r) => r.index));
        batch.forEach((b, i) => { b.sent.acknowledgement = rejected.has(i) ? 'rejected' : 'acknowledged'; });
        return;
      }
      if (!retryable(response.status)) {
        stats.refused += 1;
        console.error(`chaos: a push to ${simulator.department}/${simulator.resource} was refused ${response.status}: ${text.slice(0, 300)}`);
        return;
      }
      status = String(response.status);
    } catch {
      status = 'network';
    }
    stats.retried[status] = (stats.retried[status] ?? 0) + 1;
    await sleep(wait);
    wait = Math.min(wait * 2, 5_000);
  }
  stats.refused += 1;
}

/** `workers` loops, each pushing a batch of `batchSize` every `everyMs` to the next resource in turn. */
export async function pushTraffic(options: { gateway: string; records: RecordSource; schedule: Schedule; workers: number; batchSize: number; everyMs: number; stats: PushStats }): Promise<void> {
  const { records, schedule, stats } = options;
  let turn = 0;
  let request = 0;
  const worker = async (w: number) => {
    await sleep(w * (options.everyMs / options.workers));
    while (Date.now() < schedule.until) {
      const started = Date.now();
      const simulator = resourceSimulators[turn++ % resourceSimulators.length]!;
      const batch = Array.from({ length: options.batchSize }, () => records.next(simulator, 'push'));
      await pushBatch(options.gateway, simulator, batch, `chaos-push-${++request}`, schedule, stats);
      await sleep(Math.max(0, options.everyMs - (Date.now() - started)));
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_x, w) => worker(w)));
}

export interface DroppedFile {
  readonly folder: string;
  readonly name: string;
  readonly rows: readonly Sent[];
  state: 'inbox' | 'done' | 'failed';
}

const formats: readonly { format: DropFileFormat; encoding?: CsvEncoding; ext: string }[] = [
  { format: 'csv', encoding: 'utf8', ext: 'csv' },
  { format: 'jsonl', ext: 'jsonl' },
  { format: 'csv', encoding: 'gbk', ext: 'csv' },
  { format: 'xlsx', ext: 'xlsx' },
];

/** Every `everyMs` a department's export of `rows` rows lands in its inbox (written aside, then renamed in). */
export async function dropTraffic(options: { dataDir: string; records: RecordSource; random: Random; schedule: Schedule; everyMs: number; rows: () => number; files: DroppedFile[] }): Promise<void> {
  let n = 0;
  while (Date.now() < options.schedule.until) {
    const started = Date.now();
    const simulator = resourceSimulators[n % resourceSimulators.length]!;
    const { format, encoding, ext } = formats[n % formats.length]!;
    n += 1;
    const folder = join(options.dataDir, 'drop', simulator.department, simulator.resource);
    mkdirSync(join(folder, 'inbox'), { recursive: true });
    const made = Array.from({ length: options.rows() }, () => options.records.next(simulator, 'file'));
    const name = `chaos-${String(n).padStart(4, '0')}.${ext}`;
    await writeDropFile(join(folder, `${name}.part`), made.map((m) => m.native), { format, encoding, columns: [...simulator.mapping.nativeColumns, 'CHAOS_ID'] });
    renameSync(join(folder, `${name}.part`), join(folder, 'inbox', name));
    options.files.push({ folder, name, rows: made.map((m) => m.sent), state: 'inbox' });
    await sleep(Math.max(0, options.everyMs - (Date.now() - started)));
  }
}

/** Where each dropped file is now: a file in done/ acknowledges its rows (good ones published, bad ones dead-lettered). */
export function settleFiles(files: DroppedFile[]): void {
  for (const file of files) {
    if (existsSync(join(file.folder, 'done', file.name))) file.state = 'done';
    else if (existsSync(join(file.folder, 'failed', file.name))) file.state = 'failed';
    for (const row of file.rows) row.acknowledgement = file.state === 'done' ? (row.meantBad ? 'rejected' : 'acknowledged') : 'unacknowledged';
  }
}

/** The polled table: the population register's columns in lower case, a CHAOS_ID, and the update time set by the database. */
export const databaseSimulator = resourceSimulators.find((s) => s.department === 'ps' && s.resource === 'resident-identity')!;
export const databaseTable = 'chaos_rk_jbxx';
const tableColumns = databaseSimulator.mapping.nativeColumns.filter((c) => c !== 'GXSJ').map((c) => c.toLowerCase());

export async function createTable(db: pg.Client): Promise<void> {
  await db.query(`CREATE TABLE ${databaseTable} (chaos_id text PRIMARY KEY, ${tableColumns.map((c) => `${c} text`).join(', ')}, gxsj timestamp(6) NOT NULL DEFAULT localtimestamp)`);
}

/** The connectors' database source for that table (CONNECTORS_DB_SOURCES). */
export function databaseSource(connectionString: string) {
  return {
    department: databaseSimulator.department,
    resource: databaseSimulator.resource,
    connectionString,
    table: `public.${databaseTable}`,
    keyColumn: 'chaos_id',
    updatedAtColumn: 'gxsj',
    columns: Object.fromEntries([...tableColumns.map((c) => [c, c.toUpperCase()]), ['gxsj', 'GXSJ'], ['chaos_id', 'CHAOS_ID']]),
    timeZone: 'Asia/Shanghai',
    pollIntervalMs: 2_000,
    delayMs: 2_000,
  };
}

/**
 * Every `everyMs` the department's system commits `rows` rows in one
 * transaction; a committed row is acknowledged (meant good) or must be
 * dead-lettered (meant bad). The update time is the database's, so a defect
 * of GXSJ does not survive.
 */
export async function databaseTraffic(options: { db: pg.Client; records: RecordSource; schedule: Schedule; everyMs: number; rows: number }): Promise<void> {
  const columns = ['chaos_id', ...tableColumns];
  while (Date.now() < options.schedule.until) {
    const started = Date.now();
    const made = Array.from({ length: options.rows }, () => options.records.next(databaseSimulator, 'database', 'unacknowledged', ['GXSJ']));
    const values = made.flatMap((m) => columns.map((c) => (c === 'chaos_id' ? m.native.CHAOS_ID : m.native[c.toUpperCase()]) ?? null).map((v) => (v === null ? null : String(v))));
    const placeholders = made.map((_m, r) => `(${columns.map((_c, i) => `$${r * columns.length + i + 1}`).join(', ')})`).join(', ');
    try {
      await options.db.query(`INSERT INTO ${databaseTable} (${columns.join(', ')}) VALUES ${placeholders}`, values);
      for (const m of made) m.sent.acknowledgement = m.sent.meantBad ? 'rejected' : 'acknowledged';
    } catch (error) {
      console.error(`chaos: inserting rows failed (${error instanceof Error ? error.message : String(error)}); they count as not acknowledged`);
    }
    await sleep(Math.max(0, options.everyMs - (Date.now() - started)));
  }
}
