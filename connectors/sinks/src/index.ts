export { configSchema, loadSinksConfig, departmentTargets, type SinksConfig } from './config.ts';
export { buildApp, sinksApp, type SinksDeps } from './app.ts';
export { createDepartmentSink, type DepartmentSink, type DepartmentSinkOptions } from './sink.ts';
export { signBody, verifySignature } from './delivery/webhook.ts';
export { classify, type AttemptOutcome, type Verdict } from './delivery/outcome.ts';
export type { SinkDeadLetter } from './delivery/dead-letter.ts';
export type { DeliveryBody } from './delivery/body.ts';
export type { AttemptRecord } from './delivery/retry.ts';
