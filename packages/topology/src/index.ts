export { services, wiring, type HubService } from './services.ts';
export { deadLetterComponents, hubTopics } from './topics.ts';
