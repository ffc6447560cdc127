export { loadConfig, commonConfig, brokerList, ConfigError } from './config.ts';
export { createLogger, type Logger } from './logger.ts';
export { createKafka, ensureTopics, type TopicSpec } from './kafka.ts';
export { createAvroSerde, schemaIdOf, type AvroSerde } from './serde.ts';
export { cloudEventHeaders, readCloudEvent, type CloudEventAttributes } from './cloudevents.ts';
export { defineErrors, problemJsonErrorHandler, type Problem } from './errors.ts';
export { observability, type HealthCheck } from './observability.ts';
export { listen } from './service.ts';
