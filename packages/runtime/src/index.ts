export { loadConfig, commonConfig, brokerList, ConfigError } from './config.ts';
export { createLogger, type Logger } from './logger.ts';
export { createAvroSerde, schemaIdOf, wireEncoder, type AvroSerde, type AvroType } from './serde.ts';
export { defineErrors, problemJsonErrorHandler, type Problem } from './errors.ts';
export { observability, type HealthCheck } from './observability.ts';
export { runService, type ServiceDefinition } from './run-service.ts';
export { backoffCeiling, backoffDelay, retry, sleep, type RetryOptions, type RetryPolicy } from './async/backoff.ts';
export { KeyOrder, remembered, Semaphore, SerialQueue } from './async/queues.ts';
export * from './kafka/index.ts';
