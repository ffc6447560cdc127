/**
 * Data sharing (数据共享): the departments' sharing agreements on each other's
 * resources (a table of who subscribes to what), the owners approving them,
 * and the windows' questions (核验) about the records the departments published.
 */
export { type Subscription, ownerOf, plannedSubscriptions, subscriptionKey, subscriptionTable } from './subscriptions.ts';
export { type CanonicalRecord, PublishedRecords, canonicalRecord, valueAt } from './published.ts';
export { type DataRequestBody, type PlannedQuestion, type QuestionIntent, type QuestionSources, keyFieldsOf, nextQuestion, questionMix } from './questions.ts';
export { AgreementPart, type AgreementNotice, agreementNoticeOf, readAgreementList } from './agreements.ts';
export { AgreementKeeper, type AgreementKeeperOptions } from './agreement-keeper.ts';
export { QuestionAsker, type QuestionAskerOptions, type QuestionStats } from './question-asker.ts';
export { OwnerResponder, type OwnerResponderOptions, forwardedRequestOf } from './owner-responder.ts';
export { type SharingMetrics, type SharingStep, noSharingMetrics, sharingMetrics } from './metrics.ts';
