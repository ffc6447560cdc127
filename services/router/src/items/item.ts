import type { DepartmentCode } from '@hub/schemas';

/**
 * A licensing item (事项) as the router works with it: who leads, the time
 * limits, which departments co-approve in which stages, and what it costs.
 * Items are data (the data centre's operator defines them, see `events.ts`),
 * never code.
 */
export interface Item {
  /** Item code (事项编码), as in `CaseSubmitted.itemCode`. */
  readonly code: string;
  /** Item name (事项名称). */
  readonly name: string;
  /** Lead department (主办部门): accepts, decides, and asks the others. */
  readonly leadDepartment: DepartmentCode;
  /** Legal time limit in working days (法定时限). */
  readonly legalDays: number;
  /** Promised time limit in working days (承诺时限), at most the legal one; 0 means same-day (即办). */
  readonly promisedDays: number;
  /**
   * Co-approval stages (串联环节), run one after the other; the departments of
   * one stage work in parallel (并联). Empty when the lead decides alone.
   */
  readonly stages: readonly Stage[];
  /** Fee (收费), charged at the unified fee window after approval; absent when the item is free. */
  readonly fee?: Fee;
  /**
   * The certificate or licence an approval produces (证照类型), e.g. 营业执照;
   * absent when the result is delivered without one (the decision itself).
   */
  readonly certificateType?: string;
}

/** One co-approval stage (审批环节): its departments answer in parallel within `dueDays` working days of being asked. */
export interface Stage {
  readonly departments: readonly DepartmentCode[];
  /** Working days each department of the stage has (协办时限). */
  readonly dueDays: number;
}

/**
 * A fee (收费标准). `amount` is in yuan as exact decimal text with two
 * fraction digits ("80.00"): the form the Avro `decimal(14,2)` of
 * `FeeAssessed.amount` decodes to, so a replayed event equals the one decided.
 */
export interface Fee {
  readonly amount: string;
  /** Legal basis and standard of the fee (收费依据及标准). */
  readonly basis: string;
}

/** Legal limit for joint or centralised handling: 45 working days, extendable by 15 (行政许可法 第四十二条). */
export const MAX_LEGAL_DAYS = 45 + 15;

/** The co-approving departments of an item, stage by stage. */
export function coApprovers(item: Pick<Item, 'stages'>): DepartmentCode[] {
  return item.stages.flatMap((stage) => stage.departments);
}

/** Whether two definitions say the same thing (a definition sent again changes nothing). */
export function sameItem(a: Item, b: Item): boolean {
  return canonicalItem(a) === canonicalItem(b);
}

function canonicalItem(item: Item): string {
  const { code, name, leadDepartment, legalDays, promisedDays, stages, fee, certificateType } = item;
  return JSON.stringify([
    code,
    name,
    leadDepartment,
    legalDays,
    promisedDays,
    stages.map((stage) => [stage.departments, stage.dueDays]),
    fee ? [fee.amount, fee.basis] : null,
    certificateType ?? null,
  ]);
}
