import { createLogger, headersAsText, readToEnd, type Kafka } from '@hub/runtime';

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | undefined;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Everything committed on `topic` up to its current end, read as a hub consumer
 * reads it (read_committed): what the tests count event ids in.
 */
export async function readCommitted(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const records = await readToEnd(kafka, topic, { logger: createLogger('test-reader', 'warn'), timeoutMs });
  return records.map((r) => ({ partition: r.partition, offset: r.offset, key: r.key?.toString(), value: r.value, headers: headersAsText(r.headers) }));
}

/** How many times each id occurs. */
export function tally(ids: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
