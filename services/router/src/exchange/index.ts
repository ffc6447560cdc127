// The data exchange's pure core, named so that `export * from './exchange/index.ts'`
// in src/index.ts collides with nothing (agreements/ has withinDivision, AgreementView …).
export { divisionPart, divisionPartLength } from './address.ts';
export { FieldPathError, parseFieldPath, type PathStep } from './field-path.ts';
export {
  isSensitiveTag,
  maskAddress,
  maskCreditCode,
  maskIdNumber,
  maskName,
  maskPhone,
  maskRecord,
  maskValue,
  tagMasks,
  UnmaskableValueError,
  type FieldTags,
  type Mask,
  type MaskedRecord,
} from './masking.ts';
export {
  decideDelivery,
  maskForDelivery,
  withinRegion,
  type DeliveryAgreement,
  type DeliveryDecision,
  type DeliveryQuestion,
  type DeliveryRefusalReason,
  type SharedResource,
} from './access.ts';
export { UnknownVerifyFieldsError, verifyFields } from './verify.ts';
export { recordDeliveryEnvelope, type RecordDelivery } from './envelope.ts';
export { snapshotPage, SNAPSHOT_PAGE_SIZE, type SkippedRecord, type SnapshotPage, type SnapshotPageInput, type SnapshotRecord, type SnapshotRecordData, type SnapshotSkip } from './snapshot.ts';
