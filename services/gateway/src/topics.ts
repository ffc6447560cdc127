import { DEAD_LETTER_TOPIC, LEDGER_TOPIC_SPEC } from '@hub/connector-core';
import type { TopicSpec } from '@hub/runtime';
import { COMMANDS_TOPIC, OUTCOMES_TOPIC } from '@hub/router';
import { topicFor } from '@hub/schemas';
import { hubTopics } from '@hub/topology';
import type { GatewayConfig } from './config.ts';
import type { ResourceDirectory } from './records/resources.ts';

/**
 * Every topic the gateway writes, made sure of in one go by the hub's Kafka
 * plugin before the publishers start: several of them creating the same
 * missing topic at once would race (TOPIC_ALREADY_EXISTS).
 */
export function gatewayTopics(config: GatewayConfig, directory: ResourceDirectory): TopicSpec[] {
  return [
    { topic: config.GATEWAY_AUDIT_TOPIC },
    { topic: topicFor('CaseSubmitted') },
    // The router's input and answers, the item table and the agreements: made here as the router makes them, for a gateway started first.
    ...hubTopics().filter((spec) => [COMMANDS_TOPIC, OUTCOMES_TOPIC, topicFor('ItemDefined'), topicFor('AgreementRequested')].includes(spec.topic)),
    { topic: DEAD_LETTER_TOPIC },
    LEDGER_TOPIC_SPEC,
    ...directory.list().map((r) => ({ topic: r.topic })),
  ];
}
