import { defineErrors } from '@hub/runtime';

/** Every error the gateway answers with, as problem+json with code GW_<key>. */
export const errors = defineErrors('GW', {
  MISSING_TOKEN: [401, 'a bearer token is required (Authorization: Bearer <token>)'],
  INVALID_TOKEN: [401, 'the bearer token is not valid'],
  FORBIDDEN_RESOURCE: [403, '%s may not publish %s: a department publishes only its own resources'],
  FORBIDDEN_CASES: [403, '%s may not submit cases'],
  /** A role the step is not for: the principal, the step ("accept case GW-…"), who takes it. */
  FORBIDDEN_STEP: [403, '%s may not %s: %s'],
  /** The case aggregate's own refusal of a department acting on a task not addressed to it (NotAsked, NotLeadDepartment). */
  NOT_YOUR_TASK: [403, '%s'],
  FORBIDDEN_CASE: [403, '%s may not read case %s: only the windows, the operator, its lead department and the departments asked to co-approve it do'],
  FORBIDDEN_ITEMS: [403, '%s may not define items: only the operator does'],
  UNKNOWN_DEPARTMENT: [404, 'unknown department %s'],
  UNKNOWN_RESOURCE: [404, 'department %s has no resource %s'],
  UNKNOWN_CASE: [404, 'no case %s has been submitted'],
  UNKNOWN_AGREEMENT: [404, 'no agreement %s has been requested'],
  /** A role that takes no part in sharing agreements (a window), or a department reading another's. */
  FORBIDDEN_AGREEMENT: [403, '%s may not %s'],
  /** The agreement aggregate's own refusal of a department that is not its owner or party (NotOwner, NotParty). */
  NOT_YOUR_AGREEMENT: [403, '%s'],
  INVALID_AGREEMENT: [400, 'the agreement request is not valid'],
  /** The agreement aggregate refused the change in the agreement's state; the detail is its message. */
  AGREEMENT_REFUSED: [409, '%s'],
  /** A role that asks no data requests (a window, the operator), or a department reading or answering another's. */
  FORBIDDEN_EXCHANGE: [403, '%s may not %s'],
  /** The router's refusal of a department that is not the owner of a forwarded request, or no party to it. */
  NOT_YOUR_REQUEST: [403, '%s'],
  /** The detail is the router's message (no data request under that id). */
  UNKNOWN_REQUEST: [404, '%s'],
  /** The router named the fields at fault; the detail is its message. */
  INVALID_REQUEST: [400, '%s'],
  /** The request was answered already, or its deadline passed; the detail is the router's message. */
  REQUEST_CLOSED: [409, '%s'],
  BATCH_TOO_LARGE: [413, 'a push holds at most %d records (GATEWAY_MAX_BATCH); this one holds %d'],
  /** A JSON body nested deeper than GATEWAY_MAX_JSON_DEPTH; the problem names the item. */
  TOO_DEEP: [400, 'the JSON body nests deeper than %d levels (GATEWAY_MAX_JSON_DEPTH)'],
  /**
   * A push whose records or dead letters Kafka refused as too large (MESSAGE_TOO_LARGE): retrying it as is
   * fails again, so it is no 503. The record bounds keep every message under the broker's limit; this answers
   * a broker set lower than they assume.
   */
  TOO_LARGE_FOR_KAFKA: [413, 'Kafka refused a record of this push (or its dead letter) as too large; push smaller records, or fewer at a time'],
  NOT_A_BATCH: [400, 'the body must be a JSON array of records, or NDJSON (one record a line) with Content-Type application/x-ndjson'],
  INVALID_CASE: [400, 'the case is not valid'],
  INVALID_STEP: [400, 'the step is not valid'],
  INVALID_ITEM: [400, 'the item definition is not valid'],
  IDEMPOTENCY_KEY_REUSED: [409, 'Idempotency-Key %s was used for a different submission'],
  /** The case aggregate refused the transition in the case's state; the detail is its message. */
  STEP_REFUSED: [409, '%s'],
  RATE_LIMITED: [429, '%s made more than %d calls within the window (GATEWAY_RATE_LIMIT); retry in %s'],
  UNAVAILABLE: [503, 'the gateway cannot reach Kafka, the registry or the router right now; retry later'],
});

/** Seconds a client waits before retrying a 503 (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;
