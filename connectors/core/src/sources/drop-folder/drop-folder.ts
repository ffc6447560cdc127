import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Logger } from '@hub/runtime';
import type { ConnectorLedger } from '../../ledger/ledger.ts';
import type { ResourceMapping } from '../../mapping.ts';
import { rejectedRecordCount, type PublishOutcome } from '../../publish/plan.ts';
import { DEFAULT_BATCH_SIZE, type RecordPublisher } from '../../publish/publisher.ts';
import { batchesOf, type RowBatch } from './batches.ts';
import { inspectFile } from './inspect.ts';
import { DEFAULT_FILE_LIMITS, FileReadError, SUPPORTED_EXTENSIONS, isSupportedExtension, readRows, type FileLimits } from './readers.ts';

/**
 * A watched drop folder of one resource (共享交换目录):
 * `<dataDir>/drop/<dept>/<resource>/inbox/*.{csv,jsonl,ndjson,xlsx}`.
 * A file moves to `done/` once every record of it is in Kafka (published, or
 * dead-lettered), or to `failed/` beside a `<name>.error.txt` when it cannot be
 * read at all. The ledger's row reached is committed with each batch, so a
 * crash in the middle of a file resumes at the next row.
 */
export interface DropFolderOptions {
  /** `<dataDir>/drop/<dept>/<resource>`; see `dropFolderOf`. */
  folder: string;
  /** The folder's name in the ledger and the logs, `<dept>/<resource>`. */
  source: string;
  /** Absent for a folder whose resource has no mapping: each file goes to failed/. */
  mapping: ResourceMapping | undefined;
  publisher: RecordPublisher | undefined;
  ledger: ConnectorLedger | undefined;
  logger: Logger;
  /** How often the inbox is listed; a file is taken once its size and time stayed the same over two listings. */
  pollIntervalMs?: number;
  /** Records per transaction; the publisher's batch size by default. */
  batchSize?: number;
  /** Bounds of a line, a JSON line's nesting and an XLSX's inflated size (`DEFAULT_FILE_LIMITS` where not given). */
  fileLimits?: Partial<FileLimits>;
  now?: () => Date;
  onFile?: (result: FileResult) => void;
}

export interface FileResult {
  name: string;
  /** `duplicate`: the same content was published before; nothing new was published. */
  result: 'done' | 'failed' | 'duplicate';
  /** Rows read in this pass (after the rows published by an earlier, interrupted pass). */
  rows: number;
  accepted: number;
  duplicates: number;
  /** Rejected records (each sent to dlq.connectors with its fields and reasons). */
  rejected: number;
  reason?: string;
}

export interface DropFolderSource {
  readonly folder: string;
  readonly source: string;
  start(): void;
  /** Lists the inbox once and processes the files that are ready; returns what happened to each. */
  poll(): Promise<FileResult[]>;
  /** Stops after the current batch; an unfinished file stays in the inbox and resumes on the next start. */
  stop(): Promise<void>;
}

export function dropFolderOf(dataDir: string, department: string, resource: string): string {
  return join(dataDir, 'drop', department, resource);
}

export function createDropFolderSource(options: DropFolderOptions): DropFolderSource {
  const { folder, source, mapping, publisher, ledger } = options;
  const logger = options.logger.child({ component: 'drop-folder', source });
  const inbox = join(folder, 'inbox');
  const done = join(folder, 'done');
  const failed = join(folder, 'failed');
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? publisher?.batchSize ?? DEFAULT_BATCH_SIZE;
  const now = options.now ?? (() => new Date());
  const fileLimits: FileLimits = { ...DEFAULT_FILE_LIMITS, ...options.fileLimits };
  /** Size and mtime at the previous listing: a file is ready when they did not change. */
  const seen = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let running: Promise<FileResult[]> | undefined;

  async function poll(): Promise<FileResult[]> {
    await Promise.all([inbox, done, failed].map((dir) => mkdir(dir, { recursive: true })));
    const names = (await readdir(inbox, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !entry.name.endsWith('.part'))
      .map((entry) => entry.name)
      .sort();
    const results: FileResult[] = [];
    const present = new Set(names);
    for (const name of seen.keys()) if (!present.has(name)) seen.delete(name);
    for (const name of names) {
      if (stopping) break;
      let signature: string;
      try {
        const info = await stat(join(inbox, name));
        signature = `${info.size}:${info.mtimeMs}`;
      } catch {
        continue; // moved away meanwhile
      }
      const before = seen.get(name);
      seen.set(name, signature);
      if (before !== signature) continue; // new or still being written: look again next time
      const result = await processFile(name);
      if (result) {
        seen.delete(name);
        results.push(result);
        options.onFile?.(result);
      }
    }
    return results;
  }

  /** Undefined when the file stays in the inbox (stopped, or a transient error: retried next poll). */
  async function processFile(name: string): Promise<FileResult | undefined> {
    const path = join(inbox, name);
    const extension = extname(name).toLowerCase();
    if (!isSupportedExtension(extension)) {
      return fail(name, `unsupported file type "${extension}"; a drop folder takes ${SUPPORTED_EXTENSIONS.join(', ')}`);
    }
    if (!mapping || !publisher || !ledger) return fail(name, `no mapping for the resource ${source}: no connector publishes it`);

    const totals: PublishOutcome & { rows: number } = { accepted: 0, duplicates: 0, rejected: [], rows: 0 };
    let rejectedRecords = 0;
    let fileId: string;
    let rowReached = 0;
    try {
      const inspection = await inspectFile(path);
      fileId = inspection.fileId;
      const progress = ledger.fileProgress(source, fileId);
      if (progress?.complete) {
        logger.info({ file: name, fileId, rows: progress.rowReached, publishedAs: progress.name }, 'file already published (same content): its records are duplicates, nothing new is published');
        await moveTo(done, name);
        return { name, result: 'duplicate', rows: 0, accepted: 0, duplicates: progress.rowReached, rejected: 0 };
      }
      rowReached = progress?.rowReached ?? 0;
      if (rowReached > 0) logger.info({ file: name, fileId, rowReached }, 'resuming an interrupted file after the rows already published');
      else logger.info({ file: name, fileId, encoding: extension === '.csv' ? (inspection.utf8 ? 'utf-8' : 'gbk') : undefined }, 'reading file');

      const batches = batchesOf(readRows(path, extension, { utf8: inspection.utf8, limits: fileLimits }), batchSize, rowReached);
      // Batch k+1 is read and handed to the publisher (which prepares it) while batch k is in its
      // transaction; it is committed only after batch k was. At most these two are outstanding.
      let inFlight: Promise<void> | undefined;
      const publishBatch = (batch: RowBatch, complete: boolean): Promise<void> => {
        const last = batch.firstRow + batch.records.length - 1;
        const published = publisher.publish(
          mapping,
          batch.records,
          { kind: 'file', name, firstRow: batch.firstRow },
          now(),
          {
            file: { source, fileId, name, rowReached: last, complete },
            ...(batch.readErrors ? { readErrors: batch.readErrors } : {}),
            ...(inFlight ? { after: inFlight } : {}),
          },
        ).then((outcome) => {
          rowReached = last;
          logger.debug({ file: name, rowReached, complete, accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected.length }, 'batch published');
          totals.rows += batch.records.length;
          totals.accepted += outcome.accepted;
          totals.duplicates += outcome.duplicates;
          rejectedRecords += rejectedRecordCount(outcome);
        });
        published.catch(() => undefined); // awaited below; a batch after a failed one fails too
        return published;
      };
      /** Hands a batch over, then waits for the one before it. */
      const handOver = async (batch: RowBatch, complete: boolean): Promise<void> => {
        const previous = inFlight;
        inFlight = publishBatch(batch, complete);
        await previous;
      };
      try {
        // One batch of look-ahead: the last batch carries `complete`, so a file never needs a second pass.
        let pending = await batches.next();
        if (pending.done) {
          await publisher.publish(mapping, [], { kind: 'file', name }, now(), { file: { source, fileId, name, rowReached, complete: true } });
        }
        while (!pending.done) {
          let following: IteratorResult<RowBatch>;
          try {
            following = await batches.next();
          } catch (error) {
            await handOver(pending.value, false); // what was read before the damage is still published
            await inFlight;
            throw error;
          }
          await handOver(pending.value, following.done === true);
          pending = following;
          if (stopping && !pending.done) {
            await inFlight;
            await batches.return(undefined);
            logger.info({ file: name, rowReached }, 'stopped in the middle of a file; it resumes at the next start');
            return undefined;
          }
        }
        await inFlight;
      } finally {
        await inFlight?.catch(() => undefined); // nothing of this file is left in the publisher
      }
    } catch (error) {
      if (error instanceof FileReadError) {
        const published = rowReached > 0 ? ` Rows 1 to ${rowReached} were published before the error.` : '';
        return fail(name, `${error.message}.${published}`, totals, rejectedRecords);
      }
      logger.error({ err: error, file: name, rowReached }, 'publishing failed; the file stays in the inbox and is retried from the row reached');
      return undefined;
    }
    const summary = { name, result: 'done' as const, rows: totals.rows, accepted: totals.accepted, duplicates: totals.duplicates, rejected: rejectedRecords };
    const logged = { file: name, rows: summary.rows, accepted: summary.accepted, duplicates: summary.duplicates, rejected: summary.rejected };
    if (totals.accepted === 0 && totals.rows > 0 && totals.duplicates + rejectedRecords === totals.rows) {
      logger.info(logged, 'file processed: nothing new, every record was published before (or rejected)');
    } else {
      logger.info(logged, 'file processed');
    }
    await moveTo(done, name);
    return summary;
  }

  async function fail(name: string, reason: string, totals?: PublishOutcome & { rows: number }, rejected = 0): Promise<FileResult> {
    logger.warn({ file: name, reason }, 'file cannot be read; moved to failed/');
    const moved = await moveTo(failed, name);
    await writeFile(join(failed, `${moved}.error.txt`), `${reason}\n`, 'utf8');
    return { name, result: 'failed', rows: totals?.rows ?? 0, accepted: totals?.accepted ?? 0, duplicates: totals?.duplicates ?? 0, rejected, reason };
  }

  /** Moves a file out of the inbox; a name already taken there gets a time suffix. Returns the new name. */
  async function moveTo(dir: string, name: string): Promise<string> {
    let target = name;
    if (existsSync(join(dir, target))) {
      const extension = extname(name);
      const stamp = new Date().toISOString().replace(/[-:.]/g, '');
      target = `${name.slice(0, name.length - extension.length)}.${stamp}${extension}`;
    }
    await rename(join(inbox, name), join(dir, target));
    return target;
  }

  const loop = (): void => {
    if (stopping) return;
    running = poll().catch((error: unknown) => {
      logger.error({ err: error }, 'drop folder poll failed');
      return [];
    });
    void running.then(() => {
      if (!stopping) timer = setTimeout(loop, pollIntervalMs);
    });
  };

  return {
    folder,
    source,
    start() {
      stopping = false;
      if (!timer && !running) loop();
    },
    poll() {
      running = poll();
      return running;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
      running = undefined;
    },
  };
}
