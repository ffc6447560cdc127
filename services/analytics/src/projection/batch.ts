import type { WorkingCalendar } from '@hub/calendar';
import { caseEventTypes, type CaseEvent } from '@hub/router';
import { eventNameOf, type ConsumedRecord, type EventCodec } from '@hub/runtime';
import type { ExchangeMonitoring, ItemDefined, SupervisionAlert } from '@hub/schemas';
import { caseFacts, taskFacts } from '../cases/facts.ts';
import { caseEventVersion, foldBatch, type CaseCache, type StoredCaseEvents, type VersionedCaseEvent } from '../cases/fold.ts';
import type { DeadLetter } from './dead-letter.ts';
import { RegistryUnavailableError, type WireDecoder } from './decoder.ts';
import { alertRow, caseEventRow, eventRow, exchangeRow, instantText, itemRow } from './rows.ts';

/** The tables a batch writes, in the order they are written. */
export const projectedTables = ['events', 'case_events', 'cases', 'coapproval_tasks', 'items', 'alerts', 'exchanges'] as const;
export type ProjectedTable = (typeof projectedTables)[number];

export interface ProjectedBatch {
  rows: Record<ProjectedTable, object[]>;
  deadLetters: DeadLetter[];
  /** Events by topic, for the metrics. */
  eventsByTopic: Map<string, number>;
  /** Case events that skipped versions of their case (an earlier one dead-lettered). */
  gaps: number;
}

export interface BatchDeps {
  /** The wire decoder's `dataOf` when it has one (synchronous once a schema is known), else `fromRecord`. */
  codec: Pick<EventCodec, 'fromRecord'> & Partial<Pick<WireDecoder, 'dataOf'>>;
  calendar: WorkingCalendar;
  cache: CaseCache;
  storedCaseEvents: StoredCaseEvents;
}

const isCaseEvent = new Set<string>(caseEventTypes);
/** A header's first value as text. */
const headerText = (value: Buffer | string | Array<Buffer | string> | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)?.toString();
/** Event types whose data a table needs; of the others (records, deliveries, requests) the headers are enough. */
const decoded = new Set<string>([...caseEventTypes, 'ItemDefined', 'SupervisionAlert', 'ExchangeMonitoring']);

/**
 * The rows a batch of records becomes, and the records that cannot be
 * projected, each with its reason. Records whose data no table needs are
 * not decoded: their CloudEvents headers and the wire format's magic byte
 * are checked, and they count in the throughput.
 */
export async function projectBatch(records: readonly ConsumedRecord[], deps: BatchDeps): Promise<ProjectedBatch> {
  const rows: ProjectedBatch['rows'] = { events: [], case_events: [], cases: [], coapproval_tasks: [], items: [], alerts: [], exchanges: [] };
  const deadLetters: DeadLetter[] = [];
  const eventsByTopic = new Map<string, number>();
  const caseEvents: VersionedCaseEvent[] = [];

  let lastTimestamp = '';
  let lastLoggedAt = '';
  for (const record of records) {
    // The CloudEvents headers, read straight off the record (this loop runs once per event of the hub).
    const { headers } = record;
    const id = headerText(headers.ce_id);
    const ceType = headerText(headers.ce_type);
    const source = headerText(headers.ce_source);
    const time = headerText(headers.ce_time);
    if (!id || !ceType || !source || !time) {
      deadLetters.push({ record, reason: 'not-a-cloud-event', detail: 'message lacks the CloudEvents headers ce_id, ce_type, ce_source and ce_time' });
      continue;
    }
    const name = eventNameOf(ceType);
    if (name === undefined) {
      deadLetters.push({ record, reason: 'unknown-event-type', detail: `ce_type ${ceType} is not an event type of the hub` });
      continue;
    }
    const occurredAt = instantText(time);
    if (occurredAt === undefined) {
      deadLetters.push({ record, reason: 'not-a-cloud-event', detail: `ce_time ${time} is not an RFC 3339 instant` });
      continue;
    }
    const { value } = record;
    if (!value || value.length < 5 || value[0] !== 0) {
      deadLetters.push({ record, reason: 'not-avro', detail: 'the value is not Avro in the Confluent wire format (magic byte 0, schema id)' });
      continue;
    }
    if (decoded.has(name)) {
      let data: unknown;
      try {
        data = deps.codec.dataOf ? deps.codec.dataOf(record) : (await deps.codec.fromRecord(record)).data;
        if (data instanceof Promise) data = await data;
      } catch (error) {
        if (error instanceof RegistryUnavailableError) throw error;
        deadLetters.push({ record, reason: 'undecodable', detail: (error as Error).message });
        continue;
      }
      if (isCaseEvent.has(name)) {
        const caseEvent = { type: name, data } as CaseEvent;
        const version = caseEventVersion(caseEvent.data.caseId, caseEvent.data.eventId);
        if (version === undefined) {
          deadLetters.push({ record, reason: 'no-case-version', detail: `event id ${caseEvent.data.eventId} is not ${caseEvent.data.caseId}:<version>` });
          continue;
        }
        caseEvents.push({ caseId: caseEvent.data.caseId, version, event: caseEvent });
        rows.case_events.push(caseEventRow(caseEvent, version, source));
      } else if (name === 'ItemDefined') rows.items.push(itemRow(data as ItemDefined));
      else if (name === 'SupervisionAlert') rows.alerts.push(alertRow(data as SupervisionAlert));
      else if (name === 'ExchangeMonitoring') rows.exchanges.push(exchangeRow(data as ExchangeMonitoring));
    }
    // The records of one produce request share a timestamp: its text is worked out once.
    if (record.timestamp !== lastTimestamp) {
      lastTimestamp = record.timestamp;
      lastLoggedAt = new Date(Number(record.timestamp)).toISOString();
    }
    rows.events.push(eventRow({
      id, name, source, occurredAt, loggedAt: lastLoggedAt, correlationId: headerText(headers.ce_correlationid) ?? '',
      topic: record.topic, partition: record.partition, offset: record.offset, key: record.key === null ? '' : record.key.toString(), bytes: value.length,
    }));
    eventsByTopic.set(record.topic, (eventsByTopic.get(record.topic) ?? 0) + 1);
  }

  const { touched, gaps } = await foldBatch(caseEvents, deps.cache, deps.storedCaseEvents);
  for (const projected of touched.values()) {
    const facts = caseFacts(projected, deps.calendar);
    if (!facts) continue;
    rows.cases.push(facts);
    rows.coapproval_tasks.push(...taskFacts(projected, facts, deps.calendar));
  }
  return { rows, deadLetters, eventsByTopic, gaps };
}

/**
 * The deduplication token of a batch's insert into `table`: the offset range
 * read of every topic partition, so the same records inserted again (a batch
 * read again after a crash before its offsets were committed) write nothing.
 */
export function deduplicationToken(table: string, records: readonly ConsumedRecord[]): string {
  return `${table}|${offsetRanges(records)}`;
}

/** Each topic partition's offset range in the records, `topic:partition:first-last`, sorted and joined by commas: the tokens' part after the table (worked out once a flush). */
export function offsetRanges(records: readonly ConsumedRecord[]): string {
  const ranges = new Map<string, { first: bigint; last: bigint }>();
  let key = '';
  let range: { first: bigint; last: bigint } | undefined;
  for (const record of records) {
    // A partition's records come together: the map is asked only when the partition changes.
    const at = `${record.topic}:${record.partition}`;
    if (at !== key || !range) {
      key = at;
      range = ranges.get(key);
    }
    const offset = BigInt(record.offset);
    if (!range) ranges.set(key, (range = { first: offset, last: offset }));
    else {
      if (offset < range.first) range.first = offset;
      if (offset > range.last) range.last = offset;
    }
  }
  return [...ranges].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([at, { first, last }]) => `${at}:${first}-${last}`).join(',');
}
