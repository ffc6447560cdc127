export { accept, refuse, replay, type Decider, type Decision, type Message, type Refusal } from './decider.ts';
