export { canonicalJson, CanonicalJsonError, type JsonValue } from './canonical.ts';
export {
  appendEntries,
  auditActions,
  checkpointDue,
  checkpointSignatureHolds,
  DEFAULT_CHECKPOINT_POLICY,
  entryHash,
  GENESIS_HASH,
  genesisHead,
  keyIdOf,
  signCheckpoint,
  type AuditAction,
  type AuditEntry,
  type AuditRecord,
  type ChainedEntry,
  type ChainHead,
  type Checkpoint,
  type CheckpointPolicy,
  type CheckpointState,
} from './chain.ts';
export { verifyChain, InvalidAnchorError, type ChainProblem, type ChainProblemKind, type ChainVerification, type PartitionSummary, type VerifyOptions } from './verify.ts';
export { openSigningKey, publicKeyText, readDataFolderPublicKey, readPublicKeyFile, signingKeyPath, SigningKeyError, type SigningKey } from './keys.ts';
export { auditKafkaRecord, decodeAuditRecord, exportLine, ExportFormatError, loggedRecord, parseExportLine, type LoggedRecord } from './records.ts';
export { AUDIT_TOPIC, AUDIT_TOPIC_SPEC, readAuditTails, readAuditTopic, type ReadAuditOptions } from './topic.ts';
export { chainFromTail, createAuditWriter, AuditWriterError, type AuditWriter, type AuditWriterOptions } from './writer.ts';
export { openExportFile, readAnchors, readExportFile, type ExportWriter } from './export-file.ts';
export { exportAuditLog, runAuditCli, verificationReport, verifyAuditFile, verifyAuditTopic, USAGE, type CliIo, type ExportSummary } from './cli.ts';
