import { availableParallelism } from 'node:os';
import {
  cloudEventHeaders,
  createTransactionalProducer,
  ensureTopics,
  ProducerFencedError,
  recordBytes,
  remembered,
  Semaphore,
  type AvroSerde,
  type Kafka,
  type Logger,
  type OutgoingRecord,
} from '@hub/runtime';
import { eventType, loadSchema, subjectName, topicFor, type EventName } from '@hub/schemas';
import { DEAD_LETTER_TOPIC, deadLetterMessage, deadLetterOf, type RecordSource, type RejectedRecord } from '../dead-letter.ts';
import { rejectionId } from '../event-id.ts';
import type { ConnectorLedger } from '../ledger/ledger.ts';
import { LEDGER_TOPIC, type FileProgress, type LedgerEntry, type Watermark } from '../ledger/entry.ts';
import { LEDGER_TOPIC_SPEC } from '../ledger/ledger.ts';
import { recordLimits, type RecordLimits } from '../limits/record-limits.ts';
import type { FieldError, NativeRecord, ResourceMapping } from '../mapping.ts';
import { chunks, idsOf, mergeOutcomes, planBatch, type PublishOutcome } from './plan.ts';
import { PrepareWorker } from './prepare-pool.ts';
import { prepareChunk, type PreparedChunk, type PreparedRecord } from './prepare.ts';

/**
 * Records per transaction. Each transaction costs the broker (partitions added, markers written),
 * the ledger (one SQLite commit, one entry every instance applies) and a few round trips, whatever
 * its size: 5,000 carries that cost a quarter as often as 1,000 (the ingest bench: drop folder
 * ~12,000 records/s against ~9,700), in about 5 MB of memory a batch.
 */
export const DEFAULT_BATCH_SIZE = 5_000;
/**
 * The largest Kafka message the publisher produces: under the broker's default `message.max.bytes`
 * (1 MiB) with room for the batch's framing. A record that would be larger is dead-lettered instead,
 * before the transaction, so one record never fails the records beside it. Dead letters are bounded
 * by construction (`deadLetterOf`: the original cut to 64 KiB, 32 errors of 1,000 characters).
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_000_000;
/** Records prepared (mapped, encoded) but not committed yet, per publisher, in batches: about the one in its transaction and the next. */
const PREPARED_AHEAD = 2;

export interface PublishOptions {
  /** Drop-folder progress to commit with the batch (in the same transaction). */
  file?: FileProgress;
  /** Database watermark to commit with the batch (in the same transaction). */
  watermark?: Watermark;
  /** Records of the batch that could not be read at all (e.g. a malformed JSON line), by index. */
  readErrors?: ReadonlyMap<number, FieldError[]>;
  /**
   * The publish of the batch before this one, when this one must not be committed
   * unless that one was (a file's rows: the row reached must never skip rows).
   * Lets a source hand over the next batch, to be prepared, before the last one is committed.
   */
  after?: Promise<unknown>;
}

/** A publish that was not attempted because the one it was to follow (`after`) failed. */
export class PrecedingBatchFailedError extends Error {
  override name = 'PrecedingBatchFailedError';
}

export interface RecordPublisher {
  /**
   * Maps, validates, de-duplicates and publishes a batch of native records of one
   * resource: the new records on `records.<dept>.<resource>`, the rejected ones
   * on `dlq.connectors`, and one ledger entry, in one Kafka transaction per at
   * most `batchSize` records. Resolves after the commit (acks=all), so a caller
   * that answers "accepted" after it has the records safely in Kafka. Calls are
   * serialised (one transaction at a time per producer, in call order); mapping,
   * event ids and encoding of the next chunk run while the one before it is in
   * its transaction, and what is new is decided after that transaction. Calls
   * without file progress or watermark that are prepared while a transaction
   * runs share the next one (up to `batchSize` records), each still whole.
   */
  publish(mapping: ResourceMapping, natives: readonly NativeRecord[], source: RecordSource, now: Date, options?: PublishOptions): Promise<PublishOutcome>;
  readonly connector: string;
  readonly instanceId: string;
  readonly batchSize: number;
  /** False while the ledger is not caught up, and for a minute after the producer was fenced. */
  readonly healthy: boolean;
  close(): Promise<void>;
}

/** Told after each committed transaction (for metrics); must not throw. */
export interface PublishReport {
  mapping: ResourceMapping;
  source: RecordSource;
  outcome: PublishOutcome;
  deadLetters: number;
  durationMs: number;
}

export interface RecordPublisherOptions {
  kafka: Kafka;
  serde: AvroSerde;
  ledger: ConnectorLedger;
  logger: Logger;
  /** The connector's name (the department code for department connectors). */
  connector: string;
  /** Stable across restarts of the same instance: it fences the previous run's producer. */
  instanceId: string;
  batchSize?: number;
  /** How long the broker keeps a transaction open before aborting it (a crashed instance's). */
  transactionTimeoutMs?: number;
  /**
   * Map, validate, derive ids and Avro-encode in a worker thread that imports
   * these modules (those the mappings come from: department connector
   * packages, or file URLs), shared by the publishers of the process naming
   * the same modules. A resource none of them maps is prepared in this thread.
   * It costs CPU of its own (records cloned to and from the thread, a second
   * heap): worth it only with cores to spare, see `prepareWorkerPays`.
   */
  prepareWorker?: { modules: readonly string[] };
  /** Bounds of each native record (see `RecordLimits`); the defaults where not given. */
  limits?: Partial<RecordLimits>;
  /** The largest message produced (`DEFAULT_MAX_MESSAGE_BYTES`); set it under a broker's smaller `message.max.bytes`. */
  maxMessageBytes?: number;
  onPublished?: (report: PublishReport) => void;
}

/**
 * Whether a prepare worker thread pays on this machine: with a second core. The
 * ingest bench on two cores shared with the broker and the gateway (300,000
 * rows, runs alternated): drop folder 13,900–14,500 records/s with it against
 * 10,600–10,700 without, HTTP push 10,700–11,600 against 7,600–8,800. It costs
 * a second heap (the host's peak RSS about 190 MiB higher) and the records'
 * copies to the thread and back (about 1 µs each, the values packed in one
 * buffer). On one core it only adds that cost.
 */
export function prepareWorkerPays(cores = availableParallelism()): boolean {
  return cores >= 2;
}

/** `hub-connector-<connector>-<instanceId>`. */
export function transactionalIdOf(connector: string, instanceId: string): string {
  return `hub-connector-${connector}-${instanceId}`;
}

/**
 * Connects the transactional producer (which aborts any transaction the previous
 * run of this instance left open), then lets the ledger catch up, then returns
 * a publisher ready to use.
 */
export async function createRecordPublisher(options: RecordPublisherOptions): Promise<RecordPublisher> {
  const { kafka, serde, ledger, connector, instanceId } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const limits = recordLimits(options.limits);
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 64 * 1024) throw new RangeError(`maxMessageBytes must be an integer of at least 65536, got ${maxMessageBytes}`);
  if (ledger.connector !== connector || ledger.instanceId !== instanceId) {
    throw new Error(`ledger of ${ledger.connector}/${ledger.instanceId} given to the publisher of ${connector}/${instanceId}`);
  }
  const logger = options.logger.child({ component: 'publisher', connector, instanceId });
  const transactionalId = transactionalIdOf(connector, instanceId);

  await ensureTopics(kafka, [{ topic: DEAD_LETTER_TOPIC }, LEDGER_TOPIC_SPEC]);
  const producer = createTransactionalProducer({ kafka, logger, transactionalId, transactionTimeoutMs: options.transactionTimeoutMs ?? 30_000 });
  await producer.connect(); // fences the previous run and aborts its open transaction, so the ledger's catch-up is not held back
  try {
    await ledger.start();
  } catch (error) {
    await producer.disconnect();
    throw error;
  }
  logger.info({ transactionalId, batchSize }, 'publisher ready');

  // Registered once per topic; the encoder (the schema fetched once) writes records synchronously.
  const encoderOf = remembered(async (topic: string, name: EventName) => {
    const schemaId = await serde.register(subjectName(topic, eventType(name).fullName), loadSchema(name) as never);
    return { schemaId, encode: await serde.encoder(schemaId) };
  });
  const worker = options.prepareWorker && options.prepareWorker.modules.length > 0 ? PrepareWorker.acquire(options.prepareWorker.modules, logger) : undefined;
  if (worker && !(await worker.ready())) logger.warn('the prepare worker did not start: chunks are prepared in this thread');
  const ensureTopic = remembered((topic: string) => ensureTopics(kafka, [{ topic }]));

  let closed = false;
  /** Parts not committed yet, in call order; the committer takes them from the front. */
  const waiting: Part[] = [];
  let committer: Promise<void> | undefined;
  const budget = new Semaphore(PREPARED_AHEAD * batchSize);

  /** Maps, gives ids and encodes a chunk: nothing that depends on the ledger. */
  async function prepare(mapping: ResourceMapping, natives: readonly NativeRecord[], now: Date, readErrors: ReadonlyMap<number, FieldError[]> | undefined): Promise<PreparedChunk> {
    if (natives.length === 0) return { records: [], rejections: [] };
    const topic = topicFor(mapping.eventType, mapping.department);
    await ensureTopic(topic);
    const { schemaId, encode } = await encoderOf(topic, mapping.eventType);
    const inWorker = await worker?.prepare(mapping, schemaId, natives, now.getTime(), readErrors, limits);
    return inWorker ?? prepareChunk({ mapping, natives, now: now.getTime(), limits, ...(readErrors ? { readErrors } : {}) }, encode, eventType(mapping.eventType).fullName);
  }

  function startCommitter(): void {
    committer ??= (async () => {
      while (waiting.length > 0) {
        await waiting[0]!.ready;
        await commitGroup(takeGroup());
      }
    })().finally(() => {
      committer = undefined;
      if (waiting.length > 0) startCommitter();
    });
  }

  /**
   * The part at the front, with the parts behind it that can share its transaction: prepared
   * already, no file progress or watermark and nothing to wait for (pushes, which answer after
   * the commit anyway), up to `batchSize` records in all. Fewer transactions for the same records.
   */
  function takeGroup(): Part[] {
    const group = [waiting.shift()!];
    const shareable = (part: Part): boolean => part.prepared !== undefined && part.call.failed === undefined && !part.progress.file && !part.progress.watermark && !part.after;
    if (!shareable(group[0]!)) return group;
    let records = group[0]!.natives.length;
    while (waiting.length > 0 && shareable(waiting[0]!) && records + waiting[0]!.natives.length <= batchSize) {
      records += waiting[0]!.natives.length;
      group.push(waiting.shift()!);
    }
    return group;
  }

  /** Commits a group of parts in one transaction; settles each (never throws). */
  async function commitGroup(group: Part[]): Promise<void> {
    const started = performance.now();
    const fail = (part: Part, error: unknown): void => {
      part.call.failed ??= error;
      part.settle({ error });
    };
    try {
      const first = group[0]!;
      if (first.after) {
        try {
          await first.after;
        } catch (error) {
          throw new PrecedingBatchFailedError('not published: the batch before it was not published', { cause: error });
        }
      }
      const topics = new Map<string, OutgoingRecord[]>();
      const deadLetters: OutgoingRecord[] = [];
      const eventIds: string[] = [];
      const rejectionIds: string[] = [];
      const inGroup = new Set<string>();
      const done: Array<{ part: Part; outcome: PublishOutcome; deadLetters: number }> = [];
      for (const part of group) {
        if (part.call.failed !== undefined) {
          fail(part, new PrecedingBatchFailedError('not published: an earlier part of the same call was not published', { cause: part.call.failed }));
          continue;
        }
        if (!part.prepared) {
          fail(part, part.prepareError ?? new Error('the batch was not prepared'));
          continue;
        }
        const built = build(part, part.prepared, inGroup);
        const messages = topics.get(built.topic) ?? [];
        topics.set(built.topic, messages);
        for (const message of built.messages) messages.push(message);
        for (const letter of built.deadLetters) deadLetters.push(letter);
        for (const id of built.eventIds) { eventIds.push(id); inGroup.add(id); }
        for (const id of built.rejectionIds) { rejectionIds.push(id); inGroup.add(id); }
        done.push({ part, outcome: built.outcome, deadLetters: built.deadLetters.length });
      }
      const progress = group.length === 1 ? first.progress : {};
      if (done.length > 0 && (eventIds.length > 0 || rejectionIds.length > 0 || progress.file || progress.watermark)) {
        const entry: LedgerEntry = {
          connector,
          instanceId,
          eventIds,
          rejectionIds,
          ...(progress.file ? { file: progress.file } : {}),
          ...(progress.watermark ? { watermark: progress.watermark } : {}),
        };
        const sent = await producer.commit([
          ...[...topics].map(([topic, messages]) => ({ topic, messages })),
          { topic: DEAD_LETTER_TOPIC, messages: deadLetters },
          { topic: LEDGER_TOPIC, messages: [{ key: connector, value: JSON.stringify(entry) }] },
        ].filter((messages) => messages.messages.length > 0));
        const ledgerMessage = sent.find((metadata) => metadata.topicName === LEDGER_TOPIC);
        ledger.recordCommitted(entry, ledgerMessage?.baseOffset === undefined ? undefined : { partition: ledgerMessage.partition, offset: ledgerMessage.baseOffset });
      } // else nothing new and no progress to record: no transaction
      for (const { part, outcome, deadLetters: letters } of done) {
        options.onPublished?.({ mapping: part.mapping, source: part.source, outcome, deadLetters: letters, durationMs: performance.now() - started });
        part.settle({ outcome });
      }
    } catch (error) {
      if (error instanceof ProducerFencedError) logger.error({ err: error }, 'producer fenced: the batch is not published; another process may run with this connector and instance id');
      for (const part of group) fail(part, error);
    } finally {
      for (const part of group) part.release();
    }
  }

  /** De-duplicates a prepared part against the ledger (which holds every batch committed before) and what its group publishes before it. */
  function build(part: Part, prepared: PreparedChunk, inGroup: ReadonlySet<string>) {
    const { mapping, natives, source, now } = part;
    const ids = idsOf(prepared.records, prepared.rejections);
    const known = ledger.known(ids);
    for (const id of ids) if (inGroup.has(id)) known.add(id);
    const plan = planBatch(prepared.records, prepared.rejections, known);
    const typeName = eventType(mapping.eventType).fullName;
    const ceSource = `/departments/${mapping.department}/${source.kind}`;

    // A record the mapping produced but Avro refused is a mapping bug: dead-letter it, say so.
    const messages: OutgoingRecord[] = [];
    const published: PreparedRecord[] = [];
    const encodingRejections: RejectedRecord[] = [];
    for (const record of plan.records) {
      if (!record.value) {
        const reason = record.encodingError?.reason ?? 'the mapped record was not encoded';
        const id = record.encodingError?.id ?? record.eventId;
        encodingRejections.push({ id, naturalKey: record.naturalKey, index: record.index, errors: [{ field: '(record)', reason }], original: natives[record.index] ?? {} });
        continue;
      }
      const message: OutgoingRecord = {
        key: record.naturalKey,
        value: record.value,
        headers: cloudEventHeaders({
          id: record.eventId,
          type: typeName,
          source: ceSource,
          time: record.time === undefined ? now : new Date(record.time),
          subject: record.naturalKey,
        }),
      };
      const bytes = recordBytes(message);
      if (bytes > maxMessageBytes) {
        const reason = `the published record would be ${bytes} bytes, more than the ${maxMessageBytes} a Kafka message may hold`;
        encodingRejections.push({ id: rejectionId(mapping.department, mapping.resource, record.naturalKey, natives[record.index] ?? {}), naturalKey: record.naturalKey, index: record.index, errors: [{ field: '(record)', reason }], original: natives[record.index] ?? {} });
        continue;
      }
      messages.push(message);
      published.push(record);
    }
    const rejectedNow = [...plan.rejections.map((r) => ({ ...r, original: natives[r.index] ?? {} })), ...encodingRejections];
    const deadLetters = rejectedNow.map((rejection) =>
      deadLetterMessage(
        rejection.id,
        deadLetterOf(rejection, { connector, department: mapping.department, resource: mapping.resource, source, receivedAt: now }),
        rejection.naturalKey,
      ),
    );
    const outcome: PublishOutcome = {
      accepted: published.length,
      duplicates: plan.outcome.duplicates,
      rejected: encodingRejections.length === 0
        ? plan.outcome.rejected
        : [...plan.outcome.rejected, ...encodingRejections.flatMap((r) => r.errors.map((e) => ({ index: r.index, ...e })))].sort((x, y) => x.index - y.index),
    };
    return {
      topic: topicFor(mapping.eventType, mapping.department),
      messages,
      deadLetters,
      eventIds: published.map((r) => r.eventId),
      rejectionIds: rejectedNow.map((r) => r.id),
      outcome,
    };
  }

  return {
    connector,
    instanceId,
    batchSize,
    get healthy() {
      return ledger.healthy && Date.now() - (producer.fencedAt ?? 0) > 60_000;
    },
    publish(mapping, natives, source, now, publishOptions = {}) {
      if (closed) return Promise.reject(new Error('publisher is closed'));
      const call: CallState = {};
      const pieces = natives.length === 0 ? [{ start: 0, items: [] as NativeRecord[] }] : chunks(natives, batchSize);
      const results = pieces.map((piece, n) => new Promise<PublishOutcome>((resolve, reject) => {
        const last = n === pieces.length - 1;
        const readErrors = publishOptions.readErrors && shiftedErrors(publishOptions.readErrors, piece.start, piece.items.length);
        // Prepared as soon as the budget allows (in call order), ahead of the transactions before it.
        const weight = Math.max(1, piece.items.length);
        const reserved = budget.acquire(weight);
        const part: Part = {
          mapping,
          natives: piece.items,
          source: { ...source, firstRow: (source.firstRow ?? 1) + piece.start },
          now,
          progress: last ? { ...(publishOptions.file ? { file: publishOptions.file } : {}), ...(publishOptions.watermark ? { watermark: publishOptions.watermark } : {}) } : {},
          ...(n === 0 && publishOptions.after ? { after: publishOptions.after } : {}),
          call,
          ready: Promise.resolve(),
          settle: (result) => {
            if ('outcome' in result) resolve({ ...result.outcome, rejected: result.outcome.rejected.map((r) => ({ ...r, index: r.index + piece.start })) });
            else reject(result.error);
          },
          release: once(() => { void reserved.then(() => budget.release(weight)); }),
        };
        part.ready = reserved
          .then(() => prepare(mapping, piece.items, now, readErrors))
          .then((prepared) => { part.prepared = prepared; }, (error: unknown) => { part.prepareError = error; });
        waiting.push(part);
      }));
      startCommitter();
      return Promise.all(results).then(mergeOutcomes);
    },
    async close() {
      closed = true;
      while (committer) await committer;
      await worker?.release();
      await producer.disconnect();
    },
  };
}

/** What one publish call's parts share: the first failure, after which its later parts are not published. */
interface CallState {
  failed?: unknown;
}

/** A chunk of one publish call on its way: prepared ahead, then committed (alone or with others) in order. */
interface Part {
  mapping: ResourceMapping;
  natives: readonly NativeRecord[];
  /** With the row number of the part's first record. */
  source: RecordSource;
  now: Date;
  /** The call's file progress or watermark, on its last part. */
  progress: Pick<PublishOptions, 'file' | 'watermark'>;
  /** The call's `after`, on its first part. */
  after?: Promise<unknown>;
  call: CallState;
  /** Settles when the part is prepared (or its preparation failed). */
  ready: Promise<void>;
  prepared?: PreparedChunk;
  prepareError?: unknown;
  settle(result: { outcome: PublishOutcome } | { error: unknown }): void;
  release(): void;
}

function shiftedErrors(errors: ReadonlyMap<number, FieldError[]>, start: number, length: number): Map<number, FieldError[]> | undefined {
  const shifted = new Map<number, FieldError[]>();
  for (const [index, fieldErrors] of errors) if (index >= start && index < start + length) shifted.set(index - start, fieldErrors);
  return shifted.size > 0 ? shifted : undefined;
}

function once(action: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    action();
  };
}
