import { type WorkingCalendar, officialCalendar, shanghaiDate } from '@hub/calendar';
import { type CaseCommand, type CaseState, type Item, caseDecider, caseView, shippedItems } from '@hub/router';
import { FakeSharing } from '../../exchange/testing/fake-sharing.ts';
import { catalogueItems } from './items.ts';

/** One request the fake gateway answered. */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  /** The principal of the bearer token (`dev-<name>-token`). */
  readonly as: string;
  readonly body: Record<string, unknown> | undefined;
  readonly status: number;
}

/** A failure to answer instead of the real one: `times` requests matching `path` (and `method`) get `status`. */
interface InjectedFailure {
  readonly method?: string;
  readonly path: RegExp;
  readonly status: number;
  times: number;
}

const WINDOW_ROUTES = new Set(['acceptance', 'supplements', 'fee', 'payment', 'certificate', 'delivery', 'review']);

/**
 * The gateway's case routes over the router's own case decider, in memory,
 * as a `fetch`: so that the simulators' tests meet the hub's real rules
 * (which step each state allows, the deadlines on the working-day calendar).
 * Each CoApprovalRequested it records is delivered to `onDelivery` as the
 * sinks deliver it to a department's webhook. The agreement and data-request
 * routes are `sharing`'s (FakeSharing), whose notices go to `onDelivery` too.
 */
export class FakeGateway {
  readonly requests: FakeRequest[] = [];
  readonly states = new Map<string, CaseState>();
  onDelivery: ((department: string, body: unknown) => void) | undefined;
  readonly sharing: FakeSharing;
  readonly #failures: InjectedFailure[] = [];
  readonly #keys = new Map<string, string>();
  readonly #decider;
  readonly #calendar: WorkingCalendar;

  constructor(
    private readonly now: () => Date = () => new Date(),
    items: readonly Item[] = shippedItems,
    calendar: WorkingCalendar = officialCalendar(),
  ) {
    this.#calendar = calendar;
    this.sharing = new FakeSharing(now, (department, body) => this.onDelivery?.(department, body), calendar);
    this.#decider = caseDecider({ items: (code) => items.find((item) => item.code === code), calendar });
  }

  /** The next `times` requests to paths matching `path` are answered `status` (503 with Retry-After: 0). */
  fail(path: RegExp, status: number, times = 1, method?: string): void {
    this.#failures.push({ path, status, times, ...(method === undefined ? {} : { method }) });
  }

  /** The case as GET /v1/cases/{id} would show it on `asOf`. */
  view(caseId: string, asOf = this.now()) {
    const state = this.states.get(caseId);
    return state ? caseView(state, this.#calendar, shanghaiDate(asOf)) : undefined;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    const as = /^Bearer dev-(.+)-token$/.exec(headers.get('authorization') ?? '')?.[1] ?? '';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    const answer = (status: number, json: unknown, extra: Record<string, string> = {}) => {
      this.requests.push({ method, path: url.pathname, as, body, status });
      return new Response(json === undefined ? null : JSON.stringify(json), { status, headers: { 'content-type': 'application/json', ...extra } });
    };
    const failure = this.#failures.find((f) => f.times > 0 && f.path.test(url.pathname) && (f.method === undefined || f.method === method));
    if (failure) {
      failure.times -= 1;
      return answer(failure.status, { title: 'injected', detail: `injected ${failure.status}` }, failure.status === 503 ? { 'retry-after': '0' } : {});
    }
    if (as === '') return answer(401, { detail: 'no token' });
    const shared = this.sharing.handle(method, url, as, body);
    if (shared !== undefined) return answer(shared.status, shared.body);
    const route = url.pathname.split('/').filter(Boolean);
    if (method === 'GET' && url.pathname === '/v1/items') return answer(200, { items: catalogueItems.map((item) => ({ ...item, version: 1, definedAt: '2026-01-01T00:00:00.000Z' })) });
    if (method === 'POST' && url.pathname === '/v1/cases') return this.#submit(body ?? {}, headers.get('idempotency-key'), answer);
    const caseId = decodeURIComponent(route[2] ?? '');
    const state = this.states.get(caseId);
    if (state === undefined) return answer(404, { detail: `no case ${caseId}` });
    if (method === 'GET' && route.length === 3) return answer(200, caseView(state, this.#calendar, shanghaiDate(this.now())));
    const step = route[3] ?? '';
    if (WINDOW_ROUTES.has(step) && as !== 'window') return answer(403, { detail: `${step} is the window's` });
    const command = this.#command(step, caseId, as, body ?? {});
    if (command === undefined) return answer(404, { detail: `no route ${url.pathname}` });
    const decision = this.#decider.decide(command, state);
    if (!decision.ok) return answer(decision.error.field === undefined ? 409 : 400, { type: decision.error.type, detail: decision.error.message });
    let next = state;
    for (const event of decision.events) next = this.#decider.evolve(next, event);
    this.states.set(caseId, next);
    this.#deliver(decision.events);
    return answer(200, { case: decision.answer, events: decision.events.map((e) => ({ type: e.type, eventId: e.data.eventId })) });
  };

  #submit(body: Record<string, unknown>, key: string | null, answer: (status: number, json: unknown) => Response): Response {
    const known = key === null ? undefined : this.#keys.get(key);
    if (known !== undefined) return answer(201, { caseId: known, eventId: `${known}:1` });
    const caseId = `GW-${String(this.states.size + 1).padStart(6, '0')}`;
    const applicant = body.applicant as { type: string; name: string; idNumber?: string; creditCode?: string; phone?: string };
    const documents = (body.documents ?? []) as Array<{ name: string; fileRef?: string | null }>;
    const command: CaseCommand = {
      type: 'SubmitCase',
      data: {
        occurredAt: this.#at(body.submittedAt),
        caseId,
        applicant: {
          kind: applicant.type === 'person' ? 'PERSON' : 'ORGANISATION',
          name: applicant.name,
          idNumber: applicant.idNumber ?? null,
          creditCode: applicant.creditCode ?? null,
          phone: applicant.phone ?? null,
        },
        itemCode: String(body.itemCode),
        itemName: String(body.itemName),
        centreId: String(body.centre),
        windowId: typeof body.window === 'string' ? body.window : null,
        divisionCode: String(body.divisionCode),
        documents: documents.map((d) => ({ name: d.name, fileRef: d.fileRef ?? null })),
        channel: 'WINDOW',
      },
    };
    const decision = this.#decider.decide(command, this.#decider.initialState());
    if (!decision.ok) return answer(400, { detail: decision.error.message });
    this.states.set(caseId, decision.events.reduce((state, event) => this.#decider.evolve(state, event), this.#decider.initialState()));
    if (key !== null) this.#keys.set(key, caseId);
    return answer(201, { caseId, eventId: `${caseId}:1` });
  }

  #command(step: string, caseId: string, as: string, body: Record<string, unknown>): CaseCommand | undefined {
    const head = { caseId, occurredAt: this.#at(body.occurredAt) };
    const reason = typeof body.reason === 'string' ? { reason: body.reason } : {};
    switch (step) {
      case 'acceptance':
        return body.accepted === true ? { type: 'AcceptCase', data: head } : { type: 'RefuseAtIntake', data: { ...head, reason: String(body.reason ?? '') } };
      case 'answers':
        return {
          type: 'AnswerCoApproval',
          data: {
            ...head,
            ...reason,
            department: as,
            answer: body.answer as 'grant' | 'refuse' | 'supplement',
            ...(typeof body.stage === 'number' ? { stage: body.stage } : {}),
            ...(Array.isArray(body.materials) ? { materials: body.materials as string[] } : {}),
          },
        };
      case 'supplements':
        return { type: 'ResumeCase', data: head };
      case 'decision':
        return { type: 'DecideCase', data: { ...head, ...reason, department: as, approved: body.approved === true } };
      case 'fee':
        return { type: 'AssessFee', data: head };
      case 'payment':
        return { type: 'PayFee', data: head };
      case 'certificate':
        return { type: 'IssueCertificate', data: head };
      case 'delivery':
        return { type: 'DeliverResult', data: head };
      case 'review':
        return { type: 'ReviewCase', data: { ...head, grade: Number(body.grade) } };
      default:
        return undefined;
    }
  }

  #at(value: unknown): Date {
    return typeof value === 'string' ? new Date(value) : this.now();
  }

  #deliver(events: readonly { type: string; data: unknown }[]): void {
    const onDelivery = this.onDelivery;
    if (!onDelivery) return;
    for (const event of events) {
      if (event.type !== 'CoApprovalRequested') continue;
      const data = event.data as { coApprover: string; occurredAt: Date };
      const body = { payloadSubject: 'cases.events-gov.hub.cases.CoApprovalRequested', payload: { ...data, occurredAt: data.occurredAt.toISOString() } };
      // After the answer, as the sink delivers from the topic later.
      setImmediate(() => onDelivery(data.coApprover, body));
    }
  }
}
