import { departments, eventTypes, topicFor } from '@hub/schemas';

/**
 * The topics the projection reads: every topic an event type of schemas/
 * lives on (cases, items, supervision, exchange, deliveries per department,
 * records per resource). Commands, outcomes, dead letters, ledgers and the
 * audit chains are not events of the hub's schemas and are not read.
 */
export function projectedTopics(): string[] {
  const topics = new Set<string>();
  for (const eventType of eventTypes) {
    if (eventType.topic.includes('<dept>')) for (const department of departments) topics.add(topicFor(eventType.name, department.code));
    else topics.add(eventType.topic);
  }
  return [...topics].sort();
}
