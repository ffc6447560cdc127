import { departments, isDepartmentCode, type DepartmentCode } from '@hub/schemas';
import { MAX_LEGAL_DAYS, type Fee, type Item, type Stage } from './item.ts';

/** What is wrong with a definition, named by its field (`stages[1].departments[0]`), so a 400 can point at it. */
export interface ItemProblem {
  readonly field: string;
  readonly message: string;
}

export type ItemCheck = { readonly ok: true; readonly item: Item } | { readonly ok: false; readonly problems: readonly ItemProblem[] };

const CODE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/;
const YUAN = /^\d{1,12}\.\d{2}$/;
const ITEM_FIELDS = new Set(['code', 'name', 'leadDepartment', 'legalDays', 'promisedDays', 'stages', 'fee', 'certificateType']);
const STAGE_FIELDS = new Set(['departments', 'dueDays']);
const FEE_FIELDS = new Set(['amount', 'basis']);
const KNOWN = departments.map((department) => department.code).join(', ');

/**
 * Checks an item definition as an operator sends it (`PUT /v1/items/{code}`
 * with the code merged in) and returns the item, or every problem found:
 * - `promisedDays` ≤ `legalDays` ≤ 60 (行政许可法 Art. 42: joint handling 45
 *   working days, +15 with approval; a single department's 20 (+10) is not
 *   enforced, since other laws set their own limits within that bound);
 * - departments known, the lead not a co-approver of its own item, each
 *   co-approver in one stage only (so an answer names its task without a stage);
 * - each stage at least one department and 1..promisedDays working days, and
 *   the stages, which run one after another, within the promised limit together;
 * - a fee in yuan with two decimals ("80.00"), above zero (omit it when free).
 */
export function checkItem(input: unknown): ItemCheck {
  const problems: ItemProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  if (!isRecord(input)) return { ok: false, problems: [{ field: '', message: 'an item definition is an object' }] };
  unknownFields(input, ITEM_FIELDS, '', problem);

  const { code, name, leadDepartment, legalDays, promisedDays, stages, fee, certificateType } = input;
  if (typeof code !== 'string' || !CODE.test(code)) problem('code', 'item code: 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  if (!isText(name, 100)) problem('name', 'item name: 1 to 100 characters, not blank');
  if (typeof leadDepartment !== 'string' || !isDepartmentCode(leadDepartment)) problem('leadDepartment', `lead department: one of ${KNOWN}`);

  const legalOk = isWholeNumber(legalDays) && legalDays >= 1 && legalDays <= MAX_LEGAL_DAYS;
  if (!legalOk) problem('legalDays', `legal limit: whole working days from 1 to ${MAX_LEGAL_DAYS} (45, +15 with approval, 行政许可法 第四十二条)`);
  const promisedOk = isWholeNumber(promisedDays) && promisedDays >= 0;
  if (!promisedOk) problem('promisedDays', 'promised limit: whole working days, 0 for same-day handling (即办)');
  else if (legalOk && promisedDays > legalDays) problem('promisedDays', `promised limit ${promisedDays} is longer than the legal limit ${legalDays}`);

  const checkedStages: Stage[] = [];
  if (!Array.isArray(stages)) problem('stages', 'stages: a list of co-approval stages, empty when the lead decides alone');
  else {
    const stageOf = new Map<string, number>();
    stages.forEach((stage: unknown, index) => {
      const at = `stages[${index}]`;
      if (!isRecord(stage)) return problem(at, 'a stage is {departments, dueDays}');
      unknownFields(stage, STAGE_FIELDS, at, problem);
      const { departments: members, dueDays } = stage;
      const codes: DepartmentCode[] = [];
      if (!Array.isArray(members) || members.length === 0) problem(`${at}.departments`, 'a stage has at least one department');
      else {
        members.forEach((member: unknown, position) => {
          const field = `${at}.departments[${position}]`;
          if (typeof member !== 'string' || !isDepartmentCode(member)) return problem(field, `department: one of ${KNOWN}`);
          if (member === leadDepartment) return problem(field, `${member} leads the item and cannot co-approve its own case`);
          const earlier = stageOf.get(member);
          if (earlier !== undefined) return problem(field, `${member} is already a co-approver in stage ${earlier}`);
          stageOf.set(member, index + 1);
          codes.push(member);
        });
      }
      if (!isWholeNumber(dueDays) || dueDays < 1) problem(`${at}.dueDays`, 'stage limit: at least 1 whole working day');
      else if (promisedOk && dueDays > promisedDays) problem(`${at}.dueDays`, `stage limit ${dueDays} is longer than the promised limit ${promisedDays}`);
      else checkedStages.push({ departments: codes, dueDays });
    });
    const total = checkedStages.reduce((sum, stage) => sum + stage.dueDays, 0);
    if (promisedOk && checkedStages.length === stages.length && stages.length > 1 && total > promisedDays) {
      problem('stages', `the stages run one after another for ${total} working days, longer than the promised limit ${promisedDays}`);
    }
  }

  let checkedFee: Fee | undefined;
  if (fee !== undefined && fee !== null) {
    if (!isRecord(fee)) problem('fee', 'fee: {amount, basis}, or absent when the item is free');
    else {
      unknownFields(fee, FEE_FIELDS, 'fee', problem);
      const amountOk = typeof fee.amount === 'string' && YUAN.test(fee.amount) && /[1-9]/.test(fee.amount);
      if (!amountOk) problem('fee.amount', 'fee amount: yuan above zero with two decimals, e.g. "80.00" (omit the fee when the item is free)');
      if (!isText(fee.basis, 500)) problem('fee.basis', 'fee basis (收费依据及标准): 1 to 500 characters, not blank');
      if (amountOk && isText(fee.basis, 500)) checkedFee = { amount: fee.amount as string, basis: fee.basis };
    }
  }
  if (certificateType !== undefined && certificateType !== null && !isText(certificateType, 100)) {
    problem('certificateType', 'certificate type (证照类型): 1 to 100 characters, or absent when no certificate is issued');
  }

  if (problems.length > 0) return { ok: false, problems };
  const item: Item = {
    code: code as string,
    name: name as string,
    leadDepartment: leadDepartment as DepartmentCode,
    legalDays: legalDays as number,
    promisedDays: promisedDays as number,
    stages: checkedStages,
    ...(checkedFee ? { fee: checkedFee } : {}),
    ...(typeof certificateType === 'string' ? { certificateType } : {}),
  };
  return { ok: true, item };
}

/** The problems of a definition, none when it is valid. */
export function itemProblems(input: unknown): readonly ItemProblem[] {
  const checked = checkItem(input);
  return checked.ok ? [] : checked.problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= max;
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function unknownFields(value: Record<string, unknown>, known: ReadonlySet<string>, at: string, problem: (field: string, message: string) => void) {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) problem(at ? `${at}.${key}` : key, `unknown field (known: ${[...known].join(', ')})`);
  }
}
