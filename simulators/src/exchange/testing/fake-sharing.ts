import { type WorkingCalendar, officialCalendar, shanghaiDate } from '@hub/calendar';
import { type AgreementResource, type AgreementState, agreementDecider, agreementView, maskRecord, UnknownVerifyFieldsError, verifyFields } from '@hub/router';
import { eventType, eventTypes, sensitiveFields } from '@hub/schemas';
import { resourceSimulators } from '../../records.ts';
import { type CanonicalRecord, canonicalRecord } from '../published.ts';

/** An answer of the fake: status and JSON body. */
export interface FakeAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** The resources of the catalogue as the catalog builds them from the hub's schemas: owner, sharing condition, sensitive fields. */
const catalogue = new Map<string, { resource: AgreementResource; keyFields: readonly string[]; tagged: ReturnType<typeof sensitiveFields> }>(
  eventTypes.flatMap((type) => {
    if (type.area !== 'records') return [];
    const resource: AgreementResource = { resourceCode: type.catalogue.resourceCode, owner: type.catalogue.ownerDepartment, sharing: type.catalogue.sharingCondition, maskedFields: sensitiveFields(type.name).map((f) => f.path) };
    return [[type.catalogue.resourceCode, { resource, keyFields: type.keyFields, tagged: sensitiveFields(type.name) }] as const];
  }),
);

/**
 * The gateway's agreement and data-request routes in memory, for the
 * simulators' tests: agreements are decided by the router's own agreement
 * decider (granted at once, pending for the owner, refused), the owner hears
 * of a pending request and the subscriber of each answer through `deliver`,
 * as the sinks would; data requests are answered under a granted agreement
 * from the records `publish` gave it, with the router's own `verifyFields`
 * and `maskRecord`; a record pushed to `/v1/records/{dept}/{resource}` is
 * mapped by its connector's mapping and held from then on. `handle` answers
 * the paths under /v1/records, /v1/agreements and /v1/exchange, and leaves
 * the rest (undefined).
 */
export class FakeSharing {
  readonly agreements = new Map<string, AgreementState>();
  readonly records = new Map<string, CanonicalRecord[]>();
  readonly #decider;
  readonly #calendar: WorkingCalendar;
  #nextAgreement = 0;
  #nextRequest = 0;

  constructor(
    private readonly now: () => Date,
    private readonly deliver: (department: string, body: unknown) => void,
    calendar: WorkingCalendar = officialCalendar(),
  ) {
    this.#calendar = calendar;
    this.#decider = agreementDecider({ calendar });
  }

  /** The hub holds `record` of `resource` from now on (as records.<resource> brings it). */
  publish(resource: string, record: CanonicalRecord): void {
    this.records.set(resource, [...(this.records.get(resource) ?? []), record]);
  }

  /** The agreements of `subscriber` on `resource`, as `GET /v1/agreements` lists them. */
  agreementsOf(subscriber: string, resource?: string): Array<ReturnType<typeof agreementView>> {
    return [...this.agreements.values()].filter((s) => s.subscriber === subscriber && (resource === undefined || s.resourceCode === resource)).map((s) => this.#view(s));
  }

  handle(method: string, url: URL, as: string, body: Record<string, unknown> | undefined): FakeAnswer | undefined {
    const route = url.pathname.split('/').filter(Boolean);
    if (route[1] === 'records' && method === 'POST') return this.#push(route, as, body);
    if (route[1] === 'agreements') return this.#agreements(method, route, url, as, body ?? {});
    if (route[1] === 'exchange' && route[2] === 'requests' && method === 'POST' && route.length === 3) return this.#ask(as, body ?? {});
    if (route[1] === 'exchange') return { status: 404, body: { detail: `no route ${url.pathname}` } };
    return undefined;
  }

  /** A push of native records: each the mapping takes is held, keyed as the hub keys it; the others rejected by index. */
  #push(route: string[], as: string, body: unknown): FakeAnswer {
    const simulator = resourceSimulators.find((r) => r.department === route[2] && r.resource === route[3]);
    if (simulator === undefined) return { status: 404, body: { detail: `no resource ${route.slice(2).join('.')}` } };
    if (simulator.department !== as) return { status: 403, body: { detail: `${as} may not publish ${simulator.department}.${simulator.resource}` } };
    const natives: unknown[] = Array.isArray(body) ? body : [];
    const rejected: Array<{ index: number; field: string; reason: string }> = [];
    natives.forEach((native, index) => {
      const record = typeof native === 'object' && native !== null ? canonicalRecord(simulator, Object.fromEntries(Object.entries(native)), this.now()) : undefined;
      if (record === undefined) rejected.push({ index, field: '(record)', reason: 'the mapping refused it' });
      else this.publish(`${simulator.department}.${simulator.resource}`, record);
    });
    return { status: 202, body: { accepted: natives.length - rejected.length, duplicates: 0, rejected } };
  }

  #view(state: AgreementState) {
    return agreementView(state, this.#calendar, shanghaiDate(this.now()));
  }

  #agreements(method: string, route: string[], url: URL, as: string, body: Record<string, unknown>): FakeAnswer {
    if (method === 'GET' && route.length === 2) {
      const department = url.searchParams.get('department') ?? as;
      if (department !== as) return { status: 403, body: { detail: `${as} may not list the agreements of ${department}` } };
      return { status: 200, body: { agreements: [...this.agreements.values()].filter((s) => s.subscriber === as || s.owner === as).map((s) => this.#view(s)) } };
    }
    if (method === 'POST' && route.length === 2) {
      const agreementId = `AG-${String(++this.#nextAgreement).padStart(6, '0')}`;
      const resourceCode = String(body.resource);
      const decided = this.#step(agreementId, {
        type: 'RequestAgreement',
        data: {
          agreementId, occurredAt: this.now(), subscriber: as, resourceCode, resource: catalogue.get(resourceCode)?.resource ?? null, purpose: String(body.purpose),
          ...(typeof body.legalBasis === 'string' ? { legalBasis: body.legalBasis } : {}),
          ...(Array.isArray(body.fields) ? { fields: body.fields.map(String) } : {}),
        },
      });
      return decided.status === 200 ? { status: 201, body: { agreementId, status: this.agreements.get(agreementId)?.status } } : decided;
    }
    const agreementId = route[2] ?? '';
    if (method === 'POST' && route[3] === 'approval') {
      return this.#step(agreementId, {
        type: 'ApproveAgreement',
        data: { agreementId, occurredAt: this.now(), by: as, approved: body.approved === true, ...(Array.isArray(body.fields) ? { fields: body.fields.map(String) } : {}), ...(typeof body.reason === 'string' ? { reason: body.reason } : {}) },
      });
    }
    return { status: 404, body: { detail: `no route ${url.pathname}` } };
  }

  #step(agreementId: string, command: Parameters<ReturnType<typeof agreementDecider>['decide']>[0]): FakeAnswer {
    const state = this.agreements.get(agreementId) ?? this.#decider.initialState();
    const decision = this.#decider.decide(command, state);
    if (!decision.ok) {
      const { type, message, field } = decision.error;
      const status = type === 'AgreementNotFound' ? 404 : type === 'NotOwner' || type === 'NotParty' ? 403 : field !== undefined ? 400 : 409;
      return { status, body: { detail: message, refusal: type } };
    }
    const after = decision.events.reduce((folded, event) => this.#decider.evolve(folded, event), state);
    this.agreements.set(agreementId, after);
    for (const event of decision.events) {
      const to = event.type === 'AgreementRequested' ? (after.status === 'pending' ? after.owner : undefined) : after.subscriber;
      if (to === undefined) continue;
      const notice = { payloadSubject: eventType(event.type).subject, payload: { ...event.data, occurredAt: event.data.occurredAt.toISOString() } };
      // After the answer, as the sink delivers from the topic later.
      setImmediate(() => this.deliver(to, notice));
    }
    return { status: 200, body: decision.answer };
  }

  #ask(as: string, body: Record<string, unknown>): FakeAnswer {
    const resource = String(body.resource);
    const entry = catalogue.get(resource);
    if (entry === undefined) return { status: 400, body: { detail: `no resource ${resource}`, errors: [{ field: 'body.resource', reason: 'unknown' }] } };
    const requestId = `DR-${String(++this.#nextRequest).padStart(6, '0')}`;
    const agreement = [...this.agreements.values()].find((s) => s.subscriber === as && s.resourceCode === resource && s.status === 'granted');
    if (agreement === undefined) return { status: 200, body: { requestId, status: 'refused', reason: `${as} has no granted agreement on ${resource}` } };
    const key = typeof body.key === 'object' && body.key !== null ? body.key : {};
    const record = (this.records.get(resource) ?? []).find((r) => entry.keyFields.every((field) => String(r[field]) === Reflect.get(key, field)));
    if (record === undefined) return { status: 200, body: { requestId, status: 'not-found' } };
    if (typeof body.verify === 'object' && body.verify !== null) {
      try {
        return { status: 200, body: { requestId, status: 'answered', matches: verifyFields(record, Object.fromEntries(Object.entries(body.verify))) } };
      } catch (error) {
        if (error instanceof UnknownVerifyFieldsError) return { status: 400, body: { detail: error.message, errors: error.fields.map((field) => ({ field: `body.verify.${field}`, reason: 'no such field' })) } };
        throw error;
      }
    }
    const masked = maskRecord(record, entry.tagged, this.#view(agreement).unmaskedFields);
    return { status: 200, body: { requestId, status: 'answered', record: masked.record, maskedFields: masked.maskedFields } };
  }
}
