import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type RouterDatabase = Database.Database;

/**
 * The router's local file (SQLite): the record store and the data requests,
 * each a table beside the Kafka positions it has applied, so that a restart
 * goes on from there and a deleted file is read again from Kafka. Synchronous
 * by design (better-sqlite3): each call is short, and a batch is one
 * transaction.
 */
export function openRouterDatabase(path: string): RouterDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // The file is this instance's alone (one per ROUTER_INSTANCE_ID): it takes the lock once and keeps it, so a look-up
  // or a commit makes no lock calls, and the WAL index lives in the heap, not in a shared -shm file (set before the
  // first access, as SQLite requires). A second process on the same file is refused (database is locked).
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  // NORMAL survives a process crash (kill -9); what a power loss takes is read again from Kafka.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // A batch of records touches pages all over the key space: a commit checkpoints only past 10,000 pages (40 MiB),
  // a backstop; `checkpointEvery` copies the log back in small steps between commits.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  // The page cache is the only memory that grows with the data: 32 MiB of it, whatever the number of keys.
  db.pragma('cache_size = -32768');
  // Look-ups read the file through the OS page cache, mapped: no read call per page (the mapping is not heap).
  db.pragma('mmap_size = 268435456');
  db.exec(`
    CREATE TABLE IF NOT EXISTS positions (
      topic TEXT NOT NULL, partition INTEGER NOT NULL, next INTEGER NOT NULL,
      PRIMARY KEY (topic, partition)
    ) WITHOUT ROWID;
  `);
  return db;
}

/**
 * Checkpoints the file's write-ahead log every `ms`: what a second of commits
 * wrote is copied back in a few milliseconds, where a checkpoint of 10,000
 * pages inside a commit held the event loop for some 60 ms (every data
 * request waiting behind it). Returns the stop.
 */
export function checkpointEvery(db: RouterDatabase, ms: number): () => void {
  const timer = setInterval(() => {
    if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}

/** The next offset to read of each partition of the topics a table follows, kept in the same file as what was applied. */
export class TopicPositions {
  private readonly statements;

  constructor(private readonly db: RouterDatabase) {
    this.statements = {
      // A position only moves forward: a batch replayed after a rebalance cannot take it back.
      save: db.prepare<[string, number, bigint]>(`
        INSERT INTO positions (topic, partition, next) VALUES (?, ?, ?)
        ON CONFLICT (topic, partition) DO UPDATE SET next = max(positions.next, excluded.next)`),
      of: db.prepare<[string], { partition: number; next: bigint }>('SELECT partition, next FROM positions WHERE topic = ?').safeIntegers(true),
      forget: db.prepare<[string]>('DELETE FROM positions WHERE topic = ?'),
    };
  }

  save(topic: string, partition: number, next: bigint): void {
    this.statements.save.run(topic, partition, next);
  }

  of(topic: string): Map<number, bigint> {
    return new Map(this.statements.of.all(topic).map((row) => [Number(row.partition), BigInt(row.next)]));
  }

  forget(topic: string): void {
    this.statements.forget.run(topic);
  }

  /** Runs `work` in one SQLite transaction (nested calls become savepoints). */
  atomically<T>(work: () => T): T {
    return this.db.transaction(work)();
  }
}
