import type { AgreementRefusal, AgreementResource, AgreementStep, AgreementView } from '@hub/router';

export type AgreementOutcome =
  /** Committed: the events written and the agreement after them. */
  | { ok: true; events: Array<{ type: string; eventId: string }>; agreement: AgreementView }
  /** Refused by the agreement aggregate; nothing written. `refusal.field` set: 400 naming it. */
  | { ok: false; refusal: AgreementRefusal };

/**
 * The port behind `/v1/agreements`: the router's sharing agreements (共享协议),
 * reached over Kafka as the cases are. Reads are consistent with every change
 * answered before them.
 */
export interface AgreementDesk {
  step(command: AgreementStep): Promise<AgreementOutcome>;
  /** The agreement as of `asOf`, or undefined when none was requested under that id. */
  read(agreementId: string, asOf: Date): Promise<AgreementView | undefined>;
  /** Every agreement `department` subscribes to or owns, as of `asOf`. */
  list(department: string, asOf: Date): Promise<AgreementView[]>;
}

/** The catalog's entry for a resource code, as an agreement is decided on it; null when the catalog does not know it. */
export type ResourceLookup = (resourceCode: string) => Promise<AgreementResource | null>;
