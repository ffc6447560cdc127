import type { WorkingCalendar } from '@hub/calendar';
import { accept, refuse, type Decider, type Message, type Refusal } from '@hub/decider';
import type { SupervisionEvent } from '../supervision/events.ts';
import { checkSupervisionOptions, type SupervisionOptions } from '../supervision/schedule.ts';
import type { AgreementState } from './events.ts';
import { agreementAlertData, agreementAlertSchedule, type ScheduledAgreementAlert } from './schedule.ts';

/**
 * The router's clock moved to `now` (the latest event time, or a live tick):
 * look at these agreements, all that await an answer or only those whose
 * `nextAlertAt` has come.
 */
export type AgreementSupervisionCommand = Message<'Tick', { now: Date; agreements: Iterable<AgreementState> }>;

export type AgreementSupervisionRefusal = Refusal<'InvalidTime'>;

/**
 * The agreement alerts raised so far, by agreement: the ids only. Rebuilt by
 * folding `supervision.alerts`; the case supervision's state keeps the alerts
 * with a caseId, this one those with a requestId.
 */
export interface AgreementSupervisionState {
  readonly raised: Map<string, Set<string>>;
}

export interface AgreementSupervisionDeps extends Partial<SupervisionOptions> {
  readonly calendar: WorkingCalendar;
}

export interface AgreementSupervisionDecider
  extends Decider<AgreementSupervisionCommand, SupervisionEvent, AgreementSupervisionState, undefined, AgreementSupervisionRefusal> {
  schedule(agreement: AgreementState): ScheduledAgreementAlert[];
  /** When the agreement needs its next tick (maybe already past), or undefined when none can come before its next event. */
  nextAlertAt(state: AgreementSupervisionState, agreement: AgreementState): Date | undefined;
}

/** In place (see `Decider`): the state belongs to whoever folds `supervision.alerts` (the router's state, say). */
export function evolveAgreementSupervision(state: AgreementSupervisionState, event: SupervisionEvent): AgreementSupervisionState {
  switch (event.type) {
    case 'SupervisionAlertRaised': {
      // A case's alert is the case supervision's to remember.
      const { caseId, requestId, eventId } = event.data;
      if (caseId !== null || requestId === null) return state;
      const ids = state.raised.get(requestId);
      if (ids) ids.add(eventId);
      else state.raised.set(requestId, new Set([eventId]));
      return state;
    }
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
}

const hasRaised = (state: AgreementSupervisionState, agreementId: string, eventId: string): boolean => state.raised.get(agreementId)?.has(eventId) ?? false;

/**
 * Electronic supervision (电子监察) of the owners' answers: on each tick,
 * every alert of the given agreements whose instant has come and that was not
 * raised before, each once (its id says which wait and level).
 */
export function agreementSupervisionDecider(deps: AgreementSupervisionDeps): AgreementSupervisionDecider {
  const { calendar } = deps;
  const options = checkSupervisionOptions(deps);
  const schedule = (agreement: AgreementState) => agreementAlertSchedule(agreement, calendar, options);
  return {
    initialState: () => ({ raised: new Map() }),
    evolve: evolveAgreementSupervision,
    schedule,
    nextAlertAt(state, agreement) {
      return schedule(agreement).find((alert) => !hasRaised(state, alert.agreementId, alert.eventId))?.dueAt;
    },
    decide(command, state) {
      switch (command.type) {
        case 'Tick': {
          const { now, agreements } = command.data;
          if (!(now instanceof Date) || Number.isNaN(now.getTime())) return refuse({ type: 'InvalidTime', message: 'now is not a valid time' });
          const events: SupervisionEvent[] = [];
          const raisedNow = new Set<string>();
          for (const agreement of agreements) {
            for (const alert of schedule(agreement)) {
              if (alert.dueAt > now) break;
              if (raisedNow.has(alert.eventId) || hasRaised(state, alert.agreementId, alert.eventId)) continue;
              raisedNow.add(alert.eventId);
              events.push({ type: 'SupervisionAlertRaised', data: agreementAlertData(alert, calendar) });
            }
          }
          return accept(events);
        }
        default: {
          const _exhaustive: never = command.type;
          throw new Error(`unknown agreement supervision command ${String(_exhaustive)}`);
        }
      }
    },
  };
}
