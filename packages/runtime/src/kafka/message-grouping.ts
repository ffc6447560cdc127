import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 groups a produce call's messages by partition with
 * `[...current, message]` for each message: every message copies the
 * partition's list so far, so a call of n messages copies about n²/2 array
 * slots (a transaction's 512 KiB request of a thousand deliveries, a few
 * hundred thousand; its batch of ten thousand, tens of millions) and leaves as
 * much garbage. `groupMessagesPerPartition` returns the same grouping (the
 * partitioner's partition of each message, in order) by appending. Swapped in
 * the module cache before kafkajs' producer is loaded, as `read-committed.ts`
 * is, by the files of this package that load kafkajs.
 */

const require = createRequire(import.meta.url);

interface GroupArgs<M> {
  topic: string;
  partitionMetadata: readonly unknown[];
  messages: readonly M[];
  partitioner: (args: { topic: string; partitionMetadata: readonly unknown[]; message: M }) => number;
}

export function groupMessagesPerPartition<M>({ topic, partitionMetadata, messages, partitioner }: GroupArgs<M>): Record<number, M[]> {
  const result: Record<number, M[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (result[partition] ??= []).push(message);
  }
  return result;
}

const groupingPath = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
const sendMessagesPath = require.resolve('kafkajs/src/producer/sendMessages.js');

// Only before kafkajs' producer has loaded the module: afterwards it keeps kafkajs' own (slower, same result).
if (!require.cache[sendMessagesPath]) {
  require(groupingPath);
  const cached = require.cache[groupingPath];
  if (cached) cached.exports = groupMessagesPerPartition;
}
