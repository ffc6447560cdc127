export { analyticsApp, buildApp, type AnalyticsDeps } from './app.ts';
export { configSchema, loadAnalyticsConfig, type AnalyticsConfig } from './config.ts';
export { openStore, StoreError, type AnalyticsStore, type StoreKind, type StoreOptions } from './store/store.ts';
export { chdbDataDir } from './store/plugin.ts';
export { projectedTopics } from './projection/topics.ts';
export { createProjector, type Projector, type ProjectorOptions, type FlushSummary } from './projection/projector.ts';
export { caseFigures, ratio, meanOfFractions, type CaseFigures } from './cases/figures.ts';
