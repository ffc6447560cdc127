import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import './request-queue.ts';

const require = createRequire(import.meta.url);
const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as new (options: object) => {
  push(request: { entry: { correlationId: number; apiKey: number; apiName: string; apiVersion: number; resolve: () => void; reject: () => void }; expectResponse: boolean; sendRequest: () => void }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
  throttleCheckTimeoutId: unknown;
};
const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const queue = (maxInFlightRequests: number) => new RequestQueue({ maxInFlightRequests, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: 'b:9092', logger });
const request = (correlationId: number, sent: number[]) => ({ entry: { correlationId, apiKey: 0, apiName: 'Produce', apiVersion: 3, resolve: () => {}, reject: () => {} }, expectResponse: true, sendRequest: () => sent.push(correlationId) });

describe("kafkajs' request queue without its idle loop", () => {
  afterEach(() => vi.useRealTimers());

  it('schedules nothing once a response leaves nothing waiting (kafkajs 2.2.4 ran a check every millisecond from then on)', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const q = queue(1);
    q.push(request(1, sent));
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(q.throttleCheckTimeoutId).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
    q.destroy();
  });

  it('still sends a request held by the in-flight limit when the one before it is answered', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const q = queue(1);
    q.push(request(1, sent));
    q.push(request(2, sent));
    expect(sent).toEqual([1]);
    q.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(sent).toEqual([1, 2]);
    q.destroy();
  });

  it('still sends what waits on a broker throttle when the throttle ends', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const q = queue(5);
    q.maybeThrottle(50);
    q.push(request(1, sent));
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(49);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(20);
    expect(sent).toEqual([1]);
    q.destroy();
  });
});
