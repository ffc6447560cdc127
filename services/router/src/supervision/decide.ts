import type { WorkingCalendar } from '@hub/calendar';
import { accept, refuse, type Decider, type Message, type Refusal } from '@hub/decider';
import type { CaseState } from '../cases/events.ts';
import { evolveSupervision, hasRaised, initialSupervisionState, type SupervisionEvent, type SupervisionState } from './events.ts';
import { alertData, alertSchedule, checkSupervisionOptions, type ScheduledAlert, type SupervisionOptions } from './schedule.ts';

/**
 * The router's clock moved to `now`: the latest event time it has processed,
 * or a wall-clock tick in live operation. `cases` are the cases to look at,
 * as the case aggregate left them: all open ones, or only those whose
 * `nextAlertAt` has come. Cases not accepted yet, or unknown, raise nothing.
 */
export type SupervisionCommand = Message<'Tick', { now: Date; cases: Iterable<CaseState> }>;

export type SupervisionRefusal = Refusal<'InvalidTime'>;

export interface SupervisionDeps extends Partial<SupervisionOptions> {
  readonly calendar: WorkingCalendar;
}

/** The supervision decider, with the schedule the router needs to know when to tick a case. */
export interface SupervisionDecider extends Decider<SupervisionCommand, SupervisionEvent, SupervisionState, undefined, SupervisionRefusal> {
  /** Every alert of the case and when it falls due, supposing nothing more happens to it. */
  schedule(caseState: CaseState): ScheduledAlert[];
  /**
   * When the case needs its next tick: the instant its first alert not raised
   * yet falls due (maybe already past), or undefined when no alert can come
   * until the case's next event.
   */
  nextAlertAt(state: SupervisionState, caseState: CaseState): Date | undefined;
}

/**
 * Electronic supervision (电子监察): on each tick, every alert of the given
 * cases whose instant has come and that was not raised before. Each alert is
 * raised once per case, subject and level (its id says which), and the state
 * remembers the ids, so a replay of `supervision.alerts` after a restart
 * raises nothing again.
 */
export function supervisionDecider(deps: SupervisionDeps): SupervisionDecider {
  const { calendar } = deps;
  const options = checkSupervisionOptions(deps);
  const schedule = (caseState: CaseState) => alertSchedule(caseState, calendar, options);
  return {
    initialState: initialSupervisionState,
    evolve: evolveSupervision,
    schedule,
    nextAlertAt(state, caseState) {
      return schedule(caseState).find((alert) => !hasRaised(state, alert.caseId, alert.eventId))?.dueAt;
    },
    decide(command, state) {
      switch (command.type) {
        case 'Tick': {
          const { now, cases } = command.data;
          if (!(now instanceof Date) || Number.isNaN(now.getTime())) return refuse({ type: 'InvalidTime', message: 'now is not a valid time' });
          const events: SupervisionEvent[] = [];
          // decide leaves the state alone, so the ids of this tick are kept aside (a case listed twice raises once).
          const raisedNow = new Set<string>();
          for (const caseState of cases) {
            for (const alert of schedule(caseState)) {
              if (alert.dueAt > now) break;
              if (raisedNow.has(alert.eventId) || hasRaised(state, alert.caseId, alert.eventId)) continue;
              raisedNow.add(alert.eventId);
              events.push({ type: 'SupervisionAlertRaised', data: alertData(alert, calendar) });
            }
          }
          return accept(events);
        }
        default: {
          const _exhaustive: never = command.type;
          throw new Error(`unknown supervision command ${String(_exhaustive)}`);
        }
      }
    },
  };
}
