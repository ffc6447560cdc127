import { type CaseEvent, type CaseState, evolveCase, initialCaseState } from '@hub/router';

/**
 * A case as the projection holds it: the router's own case state (its
 * `evolveCase`, so the figures count what the router decided) and the little
 * the figures need beyond it.
 */
export interface ProjectedCase {
  state: CaseState;
  /** The division of the centre that took the application (CaseSubmitted). */
  divisionCode: string;
  /** When the case was accepted or refused at intake. */
  intakeAt?: Date;
}

/** A case event with its place in the case: `eventId` is `<caseId>:<version>`, version 1 the submission. */
export interface VersionedCaseEvent {
  caseId: string;
  version: number;
  event: CaseEvent;
}

/** The version a case event's id carries (`<caseId>:<n>`, as the gateway and the router write them); undefined if it carries none. */
export function caseEventVersion(caseId: string, eventId: string): number | undefined {
  if (!eventId.startsWith(`${caseId}:`)) return undefined;
  const text = eventId.slice(caseId.length + 1);
  if (!/^[1-9]\d{0,8}$/.test(text)) return undefined;
  return Number(text);
}

export function newProjectedCase(): ProjectedCase {
  return { state: initialCaseState(), divisionCode: '' };
}

/**
 * Folds one event into the case, in place. An event at or below the case's
 * version is one already folded (a batch read again after a crash) and
 * changes nothing: that is what makes the projection idempotent. Answers
 * whether the event was new, and whether it skipped versions (an event the
 * projection never got: a dead letter).
 */
export function foldCaseEvent(projected: ProjectedCase, versioned: VersionedCaseEvent): { applied: boolean; gap: boolean } {
  const { state } = projected;
  if (versioned.version <= state.version) return { applied: false, gap: false };
  const gap = versioned.version > state.version + 1;
  const { event } = versioned;
  evolveCase(state, event);
  // The router's version counts events; a gap keeps the numbering of the ids.
  state.version = versioned.version;
  // The history is the drill-down's, read from case_events: not kept per case here.
  state.history.length = 0;
  switch (event.type) {
    case 'CaseSubmitted':
      projected.divisionCode = event.data.divisionCode;
      break;
    case 'CaseAccepted':
    case 'CaseRefusedAtIntake':
      projected.intakeAt = event.data.occurredAt;
      break;
    default:
      break;
  }
  return { applied: true, gap };
}

/**
 * The cases the projection works on, most recently used first, at most
 * `capacity` of them; a case not held is read back from the store (its
 * stored events folded again), so memory stays bounded however many cases
 * the history holds.
 */
export class CaseCache {
  readonly #cases = new Map<string, ProjectedCase>();
  constructor(readonly capacity: number) {}

  get(caseId: string): ProjectedCase | undefined {
    const found = this.#cases.get(caseId);
    if (found) {
      this.#cases.delete(caseId);
      this.#cases.set(caseId, found);
    }
    return found;
  }

  set(caseId: string, projected: ProjectedCase): void {
    this.#cases.delete(caseId);
    this.#cases.set(caseId, projected);
    while (this.#cases.size > this.capacity) this.#cases.delete(this.#cases.keys().next().value!);
  }

  clear(): void {
    this.#cases.clear();
  }

  get size(): number {
    return this.#cases.size;
  }
}

/** Reads the stored events of cases (those the cache does not hold up to date), by case, in version order. */
export type StoredCaseEvents = (caseIds: readonly string[]) => Promise<Map<string, VersionedCaseEvent[]>>;

export interface FoldResult {
  /** The cases the events changed, as they stand after them. */
  touched: Map<string, ProjectedCase>;
  /** Events that skipped versions of their case. */
  gaps: number;
}

/**
 * Folds a batch's case events (in the order read: a case's events are in
 * order on its partition) into the cases, reading from the store the cases
 * the cache does not hold up to the batch's first event of each.
 */
export async function foldBatch(events: readonly VersionedCaseEvent[], cache: CaseCache, stored: StoredCaseEvents): Promise<FoldResult> {
  const byCase = new Map<string, VersionedCaseEvent[]>();
  for (const versioned of events) {
    let list = byCase.get(versioned.caseId);
    if (!list) byCase.set(versioned.caseId, (list = []));
    list.push(versioned);
  }
  const missing = new Set<string>();
  for (const [caseId, list] of byCase) {
    const held = cache.get(caseId);
    const first = list.reduce((low, e) => Math.min(low, e.version), Infinity);
    if (!held || held.state.version < first - 1) missing.add(caseId);
  }
  const loaded = missing.size === 0 ? new Map<string, VersionedCaseEvent[]>() : await stored([...missing]);
  const touched = new Map<string, ProjectedCase>();
  let gaps = 0;
  for (const [caseId, list] of byCase) {
    let projected = missing.has(caseId) ? undefined : cache.get(caseId);
    if (!projected) {
      projected = newProjectedCase();
      for (const versioned of loaded.get(caseId) ?? []) foldCaseEvent(projected, versioned);
    }
    for (const versioned of [...list].sort((a, b) => a.version - b.version)) {
      if (foldCaseEvent(projected, versioned).gap) gaps += 1;
    }
    cache.set(caseId, projected);
    touched.set(caseId, projected);
  }
  return { touched, gaps };
}
