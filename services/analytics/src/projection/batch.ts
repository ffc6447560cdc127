import type { WorkingCalendar } from '@hub/calendar';
import { caseEventTypes, type CaseEvent } from '@hub/router';
import { eventNameOf, readCloudEvent, type ConsumedRecord, type EventCodec, type ReadEvent } from '@hub/runtime';
import { caseFacts, taskFacts } from '../cases/facts.ts';
import { caseEventVersion, foldBatch, type CaseCache, type StoredCaseEvents, type VersionedCaseEvent } from '../cases/fold.ts';
import type { DeadLetter } from './dead-letter.ts';
import { RegistryUnavailableError } from './decoder.ts';
import { alertRow, caseEventRow, eventRow, exchangeRow, itemRow, type RecordMeta } from './rows.ts';

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
  codec: Pick<EventCodec, 'fromRecord'>;
  calendar: WorkingCalendar;
  cache: CaseCache;
  storedCaseEvents: StoredCaseEvents;
}

const isCaseEvent = new Set<string>(caseEventTypes);
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

  for (const record of records) {
    let meta: RecordMeta;
    try {
      const ce = readCloudEvent(record.headers);
      const name = eventNameOf(ce.type);
      if (name === undefined) {
        deadLetters.push({ record, reason: 'unknown-event-type', detail: `ce_type ${ce.type} is not an event type of the hub` });
        continue;
      }
      meta = { ...ce, name, topic: record.topic, partition: record.partition, offset: record.offset, key: record.key?.toString() ?? null, loggedAt: Number(record.timestamp), bytes: record.value?.length ?? 0 };
    } catch (error) {
      deadLetters.push({ record, reason: 'not-a-cloud-event', detail: (error as Error).message });
      continue;
    }
    if (!record.value || record.value.length < 5 || record.value[0] !== 0) {
      deadLetters.push({ record, reason: 'not-avro', detail: 'the value is not Avro in the Confluent wire format (magic byte 0, schema id)' });
      continue;
    }
    if (decoded.has(meta.name)) {
      let event: ReadEvent;
      try {
        event = await deps.codec.fromRecord(record);
      } catch (error) {
        if (error instanceof RegistryUnavailableError) throw error;
        deadLetters.push({ record, reason: 'undecodable', detail: (error as Error).message });
        continue;
      }
      if (isCaseEvent.has(event.type)) {
        const caseEvent = { type: event.type, data: event.data } as CaseEvent;
        const version = caseEventVersion(caseEvent.data.caseId, caseEvent.data.eventId);
        if (version === undefined) {
          deadLetters.push({ record, reason: 'no-case-version', detail: `event id ${caseEvent.data.eventId} is not ${caseEvent.data.caseId}:<version>` });
          continue;
        }
        caseEvents.push({ caseId: caseEvent.data.caseId, version, event: caseEvent });
        rows.case_events.push(caseEventRow(caseEvent, version, meta.source));
      } else if (event.type === 'ItemDefined') rows.items.push(itemRow(event.data));
      else if (event.type === 'SupervisionAlert') rows.alerts.push(alertRow(event.data));
      else if (event.type === 'ExchangeMonitoring') rows.exchanges.push(exchangeRow(event.data));
    }
    rows.events.push(eventRow(meta));
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
  const ranges = new Map<string, { first: bigint; last: bigint }>();
  for (const record of records) {
    const key = `${record.topic}:${record.partition}`;
    const offset = BigInt(record.offset);
    const range = ranges.get(key);
    if (!range) ranges.set(key, { first: offset, last: offset });
    else {
      if (offset < range.first) range.first = offset;
      if (offset > range.last) range.last = offset;
    }
  }
  const parts = [...ranges].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, { first, last }]) => `${key}:${first}-${last}`);
  return `${table}|${parts.join(',')}`;
}
