import { inMemorySchemaStore } from '../store/in-memory-store.ts';
import { catalogApiContract } from './catalog-api.contract.ts';

catalogApiContract('in-memory', () => inMemorySchemaStore());
