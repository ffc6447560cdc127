import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import { cloudEventHeaders, ensureTopics, type AvroSerde, type Logger } from '@hub/runtime';
import { eventType, loadSchema, subjectName, topicFor, type EventName } from '@hub/schemas';
import { DEAD_LETTER_TOPIC, deadLetterMessage, deadLetterOf, type RecordSource, type RejectedRecord } from '../dead-letter.ts';
import { rejectionId } from '../event-id.ts';
import type { ConnectorLedger } from '../ledger/ledger.ts';
import { LEDGER_TOPIC, type FileProgress, type LedgerEntry, type Watermark } from '../ledger/entry.ts';
import { LEDGER_TOPIC_SPEC } from '../ledger/ledger.ts';
import type { FieldError, NativeRecord, ResourceMapping } from '../mapping.ts';
import { chunks, idsOf, mapBatch, mergeOutcomes, planBatch, type MappedRecord, type PublishOutcome } from './plan.ts';

export const DEFAULT_BATCH_SIZE = 1_000;
/** Bytes per produce request inside a transaction: each partition's record batch stays well under the broker's 1 MB limit. */
const BYTES_PER_SEND = 512 * 1024;

export interface PublishOptions {
  /** Drop-folder progress to commit with the batch (in the same transaction). */
  file?: FileProgress;
  /** Database watermark to commit with the batch (in the same transaction). */
  watermark?: Watermark;
  /** Records of the batch that could not be read at all (e.g. a malformed JSON line), by index. */
  readErrors?: ReadonlyMap<number, FieldError[]>;
}

export interface RecordPublisher {
  /**
   * Maps, validates, de-duplicates and publishes a batch of native records of one
   * resource: the new records on `records.<dept>.<resource>`, the rejected ones
   * on `dlq.connectors`, and one ledger entry, in one Kafka transaction per at
   * most `batchSize` records. Resolves after the commit (acks=all), so a caller
   * that answers "accepted" after it has the records safely in Kafka. Calls are
   * serialised (one transaction at a time per producer).
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
  onPublished?: (report: PublishReport) => void;
}

/** `hub-connector-<connector>-<instanceId>`. */
export function transactionalIdOf(connector: string, instanceId: string): string {
  return `hub-connector-${connector}-${instanceId}`;
}

export class PublisherFencedError extends Error {
  override name = 'PublisherFencedError';
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
  if (ledger.connector !== connector || ledger.instanceId !== instanceId) {
    throw new Error(`ledger of ${ledger.connector}/${ledger.instanceId} given to the publisher of ${connector}/${instanceId}`);
  }
  const logger = options.logger.child({ component: 'publisher', connector, instanceId });
  const transactionalId = transactionalIdOf(connector, instanceId);

  await ensureTopics(kafka, [{ topic: DEAD_LETTER_TOPIC }, LEDGER_TOPIC_SPEC]);
  const newProducer = async (): Promise<Producer> => {
    const p = kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: options.transactionTimeoutMs ?? 30_000,
      allowAutoTopicCreation: false,
    });
    await p.connect(); // InitProducerId: fences the previous run and aborts its open transaction
    return p;
  };
  let producer: Producer | undefined = await newProducer();
  let needsNewProducer = false;
  let lastFencedAt = 0;
  try {
    await ledger.start();
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    throw error;
  }
  logger.info({ transactionalId, batchSize }, 'publisher ready');

  const schemaIds = new Map<EventName, Promise<number>>();
  const schemaIdOf = (name: EventName, topic: string): Promise<number> => {
    let id = schemaIds.get(name);
    if (!id) {
      id = serde.register(subjectName(topic, eventType(name).fullName), loadSchema(name) as never);
      id.catch(() => schemaIds.delete(name)); // the registry may be back next time
      schemaIds.set(name, id);
    }
    return id;
  };
  const ensuredTopics = new Map<string, Promise<unknown>>();
  const ensureTopic = (topic: string): Promise<unknown> => {
    let done = ensuredTopics.get(topic);
    if (!done) {
      done = ensureTopics(kafka, [{ topic }]);
      done.catch(() => ensuredTopics.delete(topic));
      ensuredTopics.set(topic, done);
    }
    return done;
  };

  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function publishChunk(
    mapping: ResourceMapping,
    natives: readonly NativeRecord[],
    source: RecordSource,
    now: Date,
    progress: PublishOptions,
  ): Promise<PublishOutcome> {
    const started = performance.now();
    const { mapped, rejections } = mapBatch(mapping, natives, { now, department: mapping.department }, progress.readErrors);
    const plan = planBatch(mapped, rejections, ledger.known(idsOf(mapped, rejections)));
    const type = eventType(mapping.eventType);
    const topic = topicFor(mapping.eventType, mapping.department);

    // Encode; a record the mapping produced but Avro refuses is a mapping bug: dead-letter it, say so.
    const messages: Message[] = [];
    const published: MappedRecord[] = [];
    const encodingRejections: RejectedRecord[] = [];
    if (plan.records.length > 0) {
      await ensureTopic(topic);
      const schemaId = await schemaIdOf(mapping.eventType, topic);
      for (const mappedRecord of plan.records) {
        let value: Buffer;
        try {
          value = await serde.encode(schemaId, mappedRecord.record);
        } catch (error) {
          const native = natives[mappedRecord.index] ?? {};
          encodingRejections.push({
            id: rejectionId(mapping.department, mapping.resource, mappedRecord.naturalKey, native),
            naturalKey: mappedRecord.naturalKey,
            index: mappedRecord.index,
            errors: [{ field: '(record)', reason: `the mapped record does not fit the Avro schema ${type.fullName} (a mapping defect, not the sender's): ${encodingReason(error)}` }],
            original: native,
          });
          continue;
        }
        const occurredAt = mappedRecord.record.occurredAt;
        messages.push({
          key: mappedRecord.naturalKey,
          value,
          headers: cloudEventHeaders({
            id: mappedRecord.eventId,
            type: type.fullName,
            source: `/departments/${mapping.department}/${source.kind}`,
            time: occurredAt instanceof Date && !Number.isNaN(occurredAt.getTime()) ? occurredAt : now,
            subject: mappedRecord.naturalKey,
          }),
        });
        published.push(mappedRecord);
      }
    }
    const deadLetters = [...plan.rejections, ...encodingRejections].map((rejection) =>
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
        : [...plan.outcome.rejected, ...encodingRejections.flatMap((r) => r.errors.map((e) => ({ index: r.index, ...e })))].sort((a, b) => a.index - b.index),
    };

    const entry: LedgerEntry = {
      connector,
      instanceId,
      eventIds: published.map((r) => r.eventId),
      rejectionIds: [...plan.rejections, ...encodingRejections].map((r) => r.id),
      ...(progress.file ? { file: progress.file } : {}),
      ...(progress.watermark ? { watermark: progress.watermark } : {}),
    };
    if (messages.length === 0 && deadLetters.length === 0 && !progress.file && !progress.watermark) {
      return outcome; // nothing new and no progress to record: no transaction
    }
    await inTransaction([
      { topic, messages },
      { topic: DEAD_LETTER_TOPIC, messages: deadLetters },
      { topic: LEDGER_TOPIC, messages: [{ key: connector, value: JSON.stringify(entry) }] },
    ].filter((group) => group.messages.length > 0));
    ledger.recordCommitted(entry);
    options.onPublished?.({ mapping, source, outcome, deadLetters: deadLetters.length, durationMs: performance.now() - started });
    return outcome;
  }

  async function inTransaction(topicMessages: TopicMessages[]): Promise<void> {
    if (needsNewProducer || !producer) {
      await producer?.disconnect().catch(() => undefined);
      producer = undefined;
      producer = await newProducer();
      needsNewProducer = false;
    }
    const transaction = await producer.transaction();
    try {
      // Few produce requests (one for a typical batch), each small enough for the broker's limits.
      for (const request of packRequests(topicMessages, BYTES_PER_SEND)) await transaction.sendBatch({ topicMessages: request, acks: -1 });
      await transaction.commit();
    } catch (error) {
      if (isFencing(error)) {
        // Either the broker aborted a transaction that outlived its timeout, or another process
        // runs with this instance id (a deployment error). A new producer (new epoch) goes on.
        lastFencedAt = Date.now();
        needsNewProducer = true;
        logger.error({ err: error }, 'producer fenced: the batch is not published; another process may run with this connector and instance id');
        throw new PublisherFencedError(`producer ${transactionalId} was fenced`, { cause: error });
      }
      try {
        await transaction.abort();
      } catch (abortError) {
        logger.warn({ err: abortError }, 'abort failed; a new producer will be made for the next batch');
        needsNewProducer = true;
      }
      throw error;
    }
  }

  return {
    connector,
    instanceId,
    batchSize,
    get healthy() {
      return ledger.healthy && Date.now() - lastFencedAt > 60_000;
    },
    publish(mapping, natives, source, now, publishOptions = {}) {
      if (closed) return Promise.reject(new Error('publisher is closed'));
      const parts = natives.length === 0 ? [{ start: 0, items: [] as NativeRecord[] }] : chunks(natives, batchSize);
      const run = async (): Promise<PublishOutcome> => {
        const outcomes: PublishOutcome[] = [];
        for (const [n, part] of parts.entries()) {
          const last = n === parts.length - 1;
          const readErrors = publishOptions.readErrors && shiftedErrors(publishOptions.readErrors, part.start, part.items.length);
          const chunkOptions: PublishOptions = {
            ...(last && publishOptions.file ? { file: publishOptions.file } : {}),
            ...(last && publishOptions.watermark ? { watermark: publishOptions.watermark } : {}),
            ...(readErrors ? { readErrors } : {}),
          };
          const chunkSource: RecordSource = { ...source, firstRow: (source.firstRow ?? 1) + part.start };
          const outcome = await publishChunk(mapping, part.items, chunkSource, now, chunkOptions);
          outcomes.push({ ...outcome, rejected: outcome.rejected.map((r) => ({ ...r, index: r.index + part.start })) });
        }
        return mergeOutcomes(outcomes);
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      closed = true;
      await queue;
      await producer?.disconnect();
      producer = undefined;
    },
  };
}

/**
 * Groups topic messages into produce requests of at most `limitBytes` (keys,
 * values and headers counted), keeping their order: one request for a typical
 * batch, and no record batch near the broker's 1 MB limit however large the records.
 */
export function packRequests(groups: readonly TopicMessages[], limitBytes: number): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let size = 0;
  for (const group of groups) {
    let open: TopicMessages | undefined;
    for (const message of group.messages) {
      const bytes = messageBytes(message);
      if (size > 0 && size + bytes > limitBytes) {
        requests.push(current);
        current = [];
        size = 0;
        open = undefined;
      }
      if (!open) {
        open = { topic: group.topic, messages: [] };
        current.push(open);
      }
      open.messages.push(message);
      size += bytes;
    }
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

function messageBytes(message: Message): number {
  const length = (value: Message['key'] | undefined): number => (value === null || value === undefined ? 0 : typeof value === 'string' ? Buffer.byteLength(value) : value.length);
  let bytes = 70 + length(message.key) + length(message.value); // record overhead
  for (const [name, value] of Object.entries(message.headers ?? {})) bytes += name.length + (Array.isArray(value) ? value.reduce((n, v) => n + length(v), 0) : length(value as Buffer | string | undefined));
  return bytes;
}

function shiftedErrors(errors: ReadonlyMap<number, FieldError[]>, start: number, length: number): Map<number, FieldError[]> | undefined {
  const shifted = new Map<number, FieldError[]>();
  for (const [index, fieldErrors] of errors) if (index >= start && index < start + length) shifted.set(index - start, fieldErrors);
  return shifted.size > 0 ? shifted : undefined;
}

function isFencing(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message} ${(error as { type?: string }).type ?? ''}` : String(error);
  return /fenced|INVALID_PRODUCER_EPOCH|PRODUCER_FENCED/i.test(text);
}

function encodingReason(error: unknown): string {
  const paths = (error as { paths?: string[][] } | undefined)?.paths;
  if (Array.isArray(paths) && paths.length > 0) return `invalid value at ${paths.map((p) => p.join('.')).join(', ')}`;
  return error instanceof Error ? error.message : String(error);
}
