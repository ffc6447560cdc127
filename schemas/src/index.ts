export type * from '../generated/types.ts';
export { departments, isDepartmentCode, type DepartmentCode } from './departments.ts';
export type { CatalogueEntry, SharingCondition, UpdateCycle } from './catalogue.ts';
export {
  eventTypes,
  eventType,
  isEventName,
  topicFor,
  subjectName,
  type Area,
  type EventType,
  type HubEventType,
  type RecordEventType,
} from './manifest.ts';
export { loadSchema, avroType, createAvroType, schemaHistory, packageRoot, type AvroSchema, type SchemaVersion } from './load.ts';
export { encodeEvent, decodeEvent } from './codec.ts';
export { canRead, type Compatibility } from './compat.ts';
export { sensitiveFields, type SensitiveField } from './tags.ts';
export { sexGbCodes, sexFromGbCode } from './codes.ts';
export { logicalTypes, DateType, DecimalType, TimestampMillisType } from './logical/index.ts';
export { sensitiveTags, type SensitiveTag, type RecordSchemaJson, type FieldJson, type AvroTypeJson, type ComplexTypeJson } from './schema-json.ts';
