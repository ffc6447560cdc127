import { defineErrors } from '@hub/runtime';

/** Every error the gateway answers with, as problem+json with code GW_<key>. */
export const errors = defineErrors('GW', {
  MISSING_TOKEN: [401, 'a bearer token is required (Authorization: Bearer <token>)'],
  INVALID_TOKEN: [401, 'the bearer token is not valid'],
  FORBIDDEN_RESOURCE: [403, '%s may not publish %s: a department publishes only its own resources'],
  FORBIDDEN_CASES: [403, '%s may not submit cases'],
  UNKNOWN_DEPARTMENT: [404, 'unknown department %s'],
  UNKNOWN_RESOURCE: [404, 'department %s has no resource %s'],
  BATCH_TOO_LARGE: [413, 'a push holds at most %d records (GATEWAY_MAX_BATCH); this one holds %d'],
  NOT_A_BATCH: [400, 'the body must be a JSON array of records, or NDJSON (one record a line) with Content-Type application/x-ndjson'],
  INVALID_CASE: [400, 'the case is not valid'],
  IDEMPOTENCY_KEY_REUSED: [409, 'Idempotency-Key %s was used for a different submission'],
  UNAVAILABLE: [503, 'the gateway cannot reach Kafka or the registry right now; retry later'],
});
