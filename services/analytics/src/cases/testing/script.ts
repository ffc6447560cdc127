import type { WorkingCalendar } from '@hub/calendar';
import { caseDecider, type CaseCommand, type CaseEvent, type CaseState, type Item } from '@hub/router';
import type { DepartmentCode } from '@hub/schemas';

/** An instant given as Beijing time: `bj('2026-03-02 09:00')`. */
export const bj = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

export const testItem = (code: string, overrides: Partial<Item> = {}): Item => ({
  code,
  name: `测试事项 ${code}`,
  leadDepartment: 'market',
  legalDays: 20,
  promisedDays: 5,
  stages: [],
  ...overrides,
});

/** One step of a case, in the words of the case routes. */
export type Step =
  | { at: string; do: 'accept' }
  | { at: string; do: 'refuse-at-intake' }
  | { at: string; do: 'grant' | 'refuse' | 'supplement'; by: DepartmentCode }
  | { at: string; do: 'resume' }
  | { at: string; do: 'decide'; approved: boolean }
  | { at: string; do: 'deliver' }
  | { at: string; do: 'review'; grade: number };

/**
 * The events the router's own case aggregate writes for a case submitted at
 * `submittedAt` and taken through `steps` (Beijing times): what the
 * projection reads from cases.events. Throws on a step the case refuses.
 */
export function caseScript(options: { caseId: string; item: Item; calendar: WorkingCalendar; submittedAt: string; divisionCode?: string; centreId?: string; steps: readonly Step[] }): CaseEvent[] {
  const { caseId, item, calendar } = options;
  const decider = caseDecider({ items: (code) => (code === item.code ? item : undefined), calendar });
  let state: CaseState = decider.initialState();
  const events: CaseEvent[] = [];
  const run = (command: CaseCommand) => {
    const decision = decider.decide(command, state);
    if (!decision.ok) throw new Error(`${command.type} refused: ${decision.error.message}`);
    for (const event of decision.events) state = decider.evolve(state, event);
    events.push(...decision.events);
  };
  run({
    type: 'SubmitCase',
    data: {
      occurredAt: bj(options.submittedAt),
      caseId,
      applicant: { kind: 'PERSON', name: '张三', idNumber: '450102199001011234', creditCode: null, phone: '13800000000' },
      itemCode: item.code,
      itemName: item.name,
      centreId: options.centreId ?? 'ZWZX-450102',
      windowId: 'W01',
      divisionCode: options.divisionCode ?? '450102',
      documents: [],
      channel: 'WINDOW',
    },
  });
  for (const step of options.steps) {
    const head = { caseId, occurredAt: bj(step.at) };
    switch (step.do) {
      case 'accept':
        run({ type: 'AcceptCase', data: head });
        break;
      case 'refuse-at-intake':
        run({ type: 'RefuseAtIntake', data: { ...head, reason: '申请材料不齐全' } });
        break;
      case 'grant':
      case 'refuse':
      case 'supplement':
        run({ type: 'AnswerCoApproval', data: { ...head, department: step.by, answer: step.do, ...(step.do === 'supplement' ? { materials: ['营业执照副本'], reason: '请补正' } : {}), ...(step.do === 'refuse' ? { reason: '不符合条件' } : {}) } });
        break;
      case 'resume':
        run({ type: 'ResumeCase', data: head });
        break;
      case 'decide':
        run({ type: 'DecideCase', data: { ...head, department: item.leadDepartment, approved: step.approved, ...(step.approved ? {} : { reason: '不符合法定条件' }) } });
        break;
      case 'deliver':
        run({ type: 'DeliverResult', data: head });
        break;
      case 'review':
        run({ type: 'ReviewCase', data: { ...head, grade: step.grade } });
        break;
      default: {
        const _exhaustive: never = step;
        throw new Error(`unknown step ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
  return events;
}
