import { randomUUID } from 'node:crypto';
import { createTopicReader, headerText, topicEndOffsets, type EventCodec, type Kafka, type Logger, type RecordSender, type TopicReader } from '@hub/runtime';
import {
  COMMAND_ID_HEADER,
  COMMANDS_TOPIC,
  OUTCOMES_TOPIC,
  commandKey,
  decodeOutcome,
  idempotentCommandId,
  encodeCommand,
  agreementView,
  evolveAgreement,
  evolveItemTable,
  initialAgreementState,
  type AgreementEvent,
  type AgreementRefusal,
  type AgreementState,
  type AgreementView,
  initialItemTable,
  type CaseSummary,
  type CaseView,
  type ItemDefinitionAnswer,
  type ItemRefusal,
  type Outcome,
  type RouterCommand,
} from '@hub/router';
import { shanghaiDate, type WorkingCalendar } from '@hub/calendar';
import { topicFor } from '@hub/schemas';
import type { AgreementDesk } from '../agreements/agreement-desk.ts';
import type { CaseDesk, DefinedItem, ItemDesk, StepIdempotency, StepOutcome } from './case-desk.ts';

export interface KafkaCaseDeskOptions {
  kafka: Kafka;
  events: EventCodec;
  sender: RecordSender;
  logger: Logger;
  instanceId: string;
  /** How long a step waits for the router's answer before the caller is told to retry (503). */
  answerTimeoutMs: number;
  /** The calendar the agreements' due dates are counted on in lists (the router's). */
  calendar: WorkingCalendar;
}

export class RouterTimeoutError extends Error {
  override name = 'RouterTimeoutError';
}

/**
 * The router over Kafka: each step is a command on `cases.commands` (key =
 * the case id, so it lands on the partition of the case's events), answered
 * on `cases.outcomes` in the same transaction as the events it led to. The
 * answer is read from the outcomes (read_committed), so a 2xx means the events
 * are committed; a read is a command too, so it sees every step before it.
 * The item list is the gateway's own replay of `items.events`, caught up
 * before each answer.
 */
export async function createKafkaCaseDesk(options: KafkaCaseDeskOptions): Promise<CaseDesk & ItemDesk & { agreements: AgreementDesk; close(): Promise<void>; readonly healthy: boolean }> {
  const { kafka, events, sender, instanceId, calendar } = options;
  const logger = options.logger.child({ component: 'case-desk' });
  const waiting = new Map<string, { resolve(outcome: Outcome): void; reject(error: Error): void; settled: Promise<void> | undefined }>();

  // Only answers to this instance's commands matter, and only those asked from now on.
  const outcomesFrom = await topicEndOffsets(kafka, OUTCOMES_TOPIC);
  const outcomes = createTopicReader({
    kafka, logger, topic: OUTCOMES_TOPIC, groupPrefix: `hub-${instanceId}-outcomes`, maxWaitTimeInMs: 100,
    resumeFrom: () => outcomesFrom,
    onRecords(_partition, records) {
      for (const record of records) {
        // Most answers are for other gateways' commands: the header says whose, without parsing the answer.
        const commandId = headerText(record.headers, COMMAND_ID_HEADER);
        if (!record.value || commandId === undefined || !waiting.has(commandId)) continue;
        let outcome: Outcome;
        try {
          outcome = decodeOutcome(record.value);
        } catch (error) {
          logger.warn({ err: error, offset: record.offset }, 'an outcome is not JSON; skipped');
          continue;
        }
        waiting.get(outcome.commandId)?.resolve(outcome);
      }
    },
  });
  const items = initialItemTable();
  const itemsReader: TopicReader = createTopicReader({
    kafka, logger, topic: topicFor('ItemDefined'), groupPrefix: `hub-${instanceId}-items`,
    async onRecords(_partition, records) {
      for (const record of records) {
        const event = await events.fromRecord(record);
        if (event.type !== 'ItemDefined') continue;
        const current = items.items.get(event.data.itemCode);
        if (!current || current.version < event.data.version) evolveItemTable(items, { type: 'ItemDefined', data: event.data });
      }
    },
  });
  // The agreements as the router decides them, for the lists (a read of one goes to the router).
  const agreements = new Map<string, AgreementState>();
  const agreementsReader: TopicReader = createTopicReader({
    kafka, logger, topic: topicFor('AgreementRequested'), groupPrefix: `hub-${instanceId}-agreements`,
    async onRecords(_partition, records) {
      for (const record of records) {
        const event = await events.fromRecord(record);
        const data = event.data as { agreementId?: string; eventId: string };
        if (!data.agreementId) continue;
        const state = agreements.get(data.agreementId) ?? initialAgreementState();
        if (Number(data.eventId.slice(data.eventId.lastIndexOf(':') + 1)) !== state.version + 1) continue;
        agreements.set(data.agreementId, evolveAgreement(state, event as unknown as AgreementEvent));
      }
    },
  });
  await Promise.all([outcomes.start(), itemsReader.start(), agreementsReader.start()]);

  async function ask(command: RouterCommand, idempotency?: StepIdempotency): Promise<Outcome> {
    const commandId = idempotency ? idempotentCommandId(idempotency.owner, idempotency.key) : `${instanceId}:${randomUUID()}`;
    // Two retries of one key in flight at once would wait for the same answer: the second waits for the first.
    await waiting.get(commandId)?.settled;
    const answered = new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(commandId);
        reject(new RouterTimeoutError(`the router did not answer ${command.type} within ${options.answerTimeoutMs} ms`));
      }, options.answerTimeoutMs);
      const settle = () => {
        clearTimeout(timer);
        waiting.delete(commandId);
      };
      waiting.set(commandId, {
        resolve: (outcome) => { settle(); resolve(outcome); },
        reject: (error) => { settle(); reject(error); },
        settled: undefined,
      });
    });
    const entry = waiting.get(commandId);
    if (entry) entry.settled = answered.then(() => undefined, () => undefined);
    try {
      await sender.send({ topic: COMMANDS_TOPIC, messages: [{ key: commandKey(command), value: encodeCommand({ commandId, ...(idempotency ? { fingerprint: idempotency.fingerprint } : {}), command }) }] });
    } catch (error) {
      waiting.get(commandId)?.reject(error as Error);
    }
    return answered;
  }

  const agreementDesk: AgreementDesk = {
    async step(command) {
      const outcome = await ask(command);
      if (!outcome.ok) return { ok: false, refusal: outcome.refusal as AgreementRefusal };
      return { ok: true, events: outcome.events, agreement: outcome.agreement as AgreementView };
    },
    async read(agreementId, asOf) {
      const outcome = await ask({ type: 'ReadAgreement', data: { agreementId, asOf } });
      return outcome.ok && outcome.agreement ? outcome.agreement : undefined;
    },
    async list(department, asOf) {
      await agreementsReader.catchUp();
      return [...agreements.values()]
        .filter((state) => state.subscriber === department || state.owner === department)
        .map((state) => agreementView(state, calendar, shanghaiDate(asOf)));
    },
  };

  return {
    agreements: agreementDesk,
    get healthy() {
      return outcomes.failure === undefined && itemsReader.failure === undefined && agreementsReader.failure === undefined;
    },
    async step(command, idempotency): Promise<StepOutcome> {
      const outcome = await ask(command, idempotency);
      const replayed = outcome.replayed === true ? { replayed: true } : {};
      if (!outcome.ok) return { ok: false, refusal: outcome.refusal as Extract<StepOutcome, { ok: false }>['refusal'], ...replayed };
      return { ok: true, events: outcome.events, case: outcome.case as CaseSummary, ...replayed };
    },
    async read(caseId, asOf) {
      const outcome = await ask({ type: 'ReadCase', data: { caseId, asOf } });
      // A read answers the whole view, history included.
      return outcome.ok && outcome.case ? (outcome.case as CaseView) : undefined;
    },
    async define(definition, definedBy, occurredAt) {
      const itemCode = String((definition as { code?: unknown } | null)?.code ?? '');
      const outcome = await ask({ type: 'DefineItem', data: { itemCode, definition, occurredAt, definedBy } });
      if (!outcome.ok) return { ok: false, refusal: outcome.refusal as ItemRefusal };
      return { ok: true, answer: outcome.item as ItemDefinitionAnswer };
    },
    async list(): Promise<DefinedItem[]> {
      await itemsReader.catchUp();
      return [...items.items.values()].map(({ item, version, definedAt }) => ({ item, version, definedAt }));
    },
    async close() {
      for (const answer of waiting.values()) answer.reject(new Error('the gateway is closing'));
      await Promise.all([outcomes.close(), itemsReader.close(), agreementsReader.close()]);
    },
  };
}
