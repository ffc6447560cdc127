import { Worker } from 'node:worker_threads';
import type { Logger } from '@hub/runtime';
import { AuditScribeError } from './audit.ts';

export interface AuditThreadOptions {
  /** The service's name in the thread's logs. */
  service: string;
  logLevel: string;
  brokers: string;
  /** The thread's Kafka and registry clients are `<clientId>-audit`. */
  clientId: string;
  registryUrl: string;
  /** HUB_DATA_DIR: the signing key of the chain heads is kept there. */
  dataDir: string;
  topic?: string;
  sessionTimeoutMs?: number;
}

/** What the thread tells its parent. */
export type AuditThreadMessage =
  | { type: 'started'; healthy: boolean }
  | { type: 'failed'; message: string }
  | { type: 'health'; healthy: boolean }
  | { type: 'stopped'; error?: string };

export interface AuditThread {
  /** Whether the thread runs and its exchange.monitoring consumer is healthy. */
  readonly healthy: boolean;
  /** Stops the scribe cleanly (it signs the heads it holds), then the thread. */
  stop(): Promise<void>;
}

/**
 * The audit scribe (audit.ts) in a worker thread of its own, with its own
 * Kafka and registry clients: chaining, hashing and signing the trail then
 * take the other core rather than the router's event loop, which answers the
 * data requests and makes the deliveries. The scribe's guarantees are its
 * own (one consumer group, exactly once, a chain per partition), so running it
 * beside the router rather than inside changes none of them. A thread that
 * dies makes the router unhealthy, as a stopped consumer does.
 */
export async function startAuditThread(options: AuditThreadOptions, logger: Logger): Promise<AuditThread> {
  const worker = new Worker(new URL('./audit-worker.mjs', import.meta.url), { workerData: options });
  let healthy = false;
  let running = true;
  const stopped = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      running = false;
      resolve();
      if (code !== 0) logger.error({ code }, 'the audit scribe\'s thread exited');
    });
  });
  worker.on('error', (error) => logger.error({ err: error }, 'the audit scribe\'s thread failed'));
  worker.on('message', (message: AuditThreadMessage) => {
    if (message.type === 'health') {
      healthy = message.healthy;
      if (!healthy) logger.error('the exchange.monitoring consumer of the audit trail has stopped');
    }
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: AuditThreadMessage) => {
      if (message.type === 'started') {
        healthy = message.healthy;
        worker.off('message', onMessage);
        resolve();
      } else if (message.type === 'failed') {
        reject(new AuditScribeError(message.message));
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    void stopped.then(() => reject(new AuditScribeError('the audit scribe\'s thread exited before it started')));
  });
  return {
    get healthy() {
      return running && healthy;
    },
    async stop() {
      if (!running) return;
      const done = new Promise<void>((resolve) => {
        worker.on('message', (message: AuditThreadMessage) => {
          if (message.type !== 'stopped') return;
          if (message.error) logger.warn({ detail: message.error }, 'the audit scribe did not stop cleanly');
          resolve();
        });
      });
      worker.postMessage({ type: 'stop' });
      await Promise.race([done, stopped]);
      // Its clients are disconnected by now; a handle left open must not hold the router's stop.
      const linger = setTimeout(() => void worker.terminate(), 5_000);
      await stopped;
      clearTimeout(linger);
    },
  };
}
