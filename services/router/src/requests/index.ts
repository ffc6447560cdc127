// Data requests (数据共享申请): the pure core, named so that `export *` from src/index.ts collides with nothing.
export { answerOf, answerWith, decideQuestion, decideResponse, isOverdue, timeoutAnswer, VALUES_NOT_HELD, type QuestionInput, type ResponseDecision, type ResponseInput, type ResponseRefusal } from './decide.ts';
export type { AnswerStatus, DataQuestion, DataRequest, OwnerResponse, QuestionDecision, RecordData, RefusalReason, RequestAnswer } from './question.ts';
export { normaliseKey, questionProblems, recordKeyOf, resourceShape, strayFields, type FieldProblem, type ResourceShape } from './shape.ts';
export { answerMap, HUB, monitoringOf, requestedEvent, requestedEventId, respondedEvent, respondedEventId, statusOfOutcome, type MonitoringContext, type TimedOut } from './events.ts';
