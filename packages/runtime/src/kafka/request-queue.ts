import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4's request queue, after every response, schedules a check of
 * its pending requests, also when none is pending and no throttle holds:
 * `setTimeout(check, throttledUntil - now)`, a negative delay that Node runs
 * after 1 ms, and the check schedules the next one. Every broker connection
 * of every client (each producer, consumer and admin) so runs a callback a
 * millisecond for ever (tulios/kafkajs#1556, #1704; the fix proposed there is
 * unmerged). The check is needed only while requests wait: for the in-flight
 * limit, a response checks again; for a throttle, at its end. This is the
 * same method without the idle loop, put on kafkajs' RequestQueue prototype
 * (one class, whichever file loads it first).
 */

const require = createRequire(import.meta.url);

/** kafkajs' interval of the check while requests wait on the in-flight limit (CHECK_PENDING_REQUESTS_INTERVAL). */
const CHECK_PENDING_REQUESTS_INTERVAL = 10;

interface RequestQueueInternals {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
}

export function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  let delay: number;
  if (this.pending.length > 0) delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL;
  else if (untilUnthrottled > 0) delay = untilUnthrottled;
  else return; // nothing waits and nothing throttles: the next push sends at once or schedules a check itself
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: Partial<RequestQueueInternals> & { scheduleCheckPendingRequests?: unknown } };
RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
