import { LEDGER_TOPIC, type ConnectorLedger, type LedgerEntry } from '@hub/connector-core';
import { createTransactionalProducer, SerialQueue, type EventCodec, type Kafka, type Logger } from '@hub/runtime';
import type { CaseSubmitted } from '@hub/schemas';
import { caseIdFor, submittedEventId } from './case-id.ts';
import type { CaseLog, SubmitCase, SubmitOutcome } from './case-log.ts';

/** The gateway's case submissions in the once-only ledger, beside the department connectors. */
export const CASES_LEDGER_CONNECTOR = 'gateway-cases';

export interface KafkaCaseLogOptions {
  kafka: Kafka;
  events: EventCodec;
  /** openLedger({ connector: CASES_LEDGER_CONNECTOR, instanceId, … }), not started yet. */
  ledger: ConnectorLedger;
  logger: Logger;
  instanceId: string;
}

/**
 * CaseSubmitted on cases.events, once. A submission with an Idempotency-Key
 * gets a case id derived from the caller and the key, and is published in one
 * Kafka transaction together with its ledger entry on ledger.connectors (the
 * once-only ledger of connectors/core). The entry holds the event id and
 * `<caseId>#<fingerprint of the body>`:
 *   - the fingerprint id known: the same submission again, answered with its case, nothing published;
 *   - only the event id known: the key was used for another body (409);
 *   - neither: published now.
 * A crash between the commit and the local ledger write loses nothing: the
 * ledger catches up from the topic on start. Submissions go one at a time (one
 * transaction at a time per producer), which also settles two concurrent
 * retries of one key.
 */
export async function createKafkaCaseLog(options: KafkaCaseLogOptions): Promise<CaseLog> {
  const { kafka, events, ledger, instanceId } = options;
  const logger = options.logger.child({ component: 'case-log' });
  const producer = createTransactionalProducer({ kafka, logger, transactionalId: `hub-gateway-cases-${instanceId}` });
  await producer.connect(); // fences this instance's previous run and aborts its open transaction
  await ledger.start();
  const queue = new SerialQueue();
  let closed = false;

  async function publish(event: CaseSubmitted, ledgerIds: string[]): Promise<void> {
    const { topic, record } = await events.toRecord({ type: 'CaseSubmitted', data: event, metadata: { source: `/centres/${event.centreId}`, correlationId: event.caseId } });
    const entry: LedgerEntry = { connector: CASES_LEDGER_CONNECTOR, instanceId, eventIds: ledgerIds, rejectionIds: [] };
    await producer.commit([
      { topic, messages: [record] },
      { topic: LEDGER_TOPIC, messages: [{ key: CASES_LEDGER_CONNECTOR, value: JSON.stringify(entry) }] },
    ]);
    ledger.recordCommitted(entry);
  }

  async function submit(request: SubmitCase): Promise<SubmitOutcome> {
    const caseId = caseIdFor(request.idempotency);
    const eventId = submittedEventId(caseId);
    const ledgerIds = [eventId];
    if (request.idempotency) {
      const sameBody = `${caseId}#${request.idempotency.fingerprint}`;
      const known = ledger.known([eventId, sameBody]);
      if (known.has(sameBody)) return { kind: 'replayed', caseId, eventId };
      if (known.has(eventId)) return { kind: 'conflict' };
      ledgerIds.push(sameBody);
    }
    await publish({ ...request.content, caseId, eventId }, ledgerIds);
    logger.info({ caseId, eventId, idempotent: request.idempotency !== undefined }, 'case submitted');
    return { kind: 'published', caseId, eventId };
  }

  return {
    submit(request) {
      if (closed) return Promise.reject(new Error('case log is closed'));
      return queue.run(() => submit(request));
    },
    async close() {
      closed = true;
      await queue.drained();
      await producer.disconnect();
      await ledger.close();
    },
  };
}
