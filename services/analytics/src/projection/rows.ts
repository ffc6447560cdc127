import { shanghaiDate } from '@hub/calendar';
import type { CaseEvent } from '@hub/router';
import type { ExchangeMonitoring, ItemDefined, SupervisionAlert } from '@hub/schemas';

/**
 * The rows each event becomes, one function per table: pure, so a batch
 * read again gives the same rows (and the same deduplication token).
 * Instants are ISO 8601 text (the store parses them best-effort), dates
 * Asia/Shanghai `YYYY-MM-DD`.
 */

/** Where a record was read and what its headers say: enough for the `events` table without decoding the value. */
export interface RecordMeta {
  /** ce_id */
  id: string;
  /** The hub's name of the event type (`CaseSubmitted`). */
  name: string;
  source: string;
  /** ce_time as an instant in ISO 8601 (`instantText`). */
  occurredAt: string;
  /** The record's Kafka timestamp (when the hub wrote it), ISO 8601. */
  loggedAt: string;
  correlationId: string;
  topic: string;
  partition: number;
  offset: string;
  /** The record's key as text, empty without one. */
  key: string;
  bytes: number;
}

export interface EventRow {
  eventId: string;
  type: string;
  topic: string;
  partition: number;
  offset: string;
  key: string;
  occurredAt: string;
  loggedAt: string;
  source: string;
  correlationId: string;
  bytes: number;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A ce_time header as the instant the store reads: as it is when it is
 * already UTC in ISO 8601 with milliseconds (what the hub writes), else
 * normalised; undefined when it is no instant at all.
 */
export function instantText(time: string): string | undefined {
  if (time.length === 24 && time.endsWith('Z') && ISO_INSTANT.test(time)) return time;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function eventRow(meta: RecordMeta): EventRow {
  return {
    eventId: meta.id,
    type: meta.name,
    topic: meta.topic,
    partition: meta.partition,
    offset: meta.offset,
    key: meta.key,
    occurredAt: meta.occurredAt,
    loggedAt: meta.loggedAt,
    source: meta.source,
    correlationId: meta.correlationId,
    bytes: meta.bytes,
  };
}

export interface CaseEventRow {
  caseId: string;
  version: number;
  eventId: string;
  type: string;
  occurredAt: string;
  source: string;
  data: string;
}

/**
 * A case event as the drill-down shows it and the projection folds it again:
 * the applicant is kept only as a person or an organisation. Analysts see how
 * cases go, not who applied (names, ID numbers and phones stay in the
 * departments' systems and on Kafka).
 */
export function caseEventRow(event: CaseEvent, version: number, source: string): CaseEventRow {
  const data = event.type === 'CaseSubmitted' ? { ...event.data, applicant: { kind: event.data.applicant.kind } } : event.data;
  return { caseId: event.data.caseId, version, eventId: event.data.eventId, type: event.type, occurredAt: event.data.occurredAt.toISOString(), source, data: JSON.stringify(data) };
}

const INSTANT_FIELDS = new Set(['occurredAt', 'acceptedAt', 'paidAt']);

/** A stored case event's data back as the router's types hold it (its instants as Date). */
export function caseEventFromRow(type: string, data: string): CaseEvent {
  const parsed = JSON.parse(data, (key, value: unknown) => (INSTANT_FIELDS.has(key) && typeof value === 'string' ? new Date(value) : value)) as CaseEvent['data'];
  return { type, data: parsed } as CaseEvent;
}

export function itemRow(item: ItemDefined) {
  return { itemCode: item.itemCode, version: item.version, name: item.name, leadDepartment: item.leadDepartment, legalDays: item.legalDays, promisedDays: item.promisedDays };
}

export function alertRow(alert: SupervisionAlert) {
  return {
    eventId: alert.eventId,
    occurredAt: alert.occurredAt.toISOString(),
    day: shanghaiDate(alert.occurredAt),
    level: alert.level,
    caseId: alert.caseId,
    requestId: alert.requestId,
    responsibleDepartment: alert.responsibleDepartment,
    deadline: alert.deadline,
    limitDays: alert.limitDays,
    workingDaysUsed: alert.workingDaysUsed,
    workingDaysRemaining: alert.workingDaysRemaining,
  };
}

export function exchangeRow(exchange: ExchangeMonitoring) {
  return {
    eventId: exchange.eventId,
    occurredAt: exchange.occurredAt.toISOString(),
    day: shanghaiDate(exchange.occurredAt),
    kind: exchange.kind,
    requester: exchange.requester,
    provider: exchange.provider,
    resourceCode: exchange.resourceCode,
    agreementId: exchange.agreementId,
    requestId: exchange.requestId,
    requestInAt: exchange.requestInAt.toISOString(),
    responseOutAt: exchange.responseOutAt.toISOString(),
    latencyMs: Math.max(0, exchange.responseOutAt.getTime() - exchange.requestInAt.getTime()),
    requestSize: exchange.requestSize,
    responseSize: exchange.responseSize,
    succeeded: exchange.succeeded ? 1 : 0,
    faultCode: exchange.faultCode,
  };
}
