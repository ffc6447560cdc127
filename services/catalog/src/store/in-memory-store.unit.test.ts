import { InMemoryLog, inMemorySchemaStore } from './in-memory-store.ts';
import { schemaStoreContract } from './schema-store.contract.ts';

schemaStoreContract('in memory', () => {
  const log = new InMemoryLog();
  return { store: () => inMemorySchemaStore(log) };
});
