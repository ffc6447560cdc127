// What the router's suites check after a run: read back from Kafka, not from the router.
import { officialCalendar } from '@hub/calendar';
import { createAvroSerde, createEventCodec, createLogger, readToEnd, type Kafka } from '@hub/runtime';
import { COMMANDS_TOPIC, encodeCommand, evolveCase, initialCaseState, supervisionDecider, type CaseEvent, type CaseState } from '@hub/router';
import { logicalTypes, topicFor, type DeliveryEnvelope, type SupervisionAlert } from '@hub/schemas';
import type { CasePlan, DriveResult } from './driver.ts';

export interface RunRecords {
  /** Every event of the run's cases, by case, in log order. */
  events: Map<string, Array<{ eventId: string; type: string; data: unknown }>>;
  alerts: SupervisionAlert[];
  /** Deliveries to each department, of the run's cases. */
  deliveries: Map<string, DeliveryEnvelope[]>;
}

const logger = createLogger('router-test', process.env.TEST_LOG_LEVEL ?? 'warn');

/** Moves every partition's supervision clock to `now` (what a live tick does), as the router's own ticks are off in these suites. */
export async function tick(kafka: Kafka, now: Date): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic: COMMANDS_TOPIC, acks: -1, messages: [0, 1, 2].map((partition) => ({ partition, key: null, value: encodeCommand({ command: { type: 'Tick', data: { now } } }) })) });
  await producer.disconnect();
}

export async function readRun(kafka: Kafka, registryUrl: string, caseIds: ReadonlySet<string>): Promise<RunRecords> {
  const events = createEventCodec(createAvroSerde({ registryUrl, logicalTypes, clientId: 'router-test' }));
  const byCase = new Map<string, Array<{ eventId: string; type: string; data: unknown }>>();
  for (const record of await readToEnd(kafka, topicFor('CaseSubmitted'), { logger })) {
    const event = await events.fromRecord(record);
    const data = event.data as { caseId?: string; eventId: string };
    if (!data.caseId || !caseIds.has(data.caseId)) continue;
    let list = byCase.get(data.caseId);
    if (!list) byCase.set(data.caseId, (list = []));
    list.push({ eventId: data.eventId, type: event.type, data: event.data });
  }
  const alerts: SupervisionAlert[] = [];
  for (const record of await readToEnd(kafka, topicFor('SupervisionAlert'), { logger })) {
    const event = await events.fromRecord(record);
    if (event.type === 'SupervisionAlert' && event.data.caseId !== null && caseIds.has(event.data.caseId)) alerts.push(event.data);
  }
  const deliveries = new Map<string, DeliveryEnvelope[]>();
  for (const department of ['land', 'tax', 'ps', 'market'] as const) {
    const list: DeliveryEnvelope[] = [];
    for (const record of await readToEnd(kafka, topicFor('DeliveryEnvelope', department), { logger })) {
      const event = await events.fromRecord(record);
      if (event.type === 'DeliveryEnvelope' && caseIds.has(event.data.correlationId)) list.push(event.data);
    }
    deliveries.set(department, list);
  }
  return { events: byCase, alerts, deliveries };
}

/** The case as its events leave it (the router's own evolve, on what Kafka holds). */
export function finalState(events: Array<{ type: string; data: unknown }>): CaseState {
  return events.reduce((state, event) => evolveCase(state, event as CaseEvent), initialCaseState());
}

/**
 * Everything the run must show, as a list of problems (empty when all is
 * well), so a failure names every case that went wrong at once:
 *   - each case's events are versions 1..n, each event id once;
 *   - every event id the gateway answered with is in the log;
 *   - each case ends as its plan implies (status, decision, every task);
 *   - each co-approval request is made once, and delivered once to its department;
 *   - the alerts are exactly those the case's own times imply by `until`, each once,
 *     and each delivered once to the responsible department.
 */
export function problemsOf(plans: readonly CasePlan[], run: DriveResult, records: RunRecords, until: Date): string[] {
  const problems: string[] = [];
  const logged = new Set<string>();
  const supervision = supervisionDecider({ calendar: officialCalendar() });
  const expectedAlerts = new Map<string, SupervisionAlert | string>();
  for (const plan of plans) {
    const caseId = run.caseIds[plan.index]!;
    const events = records.events.get(caseId) ?? [];
    events.forEach((event, i) => {
      if (event.eventId !== `${caseId}:${i + 1}`) problems.push(`${caseId}: event ${i + 1} is ${event.eventId} (${event.type})`);
      if (logged.has(event.eventId)) problems.push(`${caseId}: ${event.eventId} twice`);
      logged.add(event.eventId);
    });
    const state = finalState(events);
    if (state.status !== plan.expected.status) problems.push(`${caseId} (#${plan.index}): status ${state.status}, expected ${plan.expected.status}`);
    if (plan.expected.outcome && state.decision?.outcome !== plan.expected.outcome) problems.push(`${caseId}: decision ${state.decision?.outcome}, expected ${plan.expected.outcome}`);
    for (const [task, outcome] of Object.entries(plan.expected.tasks)) {
      const [department, stage] = task.split('@');
      const found = state.tasks.filter((t) => t.department === department && t.stage === Number(stage));
      if (found.length !== 1 || found[0]!.status !== outcome) problems.push(`${caseId}: task ${task} ${found.map((t) => t.status).join(',') || 'missing'}, expected ${outcome}`);
    }
    const requests = events.filter((e) => e.type === 'CoApprovalRequested').map((e) => e.data as { coApprover: string; stage: number | null; eventId: string });
    const asked = requests.map((r) => `${r.coApprover}@${r.stage ?? 1}`);
    const expectedRequests = plan.expected.requests;
    if (asked.join() !== expectedRequests.join()) problems.push(`${caseId}: requests ${asked.join()} expected ${expectedRequests.join()}`);
    for (const request of requests) {
      const delivered = (records.deliveries.get(request.coApprover) ?? []).filter((d) => d.sourceEventId === request.eventId);
      if (delivered.length !== 1) problems.push(`${caseId}: request ${request.eventId} delivered ${delivered.length} times to ${request.coApprover}`);
    }
    for (const alert of supervision.schedule(state)) if (alert.dueAt <= until) expectedAlerts.set(alert.eventId, alert.responsibleDepartment);
  }
  for (const id of run.answeredEventIds) if (!logged.has(id)) problems.push(`answered ${id}, not in cases.events`);
  const raised = new Map<string, number>();
  for (const alert of records.alerts) raised.set(alert.eventId, (raised.get(alert.eventId) ?? 0) + 1);
  for (const [id, count] of raised) {
    if (count !== 1) problems.push(`alert ${id} raised ${count} times`);
    if (!expectedAlerts.has(id)) problems.push(`alert ${id} raised, not due by ${until.toISOString()}`);
  }
  for (const [id, department] of expectedAlerts) {
    if (!raised.has(id)) problems.push(`alert ${id} not raised`);
    const to = records.deliveries.get(department as string);
    if (to && to.filter((d) => d.sourceEventId === id).length !== 1) problems.push(`alert ${id} delivered ${to.filter((d) => d.sourceEventId === id).length} times to ${department}`);
  }
  return problems;
}
