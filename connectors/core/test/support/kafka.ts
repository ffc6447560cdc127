import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | undefined;
  value: Buffer | null;
  headers: Record<string, string>;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

/**
 * Everything committed on `topic` up to its current end, read as a hub consumer
 * reads it (read_committed): what the tests count event ids in.
 */
export async function readCommitted(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  await admin.disconnect();
  const pending = new Set([...ends].filter(([, end]) => end > 0n).map(([partition]) => partition));
  const messages: ReadMessage[] = [];
  if (pending.size === 0) return messages;
  const consumer = kafka.consumer({ groupId: `test-reader-${Math.random().toString(36).slice(2)}`, maxWaitTimeInMs: 200, readUncommitted: false });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => { done = resolve; });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const end = ends.get(payload.partition);
    if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) {
      pending.delete(payload.partition);
      if (pending.size === 0) done();
    }
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages as KafkaMessage[]) {
        messages.push({ partition: batch.partition, offset: message.offset, key: message.key?.toString(), value: message.value, headers: headerText(message.headers) });
      }
    },
  });
  const timer = setTimeout(() => done(), timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  if (pending.size > 0) throw new Error(`reading ${topic} timed out with partitions ${[...pending].join(', ')} behind`);
  return messages;
}

/** How many times each id occurs. */
export function tally(ids: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
