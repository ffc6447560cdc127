import { defineErrors } from '@hub/runtime';

/** Every error the analytics API answers with, as problem+json with code AN_<key>. */
export const errors = defineErrors('AN', {
  /** A filter that passed its schema but means nothing: a date that does not exist, a period that ends before it starts. */
  BAD_FILTER: [400, 'filter %s: %s'],
  UNKNOWN_CASE: [404, 'no event of case %s has been projected'],
  STORE_UNAVAILABLE: [503, 'the analytics store does not answer right now; retry later'],
});
