import type { WorkingCalendar } from '@hub/calendar';
import { caseDecider, shippedItems, type CaseCommand, type CaseEvent, type CaseState, type Item } from '@hub/router';
import type { CaseOutcome, CaseStep, CatalogueItem, HistoryPlan } from '@hub/simulators';

/** The hub's shipped items as `GET /v1/items` lists them (what the history planner takes). */
export const shippedCatalogue: CatalogueItem[] = shippedItems.map((item) => ({
  itemCode: item.code,
  name: item.name,
  leadDepartment: item.leadDepartment,
  legalDays: item.legalDays,
  promisedDays: item.promisedDays,
  stages: item.stages.map((stage) => ({ departments: [...stage.departments], dueDays: stage.dueDays })),
  fee: item.fee ? { amount: item.fee.amount, basis: item.fee.basis } : null,
  certificateType: item.certificateType ?? null,
}));

/**
 * The case events a history plan amounts to, decided step by step by the
 * router's own case aggregate (as the gateway and the router would, without
 * running them): what the projection reads from cases.events. Each case gets
 * `caseIdOf(index)` and every case the one centre `centreId`, so that a run
 * is told apart from whatever else a shared broker holds. A step the case
 * refuses is that case's failure, its later steps left out, as `sendHistory`
 * counts it; `outcomes` are for `groundTruth`.
 */
export function historyEvents(plan: HistoryPlan, calendar: WorkingCalendar, options: { caseIdOf: (index: number) => string; centreId: string; items?: readonly Item[] }): { events: CaseEvent[]; outcomes: CaseOutcome[] } {
  const items = options.items ?? shippedItems;
  const decider = caseDecider({ items: (code) => items.find((item) => item.code === code), calendar });
  const events: CaseEvent[] = [];
  const outcomes: CaseOutcome[] = [];
  for (const planned of plan.cases) {
    const caseId = options.caseIdOf(planned.index);
    let state: CaseState = decider.initialState();
    let answered = 0;
    let failure: CaseOutcome['failure'];
    for (const { at, step } of planned.steps) {
      const command = commandOf(step, caseId, at, options.centreId);
      const decision = decider.decide(command, state);
      if (!decision.ok) {
        failure = { step: step.type, status: decision.error.field === undefined ? 409 : 400, detail: decision.error.message };
        break;
      }
      for (const event of decision.events) state = decider.evolve(state, event);
      events.push(...decision.events);
      answered += 1;
    }
    outcomes.push({ caseId, stepsAnswered: answered, ...(failure ? { failure } : {}) });
  }
  // As the hub sees them: in time order across cases (each case's own order kept).
  events.sort((a, b) => a.data.occurredAt.getTime() - b.data.occurredAt.getTime());
  return { events, outcomes };
}

/** The command the gateway makes of a step (its case routes over the router's decider). */
function commandOf(step: CaseStep, caseId: string, occurredAt: Date, centreId: string): CaseCommand {
  const head = { caseId, occurredAt };
  switch (step.type) {
    case 'submit': {
      const body = step.submission;
      const applicant = body.applicant;
      return {
        type: 'SubmitCase',
        data: {
          ...head,
          applicant: {
            kind: applicant.type === 'person' ? 'PERSON' : 'ORGANISATION',
            name: applicant.name,
            idNumber: applicant.idNumber ?? null,
            creditCode: applicant.creditCode ?? null,
            phone: applicant.phone ?? null,
          },
          itemCode: body.itemCode,
          itemName: body.itemName,
          centreId,
          windowId: body.window ?? null,
          divisionCode: body.divisionCode,
          documents: body.documents.map((d) => ({ name: d.name, fileRef: d.fileRef ?? null })),
          channel: 'WINDOW',
        },
      };
    }
    case 'accept':
      return { type: 'AcceptCase', data: head };
    case 'refuse-at-intake':
      return { type: 'RefuseAtIntake', data: { ...head, reason: step.reason } };
    case 'answer':
      return {
        type: 'AnswerCoApproval',
        data: {
          ...head,
          department: step.department,
          answer: step.answer,
          ...(step.stage === undefined ? {} : { stage: step.stage }),
          ...(step.reason === undefined ? {} : { reason: step.reason }),
          ...(step.materials === undefined ? {} : { materials: [...step.materials] }),
        },
      };
    case 'bring-supplement':
      return { type: 'ResumeCase', data: head };
    case 'decide':
      return { type: 'DecideCase', data: { ...head, department: step.department, approved: step.approved, ...(step.reason === undefined ? {} : { reason: step.reason }) } };
    case 'assess-fee':
      return { type: 'AssessFee', data: head };
    case 'pay-fee':
      return { type: 'PayFee', data: head };
    case 'issue-certificate':
      return { type: 'IssueCertificate', data: head };
    case 'deliver':
      return { type: 'DeliverResult', data: head };
    case 'review':
      return { type: 'ReviewCase', data: { ...head, grade: step.grade, ...(step.comment === undefined ? {} : { comment: step.comment }) } };
    default: {
      const _exhaustive: never = step;
      throw new Error(`unknown step ${JSON.stringify(_exhaustive)}`);
    }
  }
}
