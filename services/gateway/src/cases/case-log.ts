import type { CaseSubmitted } from '@hub/schemas';

/** The content of a CaseSubmitted before the gateway gives it its ids. */
export type CaseContent = Omit<CaseSubmitted, 'eventId' | 'caseId'>;

export interface SubmitCase {
  content: CaseContent;
  /**
   * With an Idempotency-Key: the caller (department or window) and its key. The
   * same owner and key always give the same case, published once.
   */
  idempotency?: { owner: string; key: string; fingerprint: string };
}

export type SubmitOutcome =
  | { kind: 'published'; caseId: string; eventId: string }
  /** The key was used before for the same submission: its case, nothing published now. */
  | { kind: 'replayed'; caseId: string; eventId: string }
  /** The key was used before for a different submission. */
  | { kind: 'conflict' };

/** The port behind POST /v1/cases: put CaseSubmitted on cases.events once. */
export interface CaseLog {
  submit(request: SubmitCase): Promise<SubmitOutcome>;
  close(): Promise<void>;
}
