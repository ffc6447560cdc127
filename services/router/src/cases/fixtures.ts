// Shared by the case specs: the shipped items, the official calendar, and
// builders for commands and events, so each spec reads as given/when/then.
import { officialCalendar } from '@hub/calendar';
import type { CaseSubmitted, DeliveryMethod } from '@hub/schemas';
import { shippedItems } from '../items/catalogue.ts';
import type { Item } from '../items/item.ts';
import { caseDecider, type CaseCommand } from './decide.ts';
import { caseEventId, type CaseEvent } from './events.ts';

export const calendar = officialCalendar();

const byName = (name: string): Item => {
  const item = shippedItems.find((candidate) => candidate.name === name);
  if (!item) throw new Error(`no shipped item ${name}`);
  return item;
};

/** housing leads; stage 1 land + market (2 days), stage 2 hrss (2 days); promised 5, legal 7; a certificate, no fee. */
export const constructionPermit = byName('建筑工程施工许可证核发');
/** land leads; tax alone in one parallel stage (2 days); promised 5, legal 30; fee 80.00 and a certificate. */
export const realEstateTransfer = byName('不动产转移登记');
/** hrss leads; market in one stage (1 day); no fee, no certificate. */
export const insuranceRegistration = byName('社会保险登记（单位参保）');
/** ps decides alone; a certificate, no fee. */
export const hukouTransfer = byName('户口迁移（准予迁入）');

export const items = (code: string): Item | undefined => shippedItems.find((item) => item.code === code);
export const decider = caseDecider({ items, calendar });

export const CASE = 'GW-0A1B2C3D4E5F60718293';

/** An instant given as Beijing time, e.g. `bj('2026-03-02 09:00')`. */
export const bj = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

/** The fields every event of case `CASE` at version `version` begins with. */
export const head = (version: number, occurredAt: Date) => ({ eventId: caseEventId(CASE, version), occurredAt, caseId: CASE });

export function submission(item: Pick<Item, 'code' | 'name'>, occurredAt: Date): Omit<CaseSubmitted, 'eventId'> {
  return {
    occurredAt,
    caseId: CASE,
    applicant: { kind: 'ORGANISATION', name: '南宁市兴宁区建工集团有限公司', idNumber: null, creditCode: '91450102MA5KXYZ12Q', phone: null },
    itemCode: item.code,
    itemName: item.name,
    centreId: 'NN-XN-ZWZX',
    windowId: 'W03',
    divisionCode: '450102',
    documents: [{ name: '申请书', fileRef: null }],
    channel: 'WINDOW',
  };
}

export const submitted = (item: Pick<Item, 'code' | 'name'>, occurredAt: Date): CaseEvent => ({
  type: 'CaseSubmitted',
  data: { eventId: caseEventId(CASE, 1), ...submission(item, occurredAt) },
});

/** Commands, by what the caller does. */
export const when = {
  submit: (item: Item, at: Date): CaseCommand => ({ type: 'SubmitCase', data: submission(item, at) }),
  accept: (at: Date): CaseCommand => ({ type: 'AcceptCase', data: { caseId: CASE, occurredAt: at } }),
  refuseAtIntake: (at: Date, reason: string): CaseCommand => ({ type: 'RefuseAtIntake', data: { caseId: CASE, occurredAt: at, reason } }),
  grant: (department: string, at: Date, extra: { stage?: number; reason?: string } = {}): CaseCommand => ({
    type: 'AnswerCoApproval',
    data: { caseId: CASE, occurredAt: at, department, answer: 'grant', ...extra },
  }),
  refuse: (department: string, at: Date, reason?: string): CaseCommand => ({
    type: 'AnswerCoApproval',
    data: { caseId: CASE, occurredAt: at, department, answer: 'refuse', ...(reason === undefined ? {} : { reason }) },
  }),
  supplement: (department: string, at: Date, materials: string[], reason?: string): CaseCommand => ({
    type: 'AnswerCoApproval',
    data: { caseId: CASE, occurredAt: at, department, answer: 'supplement', materials, ...(reason === undefined ? {} : { reason }) },
  }),
  resume: (at: Date): CaseCommand => ({ type: 'ResumeCase', data: { caseId: CASE, occurredAt: at } }),
  decide: (department: string, at: Date, approved: boolean, reason?: string): CaseCommand => ({
    type: 'DecideCase',
    data: { caseId: CASE, occurredAt: at, department, approved, ...(reason === undefined ? {} : { reason }) },
  }),
  assessFee: (at: Date): CaseCommand => ({ type: 'AssessFee', data: { caseId: CASE, occurredAt: at } }),
  payFee: (at: Date, extra: { amount?: string; receiptNo?: string; paidAt?: Date } = {}): CaseCommand => ({ type: 'PayFee', data: { caseId: CASE, occurredAt: at, ...extra } }),
  issueCertificate: (at: Date): CaseCommand => ({ type: 'IssueCertificate', data: { caseId: CASE, occurredAt: at } }),
  deliver: (at: Date, method?: DeliveryMethod, trackingNo?: string): CaseCommand => ({
    type: 'DeliverResult',
    data: { caseId: CASE, occurredAt: at, ...(method ? { method } : {}), ...(trackingNo ? { trackingNo } : {}) },
  }),
  review: (at: Date, grade: number, comment?: string): CaseCommand => ({ type: 'ReviewCase', data: { caseId: CASE, occurredAt: at, grade, ...(comment ? { comment } : {}) } }),
};

/** The events these commands record one after another from an empty case; throws at the first refusal. */
export function history(...commands: CaseCommand[]): CaseEvent[] {
  let state = decider.initialState();
  const events: CaseEvent[] = [];
  for (const command of commands) {
    const decision = decider.decide(command, state);
    if (!decision.ok) throw new Error(`${command.type} refused while building a history: ${JSON.stringify(decision.error)}`);
    for (const event of decision.events) {
      state = decider.evolve(state, event);
      events.push(event);
    }
  }
  return events;
}
