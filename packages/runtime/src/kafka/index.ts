export { createKafka } from './client.ts';
export { ensureTopics, topicEndOffsets, type TopicSpec } from './topics.ts';
export { keyHashPartitioner } from './record-encoding.ts';
export { cloudEventHeaders, readCloudEvent, type CloudEventAttributes } from './cloudevents.ts';
export {
  consumedRecord,
  headerText,
  headersAsText,
  packRequests,
  recordBytes,
  type Admin,
  type ConsumedMessage,
  type ConsumedRecord,
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type OutgoingRecord,
  type Producer,
  type RecordHeaders,
  type SentRecords,
  type TopicRecords,
} from './records.ts';
export {
  createTransactionalProducer,
  DEFAULT_REQUEST_BYTES,
  isFencing,
  isTooLarge,
  ProducerFencedError,
  type TransactionalProducer,
  type TransactionalProducerOptions,
  type TransactionOffsets,
} from './transactional-producer.ts';
export { createTopicReader, readToEnd, readUntil, ReaderStoppedError, ReaderTimeoutError, type TopicReader, type TopicReaderOptions } from './topic-reader.ts';
export { createExactlyOnceProcessor, type ExactlyOnceOptions, type ExactlyOnceProcessor, type InputBatch } from './exactly-once.ts';
export { createEventCodec, eventKey, eventNameOf, EventCodecError, type EventCodec, type EventMetadata, type HubEvent, type ReadEvent } from './event-codec.ts';
export { kafkaPlugin, type KafkaPluginOptions, type RecordSender } from './plugin.ts';
