/**
 * The case figures (domain.md, Metrics), exactly as the issue defines them,
 * over a group of cases:
 * - submitted, accepted (受理), refused at intake (不予受理), completed (办结:
 *   the lead decided), in progress (accepted, not completed);
 * - on-time rate (按时办结率) = completed on or before the promised due date / completed;
 * - handling speed-up (办理提速率) = mean over completed cases of 1 − working days used / legal days;
 * - promised speed-up (承诺提速率) = mean over accepted cases of 1 − promised days / legal days;
 * - same-day rate (即办率) = completed on the day of acceptance / accepted;
 * - satisfaction (满意率) = reviews of grade 3, 4 or 5 (基本满意 and better) / reviews.
 *
 * A group is first tallied (integers only, which ClickHouse sums exactly),
 * then turned into figures here: rates and means are rounded to 12 decimals
 * and null when their denominator is 0, as the simulators' ground truth
 * writes them. The means are worked out as exact fractions before the one
 * rounding, so the order in which cases were summed does not show.
 */
export interface CaseFigures {
  submitted: number;
  accepted: number;
  refusedAtIntake: number;
  completed: number;
  inProgress: number;
  onTime: number;
  onTimeRate: number | null;
  handlingSpeedUp: number | null;
  promisedSpeedUp: number | null;
  sameDay: number;
  sameDayRate: number | null;
  reviews: number;
  satisfied: number;
  satisfaction: number | null;
}

/** Sums of the terms (L − x) / L of a mean, by their denominator L (legal days). */
export type Fractions = Map<number, number>;

export interface CaseTally {
  submitted: number;
  accepted: number;
  refusedAtIntake: number;
  completed: number;
  onTime: number;
  sameDay: number;
  reviews: number;
  satisfied: number;
  /** Σ (legal − used) by legal days, over completed cases. */
  handling: Fractions;
  /** Σ (legal − promised) by legal days, over accepted cases. */
  promised: Fractions;
}

export function emptyTally(): CaseTally {
  return { submitted: 0, accepted: 0, refusedAtIntake: 0, completed: 0, onTime: 0, sameDay: 0, reviews: 0, satisfied: 0, handling: new Map(), promised: new Map() };
}

/** What one case (or one ClickHouse group of cases with the same legal days) adds to a tally. */
export interface TallyPart {
  submitted: number;
  accepted: number;
  refusedAtIntake: number;
  completed: number;
  onTime: number;
  sameDay: number;
  reviews: number;
  satisfied: number;
  legalDays: number | null;
  /** Σ (legal − used) over the part's completed cases. */
  handlingNumerator: number;
  /** Σ (legal − promised) over the part's accepted cases. */
  promisedNumerator: number;
}

export function addToTally(tally: CaseTally, part: TallyPart): CaseTally {
  tally.submitted += part.submitted;
  tally.accepted += part.accepted;
  tally.refusedAtIntake += part.refusedAtIntake;
  tally.completed += part.completed;
  tally.onTime += part.onTime;
  tally.sameDay += part.sameDay;
  tally.reviews += part.reviews;
  tally.satisfied += part.satisfied;
  if (part.legalDays !== null && part.legalDays > 0) {
    if (part.completed > 0) tally.handling.set(part.legalDays, (tally.handling.get(part.legalDays) ?? 0) + part.handlingNumerator);
    if (part.accepted > 0) tally.promised.set(part.legalDays, (tally.promised.get(part.legalDays) ?? 0) + part.promisedNumerator);
  }
  return tally;
}

/** The part one case's facts make (the reference the SQL aggregates follow). */
export function partOfCase(facts: {
  acceptedOn: string | null;
  refusedAtIntake: 0 | 1;
  decidedOn: string | null;
  onTime: 0 | 1 | null;
  sameDay: 0 | 1 | null;
  grade: number | null;
  legalDays: number | null;
  promisedDays: number | null;
  workingDaysUsed: number | null;
}): TallyPart {
  const accepted = facts.acceptedOn !== null;
  const completed = facts.decidedOn !== null;
  const legal = facts.legalDays ?? 0;
  return {
    submitted: 1,
    accepted: accepted ? 1 : 0,
    refusedAtIntake: facts.refusedAtIntake,
    completed: completed ? 1 : 0,
    onTime: facts.onTime === 1 ? 1 : 0,
    sameDay: facts.sameDay === 1 ? 1 : 0,
    reviews: facts.grade === null ? 0 : 1,
    satisfied: facts.grade !== null && facts.grade >= 3 ? 1 : 0,
    legalDays: facts.legalDays,
    handlingNumerator: completed ? legal - (facts.workingDaysUsed ?? 0) : 0,
    promisedNumerator: accepted ? legal - (facts.promisedDays ?? 0) : 0,
  };
}

export function caseFigures(tally: CaseTally): CaseFigures {
  return {
    submitted: tally.submitted,
    accepted: tally.accepted,
    refusedAtIntake: tally.refusedAtIntake,
    completed: tally.completed,
    inProgress: tally.accepted - tally.completed,
    onTime: tally.onTime,
    onTimeRate: ratio(tally.onTime, tally.completed),
    handlingSpeedUp: meanOfFractions(tally.handling, tally.completed),
    promisedSpeedUp: meanOfFractions(tally.promised, tally.accepted),
    sameDay: tally.sameDay,
    sameDayRate: ratio(tally.sameDay, tally.accepted),
    reviews: tally.reviews,
    satisfied: tally.satisfied,
    satisfaction: ratio(tally.satisfied, tally.reviews),
  };
}

/** part / whole rounded to 12 decimals; null when whole is 0. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : round12(part / whole);
}

/** (1 / count) · Σ_L numerator_L / L, as one exact fraction divided once, rounded to 12 decimals; null when count is 0. */
export function meanOfFractions(fractions: Fractions, count: number): number | null {
  if (count === 0) return null;
  let denominator = 1n;
  for (const legal of fractions.keys()) denominator = lcm(denominator, BigInt(legal));
  let numerator = 0n;
  for (const [legal, sum] of fractions) numerator += BigInt(sum) * (denominator / BigInt(legal));
  // (count·D − numerator) / (count·D) would be 1 − mean; the terms already are 1 − x/L, i.e. (L − x)/L.
  return round12(divide(numerator, denominator * BigInt(count)));
}

const round12 = (value: number): number => Math.round(value * 1e12) / 1e12;

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

function lcm(a: bigint, b: bigint): bigint {
  return (a / gcd(a, b)) * b;
}

/** numerator / denominator as the nearest double, also when they exceed 2^53. */
function divide(numerator: bigint, denominator: bigint): number {
  const whole = numerator / denominator;
  const rest = numerator - whole * denominator;
  return Number(whole) + Number((rest * 10n ** 18n) / denominator) / 1e18;
}
