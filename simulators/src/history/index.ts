/**
 * History mode: months of cases planned from a seed, sent day by day with
 * their own times, and the ground truth of what was sent.
 */
export { OFFICE_HOURS, inOfficeHours, officeTimeOn, workingDaysBetween } from './office-hours.ts';
export {
  type CaseKind,
  type CaseMix,
  type GradeWeights,
  type HistoryPlan,
  type HistoryPlanOptions,
  type HistoryProfile,
  type HistoryProfileName,
  type PlannedCase,
  caseKinds,
  defaultMix,
  historyProfiles,
  planHistory,
} from './plan.ts';
export { type CaseFacts, type TaskFacts, type TimedStep, ScriptError, replayCase } from './replay.ts';
export {
  type CaseOutcome,
  type CoApproverFigures,
  type Figures,
  type GroundTruth,
  type TruthCase,
  TRUTH_FORMAT,
  groundTruth,
  truthFileText,
} from './truth.ts';
export { type HistorySendOptions, type HistorySendResult, type SendProgress, runsByDay, sendHistory } from './sender.ts';
export { ProgressBar, type ProgressStream, progressLine } from './progress.ts';
