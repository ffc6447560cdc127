import pg from 'pg';
import type { Logger } from '@hub/runtime';
import type { ConnectorLedger } from '../../ledger/ledger.ts';
import type { NativeRecord, ResourceMapping } from '../../mapping.ts';
import { rejectedRecordCount } from '../../publish/plan.ts';
import type { RecordPublisher } from '../../publish/publisher.ts';
import { MAX_WATERMARK_KEY_CHARS, PAST_INSTANT_KEY, nativeValue, pageQuery, type TableSource } from './query.ts';

/** Date and time types, read as text so that no precision or zone is lost on the way. */
const TIME_TYPE_OIDS = new Set([1082, 1083, 1114, 1184, 1266]);
/**
 * json, jsonb and their arrays, kept as PostgreSQL's text: parsed, a value
 * nested 5,000 deep (jsonb takes it) could not be written back to text
 * (JSON.stringify recurses), and that one row would fail every poll.
 */
const JSON_TYPE_OIDS = new Set([114, 3802, 199, 3807]);

export interface DatabasePollerOptions extends TableSource {
  /** `postgres://user:password@host:port/database` */
  connectionString: string;
  /** The watermark's name in the ledger, `<dept>/<resource>` by default. */
  source?: string;
  /** Session time zone: local times are read in it (the department's). */
  timeZone?: string;
  mapping: ResourceMapping;
  publisher: RecordPublisher;
  ledger: ConnectorLedger;
  logger: Logger;
  pollIntervalMs?: number;
  /**
   * Read only rows whose updated-at is at least this old (by the database's
   * clock): longer than the department's longest write transaction, so that a
   * row committed late with an older updated-at is not passed by. 0 (the
   * default) reads every committed row at once.
   */
  delayMs?: number;
  /** Rows per query and per transaction; the publisher's batch size by default. */
  batchSize?: number;
  now?: () => Date;
}

export interface PollResult {
  rows: number;
  accepted: number;
  duplicates: number;
  /** Rejected rows (each dead-lettered with its fields and reasons). */
  rejected: number;
}

export interface DatabasePoller {
  readonly source: string;
  start(): void;
  /** Reads and publishes page after page until no row is newer than the watermark. */
  poll(): Promise<PollResult>;
  stop(): Promise<void>;
}

/**
 * Polls a PostgreSQL table of a departmental system by its (updated-at, key)
 * high-water mark (增量抽取). The watermark of each page is committed with that
 * page's records in one Kafka transaction and kept in the local ledger, so a
 * restart, even after a crash, resumes where the last committed page ended.
 * A row whose transaction commits after a newer row was read, with an older
 * updated-at, would be passed by: `delayMs` reads only rows older than the
 * department's longest transaction, or its system sets updated-at at commit.
 */
export function createDatabasePoller(options: DatabasePollerOptions): DatabasePoller {
  const { mapping, publisher, ledger } = options;
  const source = options.source ?? `${mapping.department}/${mapping.resource}`;
  const logger = options.logger.child({ component: 'database-poller', source, table: options.table });
  const batchSize = options.batchSize ?? publisher.batchSize;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const now = options.now ?? (() => new Date());
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: 1,
    options: `-c TimeZone=${options.timeZone ?? 'Asia/Shanghai'}`,
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      TIME_TYPE_OIDS.has(oid) || JSON_TYPE_OIDS.has(oid) ? (text: string) => text : pg.types.getTypeParser(oid, format as never),
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopping = false;

  async function poll(): Promise<PollResult> {
    const total: PollResult = { rows: 0, accepted: 0, duplicates: 0, rejected: 0 };
    for (;;) {
      if (stopping) return total;
      const after = ledger.watermark(source);
      const query = pageQuery(options, { ...(after ? { after } : {}), delayMs: options.delayMs ?? 0, limit: batchSize });
      const result = await pool.query({ ...query, types });
      if (result.rows.length === 0) return total;
      const timeColumns = new Set(result.fields.filter((f) => TIME_TYPE_OIDS.has(f.dataTypeID)).map((f) => f.name));
      const natives: NativeRecord[] = result.rows.map((row: Record<string, unknown>) => {
        const native: NativeRecord = {};
        for (const [column, nativeName] of Object.entries(options.columns)) {
          const field = `c:${column}`;
          native[nativeName] = nativeValue(row[field], timeColumns.has(field) ? 'time' : 'other');
        }
        return native;
      });
      const last = result.rows.at(-1) as Record<string, string | null>;
      const lastKey = last['w:key'];
      const next = { source, updatedAt: last['w:updated_at']!, key: lastKey === null || lastKey === undefined || lastKey.length > MAX_WATERMARK_KEY_CHARS ? PAST_INSTANT_KEY : lastKey };
      const outcome = await publisher.publish(mapping, natives, { kind: 'database', name: source }, now(), { watermark: next });
      total.rows += natives.length;
      total.accepted += outcome.accepted;
      total.duplicates += outcome.duplicates;
      total.rejected += rejectedRecordCount(outcome);
      logger.info({ rows: natives.length, accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: rejectedRecordCount(outcome), watermark: next }, 'database page published');
      if (result.rows.length < batchSize) return total;
    }
  }

  const loop = (): void => {
    if (stopping) return;
    running = poll().catch((error: unknown) => logger.error({ err: error }, 'database poll failed; retried at the next poll'));
    void running.then(() => {
      if (!stopping) timer = setTimeout(loop, pollIntervalMs);
    });
  };

  return {
    source,
    start() {
      stopping = false;
      if (!timer) loop();
    },
    poll() {
      const result = poll();
      running = result;
      return result;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
      await pool.end();
    },
  };
}
