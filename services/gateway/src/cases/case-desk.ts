import type { CaseCommand, CaseRefusal, CaseSummary, CaseView, Item, ItemDefinitionAnswer, ItemRefusal, WireRefusal } from '@hub/router';

/** Every step a window or a department takes on a submitted case (submission itself goes through the CaseLog). */
export type StepCommand = Exclude<CaseCommand, { type: 'SubmitCase' }>;

/** What the router decided about one step. */
export type StepOutcome = (
  /** Committed: the events written (in order) and the case as it stands after them (without its history). */
  | { ok: true; events: Array<{ type: string; eventId: string }>; case: CaseSummary }
  /**
   * Refused by the case aggregate, nothing written (`refusal.field` set: 400
   * naming it; else 409); or IdempotencyKeyReused: the key was used before
   * for another request.
   */
  | { ok: false; refusal: CaseRefusal | WireRefusal }
) & {
  /** The step was taken before with the same Idempotency-Key and request: this is the first answer again, nothing new was written. */
  replayed?: boolean;
};

/** A step sent with an Idempotency-Key: who sent it, the key, and the digest of the request (route, case and body). */
export interface StepIdempotency {
  owner: string;
  key: string;
  fingerprint: string;
}

/**
 * The port behind the case steps and `GET /v1/cases/{caseId}`: the router's
 * case aggregate, reached over Kafka (`cases.commands` → the router →
 * `cases.events` + `cases.outcomes`). Both calls are consistent with every
 * step answered before them.
 */
export interface CaseDesk {
  /** With `idempotency`, a retry of the same request is answered as the first time, and decides nothing again. */
  step(command: StepCommand, idempotency?: StepIdempotency): Promise<StepOutcome>;
  /** The case as of `asOf` (its working days used count to that date), or undefined when no such case was submitted. */
  read(caseId: string, asOf: Date): Promise<CaseView | undefined>;
}

export interface DefinedItem {
  item: Item;
  version: number;
  definedAt: Date;
}

export type DefineOutcome = { ok: true; answer: ItemDefinitionAnswer } | { ok: false; refusal: ItemRefusal };

/** The port behind `PUT /v1/items/{itemCode}` and `GET /v1/items`: the router's item table. */
export interface ItemDesk {
  /** `definition` is the body with the path's code as `code`; checked by the router's item rules. */
  define(definition: unknown, definedBy: string, occurredAt: Date): Promise<DefineOutcome>;
  /** Every item as the router's table has it now, consistent with every definition answered before. */
  list(): Promise<DefinedItem[]>;
}
