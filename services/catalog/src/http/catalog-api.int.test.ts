import { createKafka, createLogger } from '@hub/runtime';
import { testBrokers, uniqueName } from '@hub/test-support';
import { kafkaSchemaStore } from '../store/kafka-store.ts';
import { catalogApiContract } from './catalog-api.contract.ts';

const logger = createLogger('catalog-api-int', 'warn');

catalogApiContract('Kafka', () => kafkaSchemaStore({
  kafka: createKafka({ brokers: testBrokers(), clientId: 'catalog-api-int', logger }),
  topic: uniqueName('_schemas.api'),
  logger,
}), 60_000);
