export { type Item, type Stage, type Fee, MAX_LEGAL_DAYS, coApprovers, sameItem } from './items/item.ts';
export { checkItem, itemProblems, type ItemCheck, type ItemProblem } from './items/validate.ts';
export { shippedItems } from './items/catalogue.ts';
export { type ItemDefined, type ItemEvent, type ItemTable, evolveItemTable, initialItemTable, itemDefinedData, itemEventId, itemLookup } from './items/events.ts';
export { itemTableDecider, defineShippedItems, type ItemCommand, type ItemDefinitionAnswer, type ItemRefusal } from './items/decide.ts';
export {
  caseEventTypes,
  caseEventId,
  evolveCase,
  initialCaseState,
  openSuspension,
  type CaseEvent,
  type CaseEventType,
  type CaseState,
  type CaseStatus,
  type CoApprovalTask,
  type HistoryEntry,
  type PlannedStage,
  type SuspensionPeriod,
  type TaskStatus,
} from './cases/events.ts';
export { caseDecider, decideCase, type CaseCommand, type CaseCommandType, type CaseDeciderDeps, type CaseRefusal, type CaseRefusalType } from './cases/decide.ts';
export { caseView, caseSummary, caseDeadlines, taskDeadline, workingDaysUsed, suspensionsOf, acceptedOn, type CaseView, type CaseSummary, type TaskView, type HistoryView } from './cases/view.ts';
export { supervisionDecider, type SupervisionDecider, type SupervisionCommand, type SupervisionDeps, type SupervisionRefusal } from './supervision/decide.ts';
export { alertId, OPERATOR, type AlertSubject, type SupervisionEvent, type SupervisionState } from './supervision/events.ts';
export { alertSchedule, alertData, type ScheduledAlert, type SupervisionOptions } from './supervision/schedule.ts';
export { COMMAND_ID_HEADER, COMMANDS_TOPIC, OUTCOMES_TOPIC, commandKey, decodeCommand, decodeOutcome, encodeCommand, encodeOutcome, idempotentCommandId, WireError, type AgreementStep, type CommandEnvelope, type Outcome, type WireRefusal, type OutcomeBody, type RouterCommand, type StepCommand } from './wire/messages.ts';
export * from './agreements/index.ts';
export * from './exchange/index.ts';
// The data-request API of the router (the gateway's calls), its TypeBox schemas.
export { DataRequestAnswer, DataRequestBody, DataRequestView, OwnerResponseAnswer, OwnerResponseBody } from './http/schemas.ts';
