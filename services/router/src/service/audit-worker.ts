/**
 * The audit scribe's thread (see audit-thread.ts): a Kafka client, a registry
 * client and the scribe of its own, told to stop by its parent and reporting
 * back whether it started and whether its consumer is healthy.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAvroSerde, createEventCodec, createKafka, createLogger } from '@hub/runtime';
import { logicalTypes } from '@hub/schemas';
import { startAuditScribe } from './audit.ts';
import type { AuditThreadMessage, AuditThreadOptions } from './audit-thread.ts';

const options = workerData as AuditThreadOptions;
const port = parentPort!;
const post = (message: AuditThreadMessage) => port.postMessage(message);
const logger = createLogger(options.service, options.logLevel).child({ thread: 'audit' });
const kafka = createKafka({ brokers: options.brokers, clientId: `${options.clientId}-audit`, logger });
const events = createEventCodec(createAvroSerde({ registryUrl: options.registryUrl, logicalTypes, clientId: `${options.clientId}-audit` }));

try {
  const scribe = await startAuditScribe({
    kafka, events, logger, dataDir: options.dataDir,
    ...(options.topic === undefined ? {} : { topic: options.topic }),
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
  });
  let healthy = scribe.processor.healthy;
  post({ type: 'started', healthy });
  const watch = setInterval(() => {
    if (scribe.processor.healthy !== healthy) {
      healthy = scribe.processor.healthy;
      post({ type: 'health', healthy });
    }
  }, 500);
  port.on('message', (message: { type: 'stop' }) => {
    if (message.type !== 'stop') return;
    clearInterval(watch);
    scribe.stop().then(
      () => post({ type: 'stopped' }),
      (error: unknown) => post({ type: 'stopped', error: error instanceof Error ? error.message : String(error) }),
    ).finally(() => port.close());
  });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  port.close();
}
