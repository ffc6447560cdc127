/**
 * Live case traffic (办件): a service-centre window submitting cases and
 * moving them along, the co-approving departments answering the requests
 * that reach their webhooks, both over the gateway's case routes.
 */
export { type CatalogueItem, applicantKindOf, coApproversOf, readCatalogue } from './catalogue.ts';
export { type CaseStatus, type CaseViewPart, caseStatuses, readCaseView } from './case-view.ts';
export { type CaseStep, type CaseStepType, type GatewayCall, gatewayCall, stepLabel } from './steps.ts';
export { type CaseSubmissionBody, caseSubmission } from './submission.ts';
export { GatewayClient, type GatewayClientOptions, type GatewayClientStats, type GatewayReply, type StepSender } from './gateway-client.ts';
export { type WindowAction, type WindowShares, nextWindowStep } from './next-step.ts';
export { WindowDriver, type WindowDriverOptions, type WindowDriverStats } from './window-driver.ts';
export {
  CO_APPROVAL_SUBJECT,
  SUPERVISION_ALERT_SUBJECT,
  CoApprovalAnswerer,
  type CoApprovalAnswererOptions,
  type AnswererStats,
  answerStep,
  coApprovalRequestOf,
} from './answerer.ts';
export { type CaseTrafficMetrics, type StepOutcome, caseTrafficMetrics, noCaseMetrics } from './metrics.ts';
