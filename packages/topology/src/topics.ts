// Every topic the hub writes, so that `npm start`, the benchmark and the tests create the same ones.
import type { TopicSpec } from '@hub/runtime';
import { LEDGER_TOPIC_SPEC } from '@hub/connector-core';
import { eventTypes, topicFor } from '@hub/schemas';
import { departmentCodes } from './services.ts';

/** Components that dead-letter what they cannot process, each to `dlq.<component>`. */
export const deadLetterComponents = ['connectors', 'sinks', 'router', 'analytics'] as const;

/** State topics whose latest record per key is the whole truth (the item table): compacted, never expired. */
const compacted = new Set(['items.events']);

/**
 * Event logs an aggregate is restored from, which must outlive any time
 * retention: the router replays every case, alert and sharing agreement (共享协议)
 * at start, and a case open for months or an agreement granted years ago has
 * these events as its only record.
 */
const keptForever = new Set(['cases.events', 'supervision.alerts', 'exchange.agreements']);

/** Every topic the hub writes, from the schema manifest, plus dead letters and ledgers. */
export function hubTopics(): TopicSpec[] {
  const topics = new Set<string>();
  for (const eventType of eventTypes) {
    if (eventType.topic.includes('<dept>')) for (const dept of departmentCodes) topics.add(topicFor(eventType.name, dept));
    else topics.add(eventType.topic);
  }
  for (const component of deadLetterComponents) topics.add(`dlq.${component}`);
  topics.add('audit.gateway');
  return [
    ...[...topics].map((topic): TopicSpec => {
      if (compacted.has(topic)) return { topic, partitions: 3, cleanupPolicy: 'compact' };
      if (keptForever.has(topic)) return { topic, partitions: 3, retentionMs: -1 };
      return { topic, partitions: 3 };
    }),
    // The router's input and its answers (JSON), keyed by case id like cases.events, so the three are co-partitioned.
    { topic: 'cases.commands', partitions: 3 },
    { topic: 'cases.outcomes', partitions: 3, retentionMs: 24 * 60 * 60 * 1000 },
    LEDGER_TOPIC_SPEC,
    // The exchange audit trail (留痕, @hub/audit-chain): a hash chain per partition, so never compacted and never expired.
    { topic: 'audit.exchange', partitions: 3, cleanupPolicy: 'delete', retentionMs: -1 },
  ];
}
