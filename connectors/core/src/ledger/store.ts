import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { FileProgress, LedgerEntry, Watermark } from './entry.ts';

/** Ids looked up per statement: one JSON array parameter, so one prepared statement serves every size. */
const LOOKUP_CHUNK = 2_000;
/**
 * Writes are grouped into one SQLite commit per this many ids, or per `GROUP_COMMIT_MS`, whichever comes
 * first. Event ids are random keys: a batch of 5,000 touches most leaf pages of the table, and a commit
 * writes every page it touched to the WAL (a million ids: about 16 MB per batch). Grouped, each page is
 * written once per group (ingest bench, a million rows: the ledger's cost per record from ~20 µs to ~5).
 * What a crash loses of a group is applied again from `ledger.connectors` on start, as after a power loss.
 */
const GROUP_COMMIT_IDS = 100_000;
const GROUP_COMMIT_MS = 1_000;

/**
 * The local, on-disk half of the once-only ledger (SQLite): which event ids were
 * published, how far each file and each database table got, and how far
 * `ledger.connectors` has been applied. Memory stays bounded however many
 * records pass: everything lives on disk and look-ups go in chunks.
 * Synchronous by design (better-sqlite3): each call is short and atomic.
 */
export class LedgerStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly applyEntry: (entry: LedgerEntry, position: { partition: number; offset: string } | undefined) => void;
  /** Ids written since the group's BEGIN; the timer that commits the group. */
  private groupIds = 0;
  private groupTimer: NodeJS.Timeout | undefined;

  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL survives a process crash (kill -9); a power loss is covered by catching up from Kafka.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // Event ids are random keys: each insert dirties its own page, and every commit writes its pages to
    // the WAL. Checkpointing every 10,000 pages (not 1,000) copies a page written by several batches once.
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    // The pages a group dirties stay in memory until its commit, instead of spilling to the WAL early.
    this.db.pragma('cache_size = -32768');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS published (event_id TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS files (
        source TEXT NOT NULL, file_id TEXT NOT NULL, name TEXT NOT NULL,
        row_reached INTEGER NOT NULL, complete INTEGER NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (source, file_id)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS watermarks (
        source TEXT PRIMARY KEY, updated_at TEXT NOT NULL, key TEXT NOT NULL, changed_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ledger_offsets (partition INTEGER PRIMARY KEY, offset TEXT NOT NULL);
    `);
    this.statements = {
      known: this.db.prepare<[string], { id: string }>(
        'SELECT j.value AS id FROM json_each(?) AS j JOIN published AS p ON p.event_id = j.value',
      ),
      // All ids of an entry in one statement (a JSON array), in key order: fewer calls, neighbouring pages.
      insertIds: this.db.prepare<[string]>('INSERT OR IGNORE INTO published (event_id) SELECT value FROM json_each(?)'),
      countIds: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM published'),
      // Progress only moves forward: a file's row count never shrinks, a complete file stays complete.
      upsertFile: this.db.prepare<[string, string, string, number, number, string]>(`
        INSERT INTO files (source, file_id, name, row_reached, complete, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (source, file_id) DO UPDATE SET
          name = excluded.name,
          row_reached = max(files.row_reached, excluded.row_reached),
          complete = max(files.complete, excluded.complete),
          updated_at = excluded.updated_at`),
      file: this.db.prepare<[string, string], { name: string; row_reached: number; complete: number }>(
        'SELECT name, row_reached, complete FROM files WHERE source = ? AND file_id = ?',
      ),
      upsertWatermark: this.db.prepare<[string, string, string, string]>(`
        INSERT INTO watermarks (source, updated_at, key, changed_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (source) DO UPDATE SET updated_at = excluded.updated_at, key = excluded.key, changed_at = excluded.changed_at`),
      watermark: this.db.prepare<[string], { updated_at: string; key: string }>('SELECT updated_at, key FROM watermarks WHERE source = ?'),
      saveOffset: this.db.prepare<[number, string]>(
        'INSERT INTO ledger_offsets (partition, offset) VALUES (?, ?) ON CONFLICT (partition) DO UPDATE SET offset = excluded.offset',
      ),
      offsets: this.db.prepare<[], { partition: number; offset: string }>('SELECT partition, offset FROM ledger_offsets'),
    };
    this.applyEntry = this.db.transaction((entry: LedgerEntry, position: { partition: number; offset: string } | undefined) => {
      const ids = entry.rejectionIds.length === 0 ? [...entry.eventIds] : [...entry.eventIds, ...entry.rejectionIds];
      if (ids.length > 0) this.statements.insertIds.run(JSON.stringify(ids.sort()));
      const now = new Date().toISOString();
      if (entry.file) {
        const f = entry.file;
        this.statements.upsertFile.run(f.source, f.fileId, f.name, f.rowReached, f.complete ? 1 : 0, now);
      }
      if (entry.watermark) {
        const w = entry.watermark;
        this.statements.upsertWatermark.run(w.source, w.updatedAt, w.key, now);
      }
      if (position) this.statements.saveOffset.run(position.partition, position.offset);
    });
  }

  /** The ids among `ids` that were already published. */
  known(ids: readonly string[]): Set<string> {
    const found = new Set<string>();
    for (let start = 0; start < ids.length; start += LOOKUP_CHUNK) {
      const chunk = ids.slice(start, start + LOOKUP_CHUNK);
      for (const row of this.statements.known.all(JSON.stringify(chunk))) found.add(row.id);
    }
    return found;
  }

  /** Applies one committed ledger entry atomically, with the ledger topic position it came from (if it came from there). */
  apply(entry: LedgerEntry, position?: { partition: number; offset: string }): void {
    this.grouped(() => this.applyEntry(entry, position), entry.eventIds.length + entry.rejectionIds.length);
  }

  /** Runs `work` atomically (a savepoint of the open group; nested calls too). */
  atomically<T>(work: () => T): T {
    return this.grouped(() => this.db.transaction(work)(), 0);
  }

  /** Advances the applied position without an entry (another connector's message, an aborted batch). */
  saveOffset(partition: number, offset: string): void {
    this.grouped(() => this.statements.saveOffset.run(partition, offset), 0);
  }

  /** Commits the open group of writes now (also done by `close`). */
  flush(): void {
    clearTimeout(this.groupTimer);
    this.groupTimer = undefined;
    this.groupIds = 0;
    if (this.db.open && this.db.inTransaction) this.db.exec('COMMIT');
  }

  /** Runs a write in the open group (begun if none is), and commits the group when it is large or old enough. */
  private grouped<T>(write: () => T, ids: number): T {
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN');
      this.groupTimer = setTimeout(() => this.flush(), GROUP_COMMIT_MS);
      this.groupTimer.unref();
    }
    const result = write();
    this.groupIds += ids;
    if (this.groupIds >= GROUP_COMMIT_IDS) this.flush();
    return result;
  }

  /** Last applied offset per partition of `ledger.connectors`. */
  offsets(): Map<number, string> {
    return new Map(this.statements.offsets.all().map((row) => [row.partition, row.offset]));
  }

  fileProgress(source: string, fileId: string): FileProgress | undefined {
    const row = this.statements.file.get(source, fileId);
    return row && { source, fileId, name: row.name, rowReached: row.row_reached, complete: row.complete === 1 };
  }

  watermark(source: string): Watermark | undefined {
    const row = this.statements.watermark.get(source);
    return row && { source, updatedAt: row.updated_at, key: row.key };
  }

  publishedCount(): number {
    return this.statements.countIds.get()?.n ?? 0;
  }

  close(): void {
    this.flush();
    if (this.db.open) this.db.close();
  }
}
