// The windows and departments of the router's suites: a seeded plan of cases
// with every step and its event time, and a driver that sends the steps
// through the gateway's HTTP API, day by day (supervision runs on event time,
// so the hub must see time in order).
import { generateResidentId, mulberry32 } from '@hub/identifiers';

type Random = () => number;

/** The suites' item: land leads; tax and ps co-approve in stage 1, market in stage 2; a fee and a certificate. */
export const testItem = (code: string) => ({
  code,
  body: {
    name: '测试事项：不动产登记（联办）',
    leadDepartment: 'land',
    legalDays: 20,
    promisedDays: 8,
    stages: [
      { departments: ['tax', 'ps'], dueDays: 3 },
      { departments: ['market'], dueDays: 2 },
    ],
    fee: { amount: '80.00', basis: '不动产登记收费标准（发改价格规〔2016〕2559号）' },
    certificateType: '不动产权证书',
  },
});

export type Principal = 'window' | 'land' | 'tax' | 'ps' | 'market';
export type TaskOutcome = 'granted' | 'refused' | 'cancelled';

export interface Action {
  /** Days after the plan's first day. */
  day: number;
  at: Date;
  /** `submit`, or the step's path under /v1/cases/{caseId}/. */
  step: string;
  by: Principal;
  body: Record<string, unknown>;
}

export interface CasePlan {
  index: number;
  actions: Action[];
  expected: {
    status: 'refused-at-intake' | 'reviewed';
    outcome?: 'APPROVED' | 'REFUSED';
    /** `<department>@<stage>` → how its task ends. */
    tasks: Record<string, TaskOutcome>;
    /** Co-approval requests the case makes: `<department>@<stage>`. */
    requests: string[];
  };
}

const DAY_MS = 86_400_000;

/**
 * `count` cases for `itemCode`, starting on day 0 at `start` (00:00
 * Asia/Shanghai), each step one to seven days after the one before it, at a
 * time of the working day; a seeded mix of intake refusals, co-approval
 * refusals, supplements and late answers.
 */
export function planCases(options: { count: number; seed: number; itemCode: string; start: Date; firstDays: number }): CasePlan[] {
  const random = mulberry32(options.seed);
  const plans: CasePlan[] = [];
  for (let index = 0; index < options.count; index += 1) plans.push(planCase(index, random, options));
  return plans;
}

function planCase(index: number, random: Random, options: { itemCode: string; start: Date; firstDays: number }): CasePlan {
  const actions: Action[] = [];
  const tasks: Record<string, TaskOutcome> = {};
  const requests: string[] = [];
  let day = Math.floor(random() * options.firstDays);
  const at = (d: number) => new Date(options.start.getTime() + d * DAY_MS + (9 + random() * 8) * 3_600_000);
  const act = (step: string, by: Principal, body: Record<string, unknown> = {}, sameDay = false) => {
    // One to seven days later, a late one now and then: some tasks run past their due date.
    if (!sameDay) day += random() < 0.75 ? 1 : 2 + Math.floor(random() * 6);
    const time = at(day);
    const previous = actions.at(-1);
    const when = previous && previous.day === day && time <= previous.at ? new Date(previous.at.getTime() + 60_000) : time;
    actions.push({ day, at: when, step, by, body: step === 'submit' ? { ...body, submittedAt: when.toISOString() } : { ...body, occurredAt: when.toISOString() } });
  };
  act('submit', 'window', submission(index, options.itemCode), true);
  if (random() < 0.05) {
    act('acceptance', 'window', { accepted: false, reason: '申请材料不齐全，且逾期未补正' }, true);
    return { index, actions, expected: { status: 'refused-at-intake', tasks, requests } };
  }
  act('acceptance', 'window', { accepted: true }, random() < 0.5);

  let refusedBy: string | undefined;
  const stages: Array<Array<'tax' | 'ps' | 'market'>> = [['tax', 'ps'], ['market']];
  for (const [i, departments] of stages.entries()) {
    const stage = i + 1;
    for (const department of departments) requests.push(`${department}@${stage}`);
    for (const department of departments) {
      if (refusedBy) {
        tasks[`${department}@${stage}`] = 'cancelled';
        continue;
      }
      if (random() < 0.12) {
        act('answers', department, { answer: 'supplement', stage, materials: ['补充材料清单'], reason: '请补正材料' });
        act('supplements', 'window');
      }
      const refuses = random() < 0.07;
      act('answers', department, refuses ? { answer: 'refuse', stage, reason: '不符合法定条件' } : { answer: 'grant', stage, reason: '经审查，同意' });
      tasks[`${department}@${stage}`] = refuses ? 'refused' : 'granted';
      if (refuses) refusedBy = department;
    }
    if (refusedBy) break;
  }
  const approved = !refusedBy && random() < 0.9;
  act('decision', 'land', approved ? { approved: true } : { approved: false, reason: refusedBy ? `协办部门（${refusedBy}）不同意` : '不符合法定条件' });
  if (approved) {
    act('fee', 'window', {}, true);
    act('payment', 'window');
    act('certificate', 'window', {}, true);
  }
  act('delivery', 'window');
  act('review', 'window', { grade: 1 + Math.floor(random() * 5) }, random() < 0.5);
  return { index, actions, expected: { status: 'reviewed', outcome: approved ? 'APPROVED' : 'REFUSED', tasks, requests } };
}

function submission(index: number, itemCode: string): Record<string, unknown> {
  return {
    applicant: { type: 'person', name: '韦建国', idNumber: generateResidentId({ division: '450102', birthDate: '1985-03-12', sequence: (index % 999) + 1 }) },
    itemCode,
    itemName: '测试事项：不动产登记（联办）',
    centre: 'NN-XN-ZWZX',
    window: 'W07',
    divisionCode: '450102',
    documents: [{ name: '不动产登记申请书', fileRef: `dms://test/${index}.pdf` }],
  };
}

export interface DriveResult {
  caseIds: string[];
  /** Event ids the gateway answered with, 2xx only. */
  answeredEventIds: string[];
  failures: string[];
  steps: number;
}

export interface Gateway {
  url: string;
  tokens: Record<Principal | 'operator', string>;
}

export const devTokens: Gateway['tokens'] = {
  window: 'dev-window-token',
  operator: 'dev-operator-token',
  land: 'dev-land-token',
  tax: 'dev-tax-token',
  ps: 'dev-ps-token',
  market: 'dev-market-token',
};

/**
 * Sends every plan's actions, day by day: the actions of one day go at once
 * (`concurrency` at a time, one case's in order), and no action of the next
 * day starts before every one of this day is answered. A 503 or a dropped
 * connection is retried; any other non-2xx answer is a failure and ends that
 * case's script. `onDay` runs before each day (a crash test kills a router there).
 */
export async function drive(gateway: Gateway, plans: readonly CasePlan[], options: { concurrency: number; runId: string; onDay?: (day: number) => Promise<void> | void }): Promise<DriveResult> {
  const caseIds: string[] = new Array(plans.length).fill('');
  const stopped = new Set<number>();
  const result: DriveResult = { caseIds, answeredEventIds: [], failures: [], steps: 0 };
  const lastDay = Math.max(...plans.flatMap((plan) => plan.actions.map((a) => a.day)));
  for (let day = 0; day <= lastDay; day += 1) {
    await options.onDay?.(day);
    const today = plans.filter((plan) => !stopped.has(plan.index) && plan.actions.some((a) => a.day === day));
    let next = 0;
    const worker = async () => {
      while (next < today.length) {
        const plan = today[next++]!;
        for (const action of plan.actions.filter((a) => a.day === day)) {
          const answer = await send(gateway, plan, action, caseIds[plan.index]!, options.runId);
          result.steps += 1;
          if (!answer.ok) {
            result.failures.push(`case #${plan.index} ${caseIds[plan.index]} ${action.step} by ${action.by}: ${answer.status} ${answer.text.slice(0, 300)}`);
            stopped.add(plan.index);
            break;
          }
          if (action.step === 'submit') caseIds[plan.index] = answer.body.caseId as string;
          if (typeof answer.body.eventId === 'string') result.answeredEventIds.push(answer.body.eventId);
          for (const event of (answer.body.events as Array<{ eventId: string }> | undefined) ?? []) result.answeredEventIds.push(event.eventId);
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  }
  return result;
}

async function send(gateway: Gateway, plan: CasePlan, action: Action, caseId: string, runId: string): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; status: number | string; text: string }> {
  const url = action.step === 'submit' ? `${gateway.url}/v1/cases` : `${gateway.url}/v1/cases/${encodeURIComponent(caseId)}/${action.step}`;
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${gateway.tokens[action.by]}` };
  // A step retried after a dropped answer or a 503 must not be taken twice (nor a submission make a second case).
  headers['idempotency-key'] = `${runId}-${plan.index}-${plan.actions.indexOf(action)}`;
  for (let attempt = 1; ; attempt += 1) {
    let status: number | string;
    let text: string;
    try {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(action.body) });
      status = response.status;
      text = await response.text();
      if (response.ok) return { ok: true, body: JSON.parse(text) as Record<string, unknown> };
    } catch (error) {
      status = 'network';
      text = error instanceof Error ? error.message : String(error);
    }
    if ((status !== 503 && status !== 'network') || attempt >= 20) return { ok: false, status, text };
    await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** attempt)));
  }
}
