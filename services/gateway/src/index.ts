export { buildApp, gatewayApp, type GatewayDeps } from './app.ts';
export { configSchema, loadGatewayConfig, principals, type GatewayConfig } from './config.ts';
export { errors } from './errors.ts';
export { departmentConnectors } from './departments.ts';
export type { AuditEvent, AuditLog } from './audit/audit-event.ts';
export type { CaseLog, SubmitCase, SubmitOutcome, CaseContent } from './cases/case-log.ts';
export { CaseSubmission } from './cases/submission.ts';
export type { RecordPublisherPort, PublishResult, RejectedRecord, RecordSource } from './records/publisher-port.ts';
