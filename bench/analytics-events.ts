// The history the analytics bench rebuilds from: BENCH_ANALYTICS_EVENTS events
// in the mix a region's hub writes, published straight to the topics as the
// hub writes them (Avro in the Confluent wire format, CloudEvents headers):
// about a fifth case events (decided by the router's own case aggregate over a
// year of the simulators' history plan, as the ground-truth suite publishes
// them), the rest shared records, deliveries, exchange monitoring and
// supervision alerts, each with an id of its own.
import { officialCalendar } from '@hub/calendar';
import type { EventCodec, HubEvent, OutgoingRecord, Producer } from '@hub/runtime';
import { departments, type DepartmentCode, type EventName, type EventTypeMap } from '@hub/schemas';
import { samples } from '@hub/schemas/samples';
import { planHistory } from '@hub/simulators';
import { historyEvents, shippedCatalogue } from '../services/analytics/test/support/history.ts';

const recordTypes = ['ResidentIdentity', 'TaxpayerRegistration', 'BusinessLicence', 'RealEstateTitle', 'SocialInsuranceEnrolment', 'MarriageRegistration'] as const satisfies readonly EventName[];
const departmentCodes = departments.map((d) => d.code) as DepartmentCode[];

export interface PublishedHistory {
  events: number;
  caseEvents: number;
  byKind: Record<string, number>;
}

/**
 * Publishes about `total` events; answers how many of each kind. `perDay`
 * cases a working day over 2026 give the case events (about eight a case).
 */
export async function publishHistory(options: { codec: EventCodec; producer: Producer; total: number; say(line: string): void }): Promise<PublishedHistory> {
  const { codec, producer, total, say } = options;
  const calendar = officialCalendar();
  // About 8.5 events a case over some 250 working days: a fifth of the total.
  const perDay = Math.max(1, Math.round((total * 0.2) / 8.5 / 250));
  const plan = planHistory({ from: '2026-01-05', to: '2026-12-31', seed: 11, perDay, items: shippedCatalogue, calendar });
  const { events: cases } = historyEvents(plan, calendar, { caseIdOf: (i) => `GW-BENCH-${i}`, centreId: 'ZWZX-BENCH' });
  const rest = Math.max(0, total - cases.length);
  const counts = { records: Math.round(rest * 0.6), deliveries: Math.round(rest * 0.2), exchanges: Math.round(rest * 0.17), alerts: 0 };
  counts.alerts = Math.max(0, rest - counts.records - counts.deliveries - counts.exchanges);
  say(`  ${cases.length.toLocaleString()} case events (${plan.cases.length.toLocaleString()} cases), ${counts.records.toLocaleString()} records, ${counts.deliveries.toLocaleString()} deliveries, ${counts.exchanges.toLocaleString()} exchange monitoring, ${counts.alerts.toLocaleString()} alerts`);

  let pending: OutgoingRecord[] = [];
  let pendingTopics = new Map<string, OutgoingRecord[]>();
  let inFlight: Promise<unknown>[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const topicMessages = [...pendingTopics].map(([topic, messages]) => ({ topic, messages }));
    pending = [];
    pendingTopics = new Map();
    inFlight.push(producer.sendBatch({ topicMessages, acks: -1 }));
    if (inFlight.length >= 4) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  };
  const push = async (topic: string, record: OutgoingRecord) => {
    let list = pendingTopics.get(topic);
    if (!list) pendingTopics.set(topic, (list = []));
    list.push(record);
    pending.push(record);
    if (pending.length >= 5_000) await flush();
  };
  const encoders = new Map<string, (data: never, metadata: { source: string; correlationId?: string }) => { topic: string; record: OutgoingRecord }>();
  const encode = async <N extends EventName>(type: N, data: EventTypeMap[N], source: string, department?: DepartmentCode) => {
    const id = `${type}|${department ?? ''}`;
    let encoder = encoders.get(id);
    if (!encoder) encoders.set(id, (encoder = (await codec.encoderFor(type, department)) as never));
    const { topic, record } = encoder(data as never, { source });
    await push(topic, record);
  };

  for (const event of cases) {
    const { topic, record } = await codec.toRecord({ ...event, metadata: { source: '/hub/router', correlationId: event.data.caseId } } as HubEvent);
    await push(topic, record);
  }
  const start = Date.parse('2026-01-05T01:00:00Z');
  const at = (n: number, of: number) => new Date(start + Math.floor((n / Math.max(1, of)) * 360 * 86_400_000));
  for (let n = 0; n < counts.records; n += 1) {
    const type = recordTypes[n % recordTypes.length]!;
    await encode(type, { ...samples[type], eventId: `bench-record-${n}`, occurredAt: at(n, counts.records) } as never, '/connectors/bench');
  }
  for (let n = 0; n < counts.deliveries; n += 1) {
    const recipient = departmentCodes[n % departmentCodes.length]!;
    await encode('DeliveryEnvelope', { ...samples.DeliveryEnvelope, eventId: `bench-delivery-${n}`, deliveryId: `DL-BENCH-${n}`, recipient, occurredAt: at(n, counts.deliveries) }, '/hub/router', recipient);
  }
  for (let n = 0; n < counts.exchanges; n += 1) {
    const requester = departmentCodes[n % departmentCodes.length]!;
    const provider = departmentCodes[(n * 7 + 3) % departmentCodes.length]!;
    const occurredAt = at(n, counts.exchanges);
    const latency = 5 + ((n * 37) % 400);
    await encode('ExchangeMonitoring', {
      ...samples.ExchangeMonitoring, eventId: `bench-exchange-${n}`, exchangeId: `bench-exchange-${n}`, requester, provider,
      occurredAt, requestInAt: occurredAt, responseOutAt: new Date(occurredAt.getTime() + latency), succeeded: n % 50 !== 0,
    }, '/hub/router');
  }
  for (let n = 0; n < counts.alerts; n += 1) {
    const level = (['WARNING', 'OVERDUE', 'LEGAL_LIMIT_BREACHED'] as const)[n % 3]!;
    await encode('SupervisionAlert', { ...samples.SupervisionAlert, eventId: `bench-alert-${n}`, caseId: `GW-BENCH-${n % Math.max(1, plan.cases.length)}`, level, occurredAt: at(n, counts.alerts), responsibleDepartment: departmentCodes[n % departmentCodes.length]! }, '/hub/supervision');
  }
  await flush();
  await Promise.all(inFlight);
  const byKind = { caseEvents: cases.length, ...counts };
  return { events: cases.length + counts.records + counts.deliveries + counts.exchanges + counts.alerts, caseEvents: cases.length, byKind };
}
