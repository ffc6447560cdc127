import { Worker } from 'node:worker_threads';
import type { Logger } from '@hub/runtime';
import { DEFAULT_RECORD_LIMITS, type RecordLimits } from '../limits/record-limits.ts';
import type { FieldError, NativeRecord, ResourceMapping } from '../mapping.ts';
import type { PreparedChunk, PreparedRecord } from './prepare.ts';

/** What the publisher sends the prepare worker. */
export interface PrepareRequest {
  id: number;
  department: string;
  resource: string;
  eventType: string;
  /** The mapping's native columns: a worker whose mapping of the resource differs does not prepare it. */
  columns: string;
  schemaId: number;
  natives: readonly NativeRecord[];
  now: number;
  readErrors?: Array<[number, FieldError[]]>;
  limits: RecordLimits;
}

/** What the worker says once it has loaded its modules. */
export interface WorkerReady {
  ready: true;
}

/** Its answer: the chunk prepared (values packed in one buffer), or that it cannot prepare this resource. */
export type PrepareReply =
  | { id: number; records: Array<Omit<PreparedRecord, 'value'>>; rejections: PreparedChunk['rejections']; values: ArrayBuffer; lengths: Int32Array }
  | { id: number; missing: true }
  | { id: number; error: string };

/**
 * A worker thread that prepares chunks (`prepareChunk`: map, validate, event
 * ids, Avro) for the publishers of this process, so that their own thread
 * only reads, de-duplicates, produces and records. One per set of connector
 * modules, shared by the publishers that name the same set.
 *
 * `prepare` answers undefined when the worker cannot prepare the chunk (its
 * modules do not map the resource, or the thread failed): the publisher then
 * prepares it itself, with the same code, so nothing is lost but the overlap.
 */
export class PrepareWorker {
  private static readonly shared = new Map<string, { worker: PrepareWorker; users: number }>();

  /**
   * The worker for these modules, started now (loading the modules takes the
   * thread a second or two: `ready` says when it is done); give it back with `release`.
   */
  static acquire(modules: readonly string[], logger: Logger): PrepareWorker {
    const key = JSON.stringify(modules);
    let entry = PrepareWorker.shared.get(key);
    if (!entry) {
      entry = { worker: new PrepareWorker(key, modules, logger), users: 0 };
      PrepareWorker.shared.set(key, entry);
      entry.worker.start();
    }
    entry.users += 1;
    return entry.worker;
  }

  private thread: Worker | undefined;
  private broken = false;
  private markReady!: (ready: boolean) => void;
  private isReady = false;
  private readonly started = new Promise<boolean>((resolve) => {
    this.markReady = (ready) => {
      this.isReady = ready;
      resolve(ready);
    };
  });
  private nextId = 1;
  private readonly pending = new Map<number, (reply: PrepareReply | undefined) => void>();
  private readonly missing = new Set<string>();

  private constructor(
    private readonly key: string,
    private readonly modules: readonly string[],
    private readonly logger: Logger,
  ) {}

  async prepare(mapping: ResourceMapping, schemaId: number, natives: readonly NativeRecord[], now: number, readErrors?: ReadonlyMap<number, FieldError[]>, limits: RecordLimits = DEFAULT_RECORD_LIMITS): Promise<PreparedChunk | undefined> {
    const resource = `${mapping.department}/${mapping.resource}`;
    if (this.broken || !this.isReady || this.missing.has(resource)) return undefined; // not (yet) able to: prepared in the caller's thread
    const thread = this.start();
    const id = this.nextId++;
    const reply = await new Promise<PrepareReply | undefined>((resolve) => {
      this.pending.set(id, resolve);
      const request: PrepareRequest = {
        id, department: mapping.department, resource: mapping.resource, eventType: mapping.eventType, columns: mapping.nativeColumns.join(','), schemaId, natives, now, limits,
        ...(readErrors && readErrors.size > 0 ? { readErrors: [...readErrors] } : {}),
      };
      try {
        thread.postMessage(request);
      } catch (error) {
        this.pending.delete(id);
        this.logger.warn({ err: error }, 'a chunk could not be handed to the prepare worker; prepared in the publisher thread');
        resolve(undefined);
      }
    });
    if (!reply) return undefined;
    if ('missing' in reply) {
      this.missing.add(resource);
      this.logger.warn({ resource, modules: this.modules }, 'the prepare worker has no mapping for this resource; its chunks are prepared in the publisher thread');
      return undefined;
    }
    if ('error' in reply) {
      this.logger.warn({ resource, error: reply.error }, 'the prepare worker failed on a chunk; prepared in the publisher thread');
      return undefined;
    }
    const values = Buffer.from(reply.values);
    let at = 0;
    // The cloned records take their values in place: no second object per record.
    const records: PreparedRecord[] = reply.records;
    for (let i = 0; i < records.length; i += 1) {
      const length = reply.lengths[i]!;
      if (length < 0) continue;
      records[i]!.value = values.subarray(at, at + length);
      at += length;
    }
    return { records, rejections: reply.rejections };
  }

  /** Resolves once the thread has loaded its modules (true), or has failed or not done so within `timeoutMs` (false). */
  async ready(timeoutMs = 60_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.started, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Gives the worker back; the thread stops when no publisher uses it any more. */
  async release(): Promise<void> {
    const entry = PrepareWorker.shared.get(this.key);
    if (!entry || entry.worker !== this) return;
    entry.users -= 1;
    if (entry.users > 0) return;
    PrepareWorker.shared.delete(this.key);
    const thread = this.thread;
    this.thread = undefined;
    this.broken = true;
    this.settleAll();
    await thread?.terminate();
  }

  private start(): Worker {
    if (this.thread) return this.thread;
    const thread = new Worker(new URL('./prepare-worker-entry.mjs', import.meta.url), {
      workerData: { modules: this.modules },
      // Each record is encoded as soon as it is mapped, so its garbage dies young: 16 MiB of young
      // generation prepare as fast as 64 did (500,000 drop-file rows, runs alternated: 39,408 and
      // 40,674 records/s against 39,667 and 40,862) with the host's peak 40-70 MiB lower.
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    });
    thread.unref(); // a publisher's close ends it; it never keeps the process alive
    thread.on('message', (reply: PrepareReply | WorkerReady) => {
      if ('ready' in reply) {
        this.markReady(true);
        return;
      }
      const resolve = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      resolve?.(reply);
    });
    const fail = (reason: string, error?: unknown) => {
      if (this.thread !== thread) return;
      this.thread = undefined;
      this.broken = true;
      this.logger.warn({ err: error, reason }, 'the prepare worker stopped; publishers prepare their chunks in their own thread');
      this.settleAll();
    };
    thread.on('error', (error) => fail('error', error));
    thread.on('exit', (code) => fail(`exit ${code}`));
    this.thread = thread;
    return thread;
  }

  private settleAll(): void {
    this.markReady(false);
    for (const resolve of this.pending.values()) resolve(undefined);
    this.pending.clear();
  }
}
