import { errors } from '../errors.ts';

/** What a port answers; a port that cannot answer (Kafka, the router behind it) is 503 `GW_UNAVAILABLE`, with `Retry-After`, its cause logged and hidden. */
export async function orUnavailable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw Object.assign(new errors.UNAVAILABLE(), { cause: error });
  }
}
