export { buildApp, catalogApp, type CatalogDeps } from './app.ts';
export { configSchema, loadCatalogConfig, type CatalogConfig } from './config.ts';
export { Catalog, RegistryFailure } from './catalog.ts';
export type { SchemaStore } from './store/schema-store.ts';
export { kafkaSchemaStore } from './store/kafka-store.ts';
export { inMemorySchemaStore, InMemoryLog } from './store/in-memory-store.ts';
export { listResources, taggedFieldsOf } from './catalogue/resources.ts';
export { maskingTags, sharingConditions, type SchemaMetadata } from './metadata/government-metadata.ts';
export { compatibilityLevels, type CompatibilityLevel } from './avro/compatibility.ts';
