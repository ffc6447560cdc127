// The sharing agreement aggregate's public surface, named so that
// `export * from './agreements/index.ts'` in src/index.ts collides with nothing.
export {
  agreementEventTypes,
  agreementEventId,
  evolveAgreement,
  initialAgreementState,
  cloneAgreement,
  openWait,
  type AgreementEvent,
  type AgreementEventType,
  type AgreementState,
  type AgreementStatus,
  type AnswerWait,
  type Grant as AgreementGrant,
  type HistoryEntry as AgreementHistoryEntry,
} from './events.ts';
export {
  agreementDecider,
  decideAgreement,
  sharingConditionChanged,
  agreementRefusalTypes,
  type AgreementCommand,
  type AgreementCommandType,
  type AgreementDeciderDeps,
  type AgreementRefusal,
  type AgreementRefusalType,
} from './decide.ts';
export { agreementView, answerDeadline, deliversTo, unmaskedFieldsOf, ANSWER_DAYS, type AgreementView, type HistoryView as AgreementHistoryView } from './view.ts';
export { agreementResourceOf, isSharingCondition, sharingConditions, sharingSymbol, sharingOfSymbol, type AgreementResource, type CatalogueEntryLike } from './resource.ts';
export { divisionPrefixProblem, significantPrefix, withinDivision } from './division.ts';
export { agreementAlertSchedule, agreementAlertData, agreementAlertId, type ScheduledAgreementAlert } from './schedule.ts';
export {
  agreementSupervisionDecider,
  evolveAgreementSupervision,
  type AgreementSupervisionCommand,
  type AgreementSupervisionDecider,
  type AgreementSupervisionDeps,
  type AgreementSupervisionRefusal,
  type AgreementSupervisionState,
} from './supervision.ts';
export { agreementMonitoring } from './monitoring.ts';
