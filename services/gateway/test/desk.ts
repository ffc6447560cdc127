import { officialCalendar, shanghaiDate } from '@hub/calendar';
import { agreementDecider as routerAgreementDecider, agreementView, caseDecider, caseView, type AgreementState, type AgreementStep, defineShippedItems, itemLookup, itemTableDecider, shippedItems, type CaseState } from '@hub/router';
import type { AgreementDesk } from '../src/agreements/agreement-desk.ts';
import type { CaseDesk, ItemDesk, StepCommand, StepOutcome } from '../src/cases/case-desk.ts';
import type { memoryCases } from './support.ts';

export interface MemoryDesks {
  caseDesk: CaseDesk & { commands: StepCommand[]; failWith?: Error };
  itemDesk: ItemDesk & { failWith?: Error };
  agreementDesk: AgreementDesk & { commands: AgreementStep[]; failWith?: Error };
}

/**
 * The router in memory, for the HTTP contract: the real case decider with the
 * official calendar, over the real item table (the shipped items, defined at
 * `definedAt`), seeing every case `cases` published as the router sees
 * cases.events. Consistent with every answer before, as the Kafka desk is.
 * `failWith` makes a desk throw, as one that cannot reach Kafka does.
 */
export function memoryDesks(cases: ReturnType<typeof memoryCases>, options: { definedAt?: Date } = {}): MemoryDesks {
  const calendar = officialCalendar();
  const table = itemTableDecider.initialState();
  for (const command of defineShippedItems(table, shippedItems, options.definedAt ?? new Date('2025-01-01T00:00:00.000Z'))) {
    const decision = itemTableDecider.decide(command, table);
    if (decision.ok) for (const event of decision.events) itemTableDecider.evolve(table, event);
  }
  // The look-up reads the table as it is at each call: a definition made later applies to later acceptances.
  const decider = caseDecider({ items: itemLookup(table), calendar });
  const states = new Map<string, CaseState>();
  let read = 0;

  /** Folds the CaseSubmitted events published since the last call, as the router's reader of cases.events does. */
  function catchUp(): void {
    for (; read < cases.published.length; read++) {
      const published = cases.published[read];
      if (!published) continue;
      const decision = decider.decide({ type: 'SubmitCase', data: { ...published.content, caseId: published.caseId } }, decider.initialState());
      if (decision.ok) states.set(published.caseId, decision.events.reduce((state, event) => decider.evolve(state, event), decider.initialState()));
    }
  }

  // What the router remembers of idempotent steps: the first answer, by caller and key.
  const answered = new Map<string, { fingerprint: string; outcome: StepOutcome }>();

  const caseDesk: MemoryDesks['caseDesk'] = {
    commands: [],
    async step(command, idempotency) {
      if (caseDesk.failWith) throw caseDesk.failWith;
      const id = idempotency && `${idempotency.owner}:${idempotency.key}`;
      const before = id === undefined ? undefined : answered.get(id);
      if (before) {
        if (before.fingerprint !== idempotency!.fingerprint) return { ok: false, refusal: { type: 'IdempotencyKeyReused', message: 'another request' }, replayed: true };
        return { ...before.outcome, replayed: true };
      }
      const outcome = await decide(command);
      if (id !== undefined) answered.set(id, { fingerprint: idempotency!.fingerprint, outcome });
      return outcome;
    },
    async read(caseId, asOf) {
      if (caseDesk.failWith) throw caseDesk.failWith;
      catchUp();
      const state = states.get(caseId);
      return state ? caseView(state, calendar, shanghaiDate(asOf)) : undefined;
    },
  };

  async function decide(command: StepCommand): Promise<StepOutcome> {
    catchUp();
    caseDesk.commands.push(command);
    const state = states.get(command.data.caseId) ?? decider.initialState();
    const decision = decider.decide(command, state);
    if (!decision.ok) return { ok: false, refusal: decision.error };
    states.set(command.data.caseId, decision.events.reduce((folded, event) => decider.evolve(folded, event), state));
    return { ok: true, events: decision.events.map((event) => ({ type: event.type, eventId: event.data.eventId })), case: decision.answer };
  }

  const itemDesk: MemoryDesks['itemDesk'] = {
    async define(definition, definedBy, occurredAt) {
      if (itemDesk.failWith) throw itemDesk.failWith;
      const decision = itemTableDecider.decide({ type: 'DefineItem', data: { definition, occurredAt, definedBy } }, table);
      if (!decision.ok) return { ok: false, refusal: decision.error };
      for (const event of decision.events) itemTableDecider.evolve(table, event);
      return { ok: true, answer: decision.answer };
    },
    async list() {
      if (itemDesk.failWith) throw itemDesk.failWith;
      return [...table.items.values()].map(({ item, version, definedAt }) => ({ item, version, definedAt }));
    },
  };

  // The agreements, decided by the router's real agreement decider.
  const agreementDecider = routerAgreementDecider({ calendar });
  const agreements = new Map<string, AgreementState>();
  const agreementDesk: MemoryDesks['agreementDesk'] = {
    commands: [],
    async step(command) {
      if (agreementDesk.failWith) throw agreementDesk.failWith;
      agreementDesk.commands.push(command);
      const state = agreements.get(command.data.agreementId) ?? agreementDecider.initialState();
      const decision = agreementDecider.decide(command, state);
      if (!decision.ok) return { ok: false, refusal: decision.error };
      agreements.set(command.data.agreementId, decision.events.reduce((folded, event) => agreementDecider.evolve(folded, event), state));
      return { ok: true, events: decision.events.map((event) => ({ type: event.type, eventId: event.data.eventId })), agreement: decision.answer };
    },
    async read(agreementId, asOf) {
      if (agreementDesk.failWith) throw agreementDesk.failWith;
      const state = agreements.get(agreementId);
      return state ? agreementView(state, calendar, shanghaiDate(asOf)) : undefined;
    },
    async list(department, asOf) {
      if (agreementDesk.failWith) throw agreementDesk.failWith;
      return [...agreements.values()].filter((s) => s.subscriber === department || s.owner === department).map((s) => agreementView(s, calendar, shanghaiDate(asOf)));
    },
  };

  return { caseDesk, itemDesk, agreementDesk };
}
