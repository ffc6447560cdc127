export type {
  NativeRecord,
  FieldError,
  MapResult,
  MappingContext,
  ResourceMapping,
  DepartmentConnector,
} from './mapping.ts';
export { isDepartmentConnector } from './mapping.ts';
export { canonicalJson, contentHash, eventId, recordEventId, rejectionId, uuidV5, RECORD_EVENT_NAMESPACE, REJECTION_NAMESPACE, type EventIdParts } from './event-id.ts';
export {
  DEAD_LETTER_TOPIC,
  RECORD_REJECTED_TYPE,
  deadLetterOf,
  deadLetterMessage,
  boundedRecord,
  type DeadLetter,
  type RecordSource,
  type RejectedRecord,
  type SourceKind,
} from './dead-letter.ts';
export {
  createRecordPublisher,
  prepareWorkerPays,
  transactionalIdOf,
  PrecedingBatchFailedError,
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_MESSAGE_BYTES,
  type RecordPublisher,
  type RecordPublisherOptions,
  type PublishOptions,
  type PublishReport,
} from './publish/publisher.ts';
export { openDepartmentPublishers, closeDepartmentPublishers, checkDepartmentPublishers, type DepartmentPublisher, type DepartmentPublishersOptions } from './publish/department-publishers.ts';
export { mapBatch, planBatch, chunks, rejectedRecordCount, type PublishOutcome, type RejectedEntry, type MappedRecord, type BatchPlan } from './publish/plan.ts';
export { openLedger, ledgerPath, LEDGER_TOPIC_SPEC, type ConnectorLedger, type LedgerOptions, type LedgerPosition } from './ledger/ledger.ts';
export { LEDGER_TOPIC, parseLedgerEntry, type LedgerEntry, type FileProgress, type Watermark } from './ledger/entry.ts';
export { LedgerStore } from './ledger/store.ts';
export {
  createDropFolderSource,
  dropFolderOf,
  type DropFolderOptions,
  type DropFolderSource,
  type FileResult,
} from './sources/drop-folder/drop-folder.ts';
export { SUPPORTED_EXTENSIONS, FileReadError, DEFAULT_FILE_LIMITS, readRows, type FileLimits, type ReadRow } from './sources/drop-folder/readers.ts';
export { DEFAULT_RECORD_LIMITS, recordLimits, type RecordLimits } from './limits/record-limits.ts';
export { inspectFile } from './sources/drop-folder/inspect.ts';
export { createDatabasePoller, type DatabasePoller, type DatabasePollerOptions, type PollResult } from './sources/database/poller.ts';
export type { TableSource } from './sources/database/query.ts';
