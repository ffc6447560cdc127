// What `npm start` does when one of its services exits: the decision, with no
// processes, no clock and no console (hub.ts does those), so that it is tested
// given/when/then.
import { accept, refuse, type Decider, type Decision, type Message, type Refusal } from '@hub/decider';
import { backoffCeiling } from '@hub/runtime';

export interface SupervisionPolicy {
  /** This many crashes within `crashWindowMs` (the last one included) and the hub stops: restarting does not help. */
  crashLimit: number;
  crashWindowMs: number;
  /** The wait before a restart: base·2^(k−1) for the k-th crash within the window, at most max. */
  backoff: { baseMs: number; maxMs: number };
}

/** 5 crashes in a minute; restarts after 1, 2, 4, 8 s. */
export const defaultPolicy: SupervisionPolicy = { crashLimit: 5, crashWindowMs: 60_000, backoff: { baseMs: 1_000, maxMs: 30_000 } };

/** What the hub tells the supervisor of one service; `at` is the hub's clock, in ms. */
export type SupervisorCommand =
  | Message<'ReportExit', { at: number; code: number | null; signal: string | null }>
  | Message<'ReportServing', { at: number }>;

export type SupervisorEvent =
  | Message<'ServiceCrashed', { at: number; reason: string }>
  | Message<'RestartScheduled', { at: number; delayMs: number; restart: number }>
  | Message<'ServiceServing', { at: number }>
  /** Restarting will not help: the first start failed (a bad setting, a port taken), or it keeps crashing. */
  | Message<'SupervisionAbandoned', { at: number; why: 'never-served' | 'keeps-crashing'; crashes: number; windowMs: number }>;

export interface ServiceSupervision {
  /** Whether it has answered /health once: a service that never did is not restarted. */
  served: boolean;
  /** When it crashed within the last window. */
  crashes: number[];
  restarts: number;
  abandoned: boolean;
}

export type SupervisorRefusal = Refusal<'Abandoned'>;

export function supervisor(policy: SupervisionPolicy = defaultPolicy): Decider<SupervisorCommand, SupervisorEvent, ServiceSupervision, undefined, SupervisorRefusal> {
  const recent = (crashes: readonly number[], now: number) => crashes.filter((at) => at > now - policy.crashWindowMs);

  function decide(command: SupervisorCommand, state: ServiceSupervision): Decision<SupervisorEvent, undefined, SupervisorRefusal> {
    if (state.abandoned) return refuse({ type: 'Abandoned', message: 'the hub has given this service up' });
    switch (command.type) {
      case 'ReportServing':
        return accept([{ type: 'ServiceServing', data: { at: command.data.at } }]);
      case 'ReportExit': {
        const { at, code, signal } = command.data;
        const crashed: SupervisorEvent = { type: 'ServiceCrashed', data: { at, reason: signal ?? `exit code ${code}` } };
        const crashes = recent(state.crashes, at).length + 1;
        const windowMs = policy.crashWindowMs;
        if (!state.served) return accept([crashed, { type: 'SupervisionAbandoned', data: { at, why: 'never-served', crashes, windowMs } }]);
        if (crashes >= policy.crashLimit) return accept([crashed, { type: 'SupervisionAbandoned', data: { at, why: 'keeps-crashing', crashes, windowMs } }]);
        return accept([crashed, { type: 'RestartScheduled', data: { at, delayMs: backoffCeiling(policy.backoff, crashes), restart: state.restarts + 1 } }]);
      }
      default: {
        const _exhaustive: never = command;
        return _exhaustive;
      }
    }
  }

  function evolve(state: ServiceSupervision, event: SupervisorEvent): ServiceSupervision {
    switch (event.type) {
      case 'ServiceCrashed':
        return { ...state, crashes: [...recent(state.crashes, event.data.at), event.data.at] };
      case 'RestartScheduled':
        return { ...state, restarts: event.data.restart };
      case 'ServiceServing':
        return { ...state, served: true };
      case 'SupervisionAbandoned':
        return { ...state, abandoned: true };
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }

  return { decide, evolve, initialState: () => ({ served: false, crashes: [], restarts: 0, abandoned: false }) };
}
