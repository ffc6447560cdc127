import type { NativeRecord, ResourceMapping } from '@hub/connector-core';
import type { DepartmentCode } from '@hub/schemas';
import type { SimulatedRegion } from '../places.ts';
import { type Random, chance, pick } from '../random.ts';
import { type Defect, type DefectRule, spoil } from './defects.ts';

/** What a generator may know: the region it draws from and the time of the simulation. */
export interface SimulationContext {
  readonly region: SimulatedRegion;
  /** The simulated "now": no generated date lies after it. */
  readonly now: Date;
  /** `now` as a Beijing calendar day, 'YYYY-MM-DD'. */
  readonly today: string;
}

/** How one department system writes the records of one resource, good and bad. */
export interface ResourceSimulator {
  readonly department: DepartmentCode;
  /** Resource code after the department, as in the connector: `resident-identity`. */
  readonly resource: string;
  /** The connector mapping the records are for (its native columns give the file header). */
  readonly mapping: ResourceMapping;
  /** A realistic, valid native record. */
  good(random: Random, context: SimulationContext): NativeRecord;
  /** The realistic ways its records are bad; a bad record has exactly one. */
  readonly defects: readonly DefectRule[];
}

/** One simulated native record; `defect` says how it was spoilt when it is bad on purpose. */
export interface SimulatedRecord {
  readonly native: NativeRecord;
  readonly defect?: Defect;
}

export interface GenerateOptions {
  /** Share of records spoilt on purpose, 0 to 1. */
  readonly badShare: number;
}

/** One record: good, or with probability `badShare` spoilt by one of the resource's defect rules. */
export function simulateRecord(simulator: ResourceSimulator, random: Random, context: SimulationContext, options: GenerateOptions): SimulatedRecord {
  const native = simulator.good(random, context);
  if (!chance(random, options.badShare) || simulator.defects.length === 0) return { native };
  return spoil(native, pick(random, simulator.defects), random);
}

/** `count` records, lazily, so that a million can stream into a file. */
export function* simulateRecords(
  simulator: ResourceSimulator,
  random: Random,
  context: SimulationContext,
  options: GenerateOptions & { readonly count: number },
): Generator<SimulatedRecord> {
  for (let i = 0; i < options.count; i += 1) yield simulateRecord(simulator, random, context, options);
}
