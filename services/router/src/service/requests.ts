import { randomFillSync } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { CatalogueResource } from '@hub/catalogue-client';
import { headerText, type AvroSerde, type ConsumedRecord, type EventCodec, type Kafka, type Logger, type OutgoingRecord, type ReadEvent, type RecordSender, type TopicRecords } from '@hub/runtime';
import { eventType, eventTypes, isDepartmentCode, loadSchema, subjectName, topicFor, type AvroTypeJson, type DeliveryEnvelope, type EventName, type RecordEventType } from '@hub/schemas';
import type { AgreementState } from '../agreements/events.ts';
import type { SharedResource } from '../exchange/access.ts';
import { answerOf, decideQuestion, decideResponse, isOverdue, timeoutAnswer } from '../requests/decide.ts';
import { monitoringOf, requestedEvent, requestedEventId, respondedEvent, respondedEventId, statusOfOutcome, type TimedOut } from '../requests/events.ts';
import type { DataQuestion, DataRequest, QuestionDecision, RecordData, RequestAnswer } from '../requests/question.ts';
import { questionProblems, recordKeyOf, resourceShape, type FieldProblem, type ResourceShape } from '../requests/shape.ts';
import { TopicPositions, type RouterDatabase } from '../store/database.ts';
import { createFollower, type Follower } from '../store/follower.ts';
import type { RecordStore } from '../store/record-store.ts';
import { RequestStore, type HeldRequest } from '../store/request-store.ts';
import { asDeliveryAgreement, recordTopics } from './deliveries.ts';

export interface DataRequestsOptions {
  kafka: Kafka;
  events: EventCodec;
  /** Decodes the stored records (the service's registry serde). */
  serde: Pick<AvroSerde, 'decode'>;
  /** The service's idempotent producer (acks=all): every question's events are written before it is answered. */
  sender: RecordSender;
  logger: Logger;
  /** The router's file: the requests table and the positions of exchange.requests and exchange.responses. */
  db: RouterDatabase;
  store: RecordStore;
  /** The sharing agreements as the router's state holds them now. */
  agreements: () => Iterable<AgreementState>;
  /** The catalogue as the router last read it (the deliveries' own). */
  catalogue: () => Promise<ReadonlyMap<string, SharedResource>>;
  /** The catalog, for the schema of a resource whose records do not come through the hub. */
  registryUrl: string;
  /** How long the owner's system has to answer a forwarded question. */
  deadlineMs: number;
  /** This router (its events' source): it times out the requests it forwarded. */
  instanceId: string;
  /** How long a request is kept for GET. */
  keptMs: number;
  /** Under load, how long a round of writes waits for more questions (ROUTER_REQUEST_LINGER_MS; default 0). */
  lingerMs?: number;
  now?: () => Date;
  newRequestId?: () => string;
}

export type AskOutcome = { ok: true; answer: RequestAnswer } | { ok: false; problems: FieldProblem[] };

export type RespondOutcome =
  | { ok: true; requestId: string; status: RequestAnswer['status'] }
  | { ok: false; error: 'unknown' | 'not-owner' | 'answered' | 'invalid'; message: string; problems?: FieldProblem[] };

/** A request as its parties read it (GET). */
export interface RequestView extends Omit<RequestAnswer, 'status'> {
  readonly status: DataRequest['status'];
  readonly requester: string;
  readonly owner: string;
  readonly resource: string;
  readonly askedAt: string;
  readonly answeredAt?: string;
}

export interface DataRequests {
  /** A department's question: answered from the record store, refused, or forwarded and held until the owner answers or the deadline passes. */
  ask(question: { requester: string; resource: string; key: Record<string, string>; purpose: string; verify?: Record<string, string> | undefined }, requestSize: number): Promise<AskOutcome>;
  /** The owner's system answers a forwarded question. */
  respond(requestId: string, response: { responder: string; status: 'answered' | 'not-found'; record?: Record<string, unknown> | undefined; reason?: string | undefined }, requestSize: number): Promise<RespondOutcome>;
  /** A request, for its requester or its owner; undefined for anyone else, and for a request not known. */
  view(requestId: string, department: string): RequestView | undefined;
  /** Reads exchange.requests and exchange.responses from where the file left off, then follows them. */
  start(): Promise<void>;
  readonly ready: boolean;
  problems(): string[];
  stop(): Promise<void>;
}

/** The record resources the hub streams, by resource code: their topic, schema and key. */
const streamed = new Map<string, RecordEventType>(
  eventTypes.flatMap((t) => (t.area === 'records' && recordTopics().includes(t.topic) ? [[t.catalogue.resourceCode, t] as const] : [])),
);

const SOURCE_PREFIX = '/hub/router/';

/**
 * Data requests (数据共享申请) on the router: each question is decided by the
 * pure core (`src/requests/`) on the router's state (agreements), the shared
 * catalogue and the record store, and its events (ExchangeRequested,
 * ExchangeResponded, ExchangeMonitoring, and the owner's delivery of a
 * refusal or a forward) are written with the idempotent producer, acks=all,
 * before the answer. Concurrent questions' writes go out together, one round
 * trip for all. Requests live in the router's file, rebuilt from
 * exchange.requests and exchange.responses, so an owner's late answer and
 * GET work across restarts.
 */
export function createDataRequests(options: DataRequestsOptions): DataRequests {
  const { events, serde, store } = options;
  const logger = options.logger.child({ component: 'data-requests' });
  const now = options.now ?? (() => new Date());
  const newRequestId = options.newRequestId ?? (() => requestIdAt(Date.now()));
  const requests = new RequestStore(options.db);
  const source = `${SOURCE_PREFIX}${options.instanceId}`;
  // After each round is written, what its questions file is filed in one SQLite transaction.
  const fileRound = options.db.transaction((filings: ReadonlyArray<() => void>) => {
    for (const file of filings) file();
  });
  const writer = batchedWriter(options.sender, (filings) => fileRound(filings), options.lingerMs ?? 0);
  /** Forwarded questions this router holds open, by request id: settled by the owner's answer or the timeout. */
  const waiting = new Map<string, { resolve: (answer: RequestAnswer) => void; reject: (error: Error) => void }>();
  /** Requests being answered here right now (a second answer meanwhile is a conflict). */
  const claimed = new Set<string>();
  let ready = false;
  let stopped = false;

  const follower: Follower = createFollower<ReadEvent[]>({
    kafka: options.kafka,
    logger,
    topics: [topicFor('ExchangeRequested'), topicFor('ExchangeResponded')],
    groupPrefix: 'hub-router-requests',
    // Mostly this router's own events, filed already: read in batches of up to a tenth of a second rather than one by one.
    maxWaitTimeInMs: 100,
    minBytes: 256 * 1024,
    positions: new TopicPositions(options.db),
    prepare: async (_topic, _partition, records) => decodeUnknown(records),
    apply(_topic, _partition, read) {
      for (const event of read) {
        if (event.type === 'ExchangeRequested') {
          const data = event.data;
          if (data.kind !== 'QUESTION') continue;
          const askedBy = event.metadata.source.startsWith(SOURCE_PREFIX) ? event.metadata.source.slice(SOURCE_PREFIX.length) : null;
          requests.asked({
            requestId: data.requestId, requester: data.requester, owner: data.owner, resourceCode: data.resourceCode, askedAt: data.occurredAt,
            deadline: data.deadline, agreementId: data.agreementId, recordKey: Object.values(data.query).join(':'), verifyFields: data.verifyFields, askedBy,
          });
        } else if (event.type === 'ExchangeResponded') {
          const status = statusOfOutcome(event.data.outcome);
          if (status === undefined) continue;
          const answer = answerOfEvent(event.data, status);
          // Answered by another router (or read again into a new file): the first answer stands, and a call held here gets it.
          if (requests.answered(answer, event.data.occurredAt, 'from-log')) waiting.get(answer.requestId)?.resolve(answer);
        }
      }
    },
    // Requests and answers are kept in the requests table, not beside the records: nothing to forget.
    forget: () => {},
  });

  /** The records of a batch that the file does not have yet (most are this router's own, filed when written): decoded. */
  async function decodeUnknown(records: ConsumedRecord[]): Promise<ReadEvent[]> {
    const out: ReadEvent[] = [];
    for (const record of records) {
      // Live, this router's own events are in the file already (filed once written); a file read anew takes them all.
      if (follower.caughtUp && headerText(record.headers, 'ce_source') === source) continue;
      const requestId = record.key?.toString();
      const known = requestId === undefined ? undefined : requests.known(requestId);
      const isAnswer = record.topic === topicFor('ExchangeResponded');
      if (known && (isAnswer ? known.status !== 'pending' : known.asked)) continue;
      if (headerText(record.headers, 'ce_type') === undefined) continue;
      try {
        out.push(await events.fromRecord(record));
      } catch (error) {
        logger.warn({ err: error, topic: record.topic, offset: record.offset }, 'a record that is not a hub event; skipped');
      }
    }
    return out;
  }

  // ── the resource a question names ──────────────────────────────────────────

  const shapes = new Map<string, Promise<ResourceShape>>();

  /** What a question of this resource may name: from the hub's own schema (streamed), or the catalog's (registered without a connector). */
  function shapeOf(code: string, resource: SharedResource): Promise<ResourceShape> {
    const type = streamed.get(code);
    if (type) {
      const key = `streamed:${code}`;
      let shape = shapes.get(key);
      if (!shape) shapes.set(key, (shape = Promise.resolve(resourceShape(code, loadSchema(type.name as EventName), type.keyFields))));
      return shape;
    }
    if (!Value.Check(CatalogueResource, resource)) return Promise.reject(new Error(`the catalogue entry of ${code} does not name its subject and version`));
    const key = `${resource.subject}@${resource.version}`;
    let shape = shapes.get(key);
    if (!shape) {
      shape = registeredShape(code, resource.subject, resource.version);
      shapes.set(key, shape);
      shape.catch(() => shapes.delete(key));
    }
    return shape;
  }

  async function registeredShape(code: string, subject: string, version: number): Promise<ResourceShape> {
    const url = new URL(`/subjects/${encodeURIComponent(subject)}/versions/${version}`, options.registryUrl);
    const response = await fetch(url, { headers: { accept: 'application/vnd.schemaregistry.v1+json' } });
    if (!response.ok) throw new Error(`the catalog answered ${response.status} for ${subject} version ${version}`);
    const body = (await response.json()) as { schema?: unknown; metadata?: { properties?: Record<string, unknown> } };
    if (typeof body.schema !== 'string') throw new Error(`the catalog gave no schema for ${subject} version ${version}`);
    const keyFields = body.metadata?.properties?.keyFields;
    const keys = typeof keyFields === 'string' && keyFields.trim() !== '' ? keyFields.split(',').map((field) => field.trim()).filter(Boolean) : null;
    return resourceShape(code, JSON.parse(body.schema) as AvroTypeJson, keys);
  }

  /** The requester's agreements on the resource, the granted ones first, the latest grant first. */
  function agreementsOf(requester: string, resourceCode: string) {
    const mine: AgreementState[] = [];
    for (const agreement of options.agreements()) if (agreement.subscriber === requester && agreement.resourceCode === resourceCode) mine.push(agreement);
    const rank = (a: AgreementState) => (a.status === 'granted' ? (a.grant?.grantedAt.getTime() ?? 0) : -1);
    return mine.sort((a, b) => rank(b) - rank(a));
  }

  // ── writing ────────────────────────────────────────────────────────────────

  type Write = { topic: string; record: OutgoingRecord };

  async function encoded(type: 'ExchangeRequested' | 'ExchangeResponded' | 'ExchangeMonitoring', data: unknown, requestId: string): Promise<Write> {
    return events.toRecord({ type, data, metadata: { source, correlationId: requestId } } as never);
  }

  /** The owner's `deliveries.<owner>` envelope of a request event (a forward, or a refusal it is told of). */
  async function ownerNotice(owner: string, requestId: string, written: Write, sourceEventId: string, resourceCode: string, at: Date): Promise<Write | undefined> {
    if (!isDepartmentCode(owner)) return undefined;
    const value = written.record.value as Buffer;
    const deliveryId = `${sourceEventId}>${owner}`;
    const envelope: DeliveryEnvelope = {
      eventId: deliveryId,
      occurredAt: at,
      deliveryId,
      recipient: owner,
      agreementId: null,
      requestId,
      resourceCode,
      sourceTopic: written.topic,
      sourceEventId,
      payloadSubject: subjectName(written.topic, eventType(written.topic === topicFor('ExchangeRequested') ? 'ExchangeRequested' : 'ExchangeResponded').fullName),
      payloadSchemaId: value.readInt32BE(1),
      payload: value.subarray(5),
      maskedFields: [],
      correlationId: requestId,
    };
    return events.toRecord({ type: 'DeliveryEnvelope', data: envelope, metadata: { source, department: owner, correlationId: requestId } });
  }

  // ── questions ──────────────────────────────────────────────────────────────

  async function ask(body: Parameters<DataRequests['ask']>[0], requestSize: number): Promise<AskOutcome> {
    const at = now();
    const catalogue = await options.catalogue();
    const resource = catalogue.get(body.resource);
    if (!resource) return { ok: false, problems: [{ field: 'resource', message: `the catalogue has no resource ${body.resource}` }] };
    const shape = await shapeOf(body.resource, resource);
    const problems = questionProblems(shape, body.key, body.verify);
    if (problems.length > 0) return { ok: false, problems };

    const question: DataQuestion = { requestId: newRequestId(), requester: body.requester, resourceCode: body.resource, key: body.key, purpose: body.purpose, ...(body.verify === undefined ? {} : { verify: body.verify }), at };
    const recordKey = recordKeyOf(shape, body.key);
    const type = streamed.get(body.resource);
    const record = type ? await latestRecord(type.topic, recordKey) : 'not-streamed';
    const states = agreementsOf(body.requester, body.resource);
    const decision = decideQuestion({ question, resource, agreements: states.map(asDeliveryAgreement), record, deadlineMs: options.deadlineMs });
    const owner = resource.owner ?? '';
    const agreementId = decision.data.agreementId;
    const legalBasis = states.find((s) => s.agreementId === agreementId)?.legalBasis ?? null;
    const deadline = decision.type === 'Forwarded' ? decision.data.deadline : null;
    const request = { requestId: question.requestId, requester: body.requester, owner, resourceCode: body.resource, recordKey };
    const asked = { ...request, askedAt: at, deadline, agreementId, verifyFields: body.verify === undefined ? null : Object.keys(body.verify), askedBy: options.instanceId };

    const requested = await encoded('ExchangeRequested', requestedEvent(question, { owner, agreementId, legalBasis, deadline }), question.requestId);
    if (decision.type === 'Forwarded') {
      const notice = await ownerNotice(owner, question.requestId, requested, requestedEventId(question.requestId), body.resource, at);
      if (!notice) throw new Error(`${body.resource} has no owner department to forward the question to`);
      const monitoring = await encoded('ExchangeMonitoring', monitoringOf(decision, { request, step: 'forward', fromOwner: false, requestInAt: at, responseOutAt: now(), requestSize, responseSize: notice.record.value!.length }), question.requestId);
      const answered = new Promise<RequestAnswer>((resolve, reject) => waiting.set(question.requestId, { resolve, reject }));
      try {
        await writer.write([requested, notice, monitoring], () => requests.asked(asked, body.verify ?? null));
      } catch (error) {
        waiting.delete(question.requestId);
        throw error;
      }
      armTimeouts(deadline!);
      let stuck: NodeJS.Timeout | undefined;
      try {
        // The sweep answers `timeout` at the deadline; should it fail to write that for long (Kafka gone), the call fails.
        const unanswerable = new Promise<never>((_, reject) => {
          stuck = setTimeout(() => reject(new Error(`request ${question.requestId}: its timeout could not be written`)), options.deadlineMs + 30_000);
        });
        return { ok: true, answer: await Promise.race([answered, unanswerable]) };
      } finally {
        clearTimeout(stuck);
        waiting.delete(question.requestId);
      }
    }

    const answer = answerOf(question.requestId, decision);
    const answeredAt = now();
    const responded = await encoded('ExchangeResponded', respondedEvent(question.requestId, decision, { owner, at: answeredAt }), question.requestId);
    const answerJson = JSON.stringify(answer);
    const responseSize = Buffer.byteLength(answerJson);
    const monitoring = await encoded('ExchangeMonitoring', monitoringOf(decision, { request, step: 'answer', fromOwner: false, requestInAt: at, responseOutAt: answeredAt, requestSize, responseSize }), question.requestId);
    const writes = [requested, responded, monitoring];
    // The owner is told of a refusal (not of its own question).
    if (decision.type === 'Refused' && decision.data.reason !== 'own-resource') {
      const notice = await ownerNotice(owner, question.requestId, responded, respondedEventId(question.requestId), body.resource, answeredAt);
      if (notice) writes.push(notice);
    }
    await writer.write(writes, () => requests.answeredAtOnce(asked, answer, answeredAt, answerJson));
    return { ok: true, answer };
  }

  async function latestRecord(topic: string, key: string): Promise<RecordData | undefined> {
    const stored = store.latest(topic, key);
    if (!stored) return undefined;
    return serde.decode<RecordData>(stored.value);
  }

  // ── the owner's answers and the timeouts ─────────────────────────────────

  async function respond(requestId: string, body: Parameters<DataRequests['respond']>[1], requestSize: number): Promise<RespondOutcome> {
    const at = now();
    const request = requests.get(requestId);
    if (!request || request.requester === '') return { ok: false, error: 'unknown', message: `no data request ${requestId} is known` };
    if (claimed.has(requestId)) return { ok: false, error: 'answered', message: `request ${requestId} is being answered` };
    const catalogue = await options.catalogue();
    const resource = catalogue.get(request.resourceCode);
    if (!resource) return { ok: false, error: 'answered', message: `${request.resourceCode} is no longer in the catalogue` };
    const shape = await shapeOf(request.resourceCode, resource);
    const decided = decideResponse({
      request,
      response: { responder: body.responder, status: body.status, ...(body.record === undefined ? {} : { record: body.record }), ...(body.reason === undefined ? {} : { reason: body.reason }), at },
      resource,
      shape,
      agreements: agreementsOf(request.requester, request.resourceCode).map(asDeliveryAgreement),
      verify: request.verifyValues,
    });
    if (!decided.ok) {
      const { refusal } = decided;
      switch (refusal.type) {
        case 'NotOwner':
          return { ok: false, error: 'not-owner', message: refusal.data.message };
        case 'AlreadyAnswered':
        case 'NotForwarded':
          return { ok: false, error: 'answered', message: refusal.data.message };
        case 'Overdue':
          await timeOut(request).catch((error: unknown) => logger.warn({ err: error, requestId }, 'the timeout was not written; the next sweep writes it'));
          return { ok: false, error: 'answered', message: refusal.data.message };
        case 'InvalidResponse':
          return { ok: false, error: 'invalid', message: `the answer to request ${requestId} is not valid`, problems: refusal.data.problems };
        default: {
          const _exhaustive: never = refusal;
          throw new Error(`unknown refusal ${JSON.stringify(_exhaustive)}`);
        }
      }
    }
    const answer = answerOf(requestId, decided.decision);
    await finish(request, decided.decision, answer, { fromOwner: true, requestSize });
    return { ok: true, requestId, status: answer.status };
  }

  /** Writes a forwarded request's answer (the owner's, or its timeout) once, files it, and hands it to the call held here. */
  async function finish(request: HeldRequest, decision: Exclude<QuestionDecision, { type: 'Forwarded' }> | TimedOut, answer: RequestAnswer, context: { fromOwner: boolean; requestSize: number }): Promise<void> {
    claimed.add(request.requestId);
    try {
      const answeredAt = now();
      const responded = await encoded('ExchangeResponded', respondedEvent(request.requestId, decision, { owner: request.owner, at: answeredAt }), request.requestId);
      const responseSize = Buffer.byteLength(JSON.stringify(answer));
      const monitoring = await encoded('ExchangeMonitoring', monitoringOf(decision, { request, step: 'answer', fromOwner: context.fromOwner, requestInAt: request.askedAt, responseOutAt: answeredAt, requestSize: context.requestSize, responseSize }), request.requestId);
      await writer.write([responded, monitoring]);
      if (requests.answered(answer, answeredAt, 'forwarded')) waiting.get(request.requestId)?.resolve(answer);
    } finally {
      claimed.delete(request.requestId);
    }
  }

  function timeOut(request: HeldRequest): Promise<void> {
    const answer = timeoutAnswer(request);
    return finish(request, { type: 'TimedOut', data: { reason: answer.reason ?? 'timed out', agreementId: request.agreementId } }, answer, { fromOwner: true, requestSize: 0 });
  }

  let sweepTimer: NodeJS.Timeout | undefined;
  let sweepAt: number | undefined;

  /** The sweep runs at the earliest deadline of this router's pending requests. */
  function armTimeouts(deadline?: Date): void {
    if (stopped) return;
    const next = deadline ?? requests.nextDeadline(options.instanceId);
    if (next === undefined) return;
    if (sweepAt !== undefined && sweepAt <= next.getTime()) return;
    clearTimeout(sweepTimer);
    sweepAt = next.getTime();
    sweepTimer = setTimeout(() => void sweep(), Math.max(0, sweepAt - now().getTime()));
    sweepTimer.unref();
  }

  async function sweep(): Promise<void> {
    sweepAt = undefined;
    const at = now();
    for (const request of requests.overdue(options.instanceId, at)) {
      if (claimed.has(request.requestId) || !isOverdue(request, at)) continue;
      try {
        await timeOut(request);
      } catch (error) {
        logger.warn({ err: error, requestId: request.requestId }, 'the timeout was not written; tried again in a second');
        if (!stopped) setTimeout(() => armTimeouts(), 1_000).unref();
        return;
      }
    }
    armTimeouts();
  }

  let prune: NodeJS.Timeout | undefined;

  return {
    ask,
    respond,
    view(requestId, department) {
      const request = requests.get(requestId);
      if (!request || request.requester === '' || (department !== request.requester && department !== request.owner)) return undefined;
      return {
        ...(request.answer ?? { requestId }),
        status: request.status,
        requester: request.requester,
        owner: request.owner,
        resource: request.resourceCode,
        askedAt: request.askedAt.toISOString(),
        ...(request.answeredAt === null ? {} : { answeredAt: request.answeredAt.toISOString() }),
      };
    },
    async start() {
      await follower.start();
      ready = true;
      // Requests this router forwarded before a restart time out as if it had not stopped.
      void sweep();
      prune = setInterval(() => {
        const removed = requests.prune(new Date(now().getTime() - options.keptMs));
        if (removed > 0) logger.info({ removed }, 'old data requests forgotten');
      }, 3_600_000);
      prune.unref();
    },
    get ready() {
      return ready;
    },
    problems() {
      const failure = follower.failure;
      return failure ? [`the reader of the data requests has stopped: ${failure.message}`] : [];
    },
    async stop() {
      stopped = true;
      // A question held open gets no answer from this router now (its owner may still answer it through another, or after the restart).
      for (const { reject } of waiting.values()) reject(new Error('the router is stopping'));
      waiting.clear();
      clearTimeout(sweepTimer);
      clearInterval(prune);
      await follower.close();
    },
  };
}

/** The answer a requester got, as ExchangeResponded carries it (text values, as the answer map holds them). */
function answerOfEvent(data: ReadEvent<'ExchangeResponded'>['data'], status: RequestAnswer['status']): RequestAnswer {
  return {
    requestId: data.requestId,
    status,
    ...(data.answer === null ? {} : { record: data.answer, maskedFields: data.maskedFields }),
    ...(data.matches === null ? {} : { matches: data.matches }),
    ...(data.reason === null ? {} : { reason: data.reason }),
  };
}

/**
 * Concurrent writers' records go out together: while one round of sends is
 * in flight, the next writers queue, and the queue is sent as the next round.
 * Under load a round carries many questions' events in one produce request;
 * alone, a question waits for nothing. Once a round has carried more than one
 * writer, the next waits `lingerMs` for more before it goes: each produce
 * request costs the router and the broker more than its records do.
 */
export function batchedWriter(
  sender: RecordSender,
  fileAll: (filings: ReadonlyArray<() => void>) => void,
  lingerMs = 0,
): { write(records: Array<{ topic: string; record: OutgoingRecord }>, file?: () => void): Promise<void> } {
  let queue: Array<{ records: Array<{ topic: string; record: OutgoingRecord }>; file: (() => void) | undefined; resolve: () => void; reject: (error: unknown) => void }> = [];
  let flushing = false;
  let busy = false;
  async function flush(): Promise<void> {
    flushing = true;
    while (queue.length > 0) {
      if (busy && lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs));
      const round = queue;
      busy = round.length > 1;
      queue = [];
      const byTopic = new Map<string, OutgoingRecord[]>();
      for (const { records } of round) {
        for (const { topic, record } of records) {
          let list = byTopic.get(topic);
          if (!list) byTopic.set(topic, (list = []));
          list.push(record);
        }
      }
      const batch: TopicRecords[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
      try {
        await (sender.sendBatch ? sender.sendBatch(batch) : Promise.all(batch.map((records) => sender.send(records))));
        fileAll(round.flatMap(({ file }) => (file === undefined ? [] : [file])));
        for (const writer of round) writer.resolve();
      } catch (error) {
        for (const writer of round) writer.reject(error);
      }
    }
    flushing = false;
    busy = false;
  }
  return {
    write(records, file) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ records, file, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A data request number: `DR-` and a ULID (the time in ms, then 80 random bits), so numbers sort by when they were asked. */
export function requestIdAt(epochMs: number): string {
  let time = '';
  let rest = epochMs;
  for (let i = 0; i < 10; i += 1) {
    time = CROCKFORD[rest % 32]! + time;
    rest = Math.floor(rest / 32);
  }
  if (randomAt + 16 > randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  let random = '';
  for (let i = 0; i < 16; i += 1) random += CROCKFORD[randomPool[randomAt + i]! & 31]!;
  randomAt += 16;
  return `DR-${time}${random}`;
}

/** Random bytes drawn 4 KiB at a time (one system call per 256 request numbers). */
const randomPool = Buffer.alloc(4_096);
let randomAt = randomPool.length;
