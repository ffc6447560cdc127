import type { Kafka } from 'kafkajs';

/**
 * The end offset (high watermark) of each partition of a topic. Right after a
 * topic is created, or while the broker elects leaders, the broker answers
 * "not the leader" for a moment and kafkajs' admin does not retry that itself;
 * retriable answers are retried here with a growing pause.
 */
export async function topicEndOffsets(kafka: Kafka, topic: string, { attempts = 10 } = {}): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
      } catch (error) {
        const retriable = (error as { retriable?: boolean }).retriable === true;
        if (!retriable || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)));
      }
    }
  } finally {
    await admin.disconnect();
  }
}
