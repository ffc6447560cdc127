/**
 * A simulated departmental system (部门业务系统), the parts the hub talks to:
 * (a) the webhook that receives the hub's deliveries, verifying their
 * signature, dropping repeats and recording them, with failure injection;
 * (b) the emitter that pushes native records to the gateway at a steady rate;
 * (c) the co-approval answerer, a pure decision the router will use.
 */
export { type Clock, systemClock } from './clock.ts';
export { DeliveryLog, type ReceivedDelivery } from './deliveries.ts';
export { hasValidSignature, signature } from './signature.ts';
export { type FailureInjection, type WebhookReceiverOptions, webhookReceivers } from './webhooks.ts';
export { type EmitterLogger, type EmitterOptions, type EmitterStats, type PushOutcome, RecordEmitter } from './emitter.ts';
export {
  type CoApprovalAnswer,
  type CoApprovalConfig,
  type CoApprovalDecision,
  type DelayDistribution,
  answerCoApproval,
  drawDelay,
} from './co-approval.ts';
