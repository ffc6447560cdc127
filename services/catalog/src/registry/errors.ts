/**
 * Why the registry refuses a command or cannot answer a query. The HTTP layer
 * maps each one to Confluent's status and error code (http/confluent-errors.ts).
 */
export type RegistryError =
  | { type: 'SubjectNotFound'; subject: string }
  | { type: 'VersionNotFound'; subject: string; version: number }
  | { type: 'SchemaNotFound'; id?: number }
  | { type: 'SubjectSoftDeleted'; subject: string }
  | { type: 'SubjectNotSoftDeleted'; subject: string }
  | { type: 'VersionSoftDeleted'; subject: string; version: number }
  | { type: 'VersionNotSoftDeleted'; subject: string; version: number }
  | { type: 'SubjectCompatibilityNotConfigured'; subject: string }
  | { type: 'SubjectModeNotConfigured'; subject: string }
  | { type: 'IncompatibleSchema'; subject: string; messages: string[] }
  | { type: 'InvalidSchema'; reason: string }
  | { type: 'InvalidVersion'; version: string }
  | { type: 'InvalidCompatibilityLevel'; value: string }
  | { type: 'InvalidMode'; value: string }
  | { type: 'OperationNotPermitted'; reason: string }
  | { type: 'ReferenceExists'; subject: string; version: number; referencedBy: number[] }
  | { type: 'IdDoesNotMatch'; id: number }
  | { type: 'InvalidSubject'; subject: string };

export type Result<T> = { ok: true; value: T } | { ok: false; error: RegistryError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: RegistryError): Result<T> => ({ ok: false, error });
