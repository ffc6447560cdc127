import type { DepartmentCode } from '@hub/schemas';
import { marriageRegistrationSimulator, socialAssistanceSimulator } from './records/civil.ts';
import { constructionPermitSimulator } from './records/housing.ts';
import { socialInsuranceEnrolmentSimulator } from './records/hrss.ts';
import { realEstateTitleSimulator } from './records/land.ts';
import { businessLicenceSimulator, foodBusinessPermitSimulator } from './records/market.ts';
import { residentIdentitySimulator } from './records/ps.ts';
import type { ResourceSimulator } from './records/simulator.ts';
import { taxClearanceSimulator, taxpayerRegistrationSimulator } from './records/tax.ts';

export {
  type Defect,
  type DefectKind,
  type DefectRule,
  ABOLISHED_COUNTIES,
  badDecimal,
  checkCharacter,
  impossibleDate,
  missing,
  unknownCode,
  unknownDivision,
} from './records/defects.ts';
export {
  type GenerateOptions,
  type ResourceSimulator,
  type SimulatedRecord,
  type SimulationContext,
  simulateRecord,
  simulateRecords,
} from './records/simulator.ts';

/** Every resource a department simulator writes, in department order. */
export const resourceSimulators: readonly ResourceSimulator[] = [
  taxpayerRegistrationSimulator,
  taxClearanceSimulator,
  residentIdentitySimulator,
  realEstateTitleSimulator,
  businessLicenceSimulator,
  foodBusinessPermitSimulator,
  marriageRegistrationSimulator,
  socialAssistanceSimulator,
  socialInsuranceEnrolmentSimulator,
  constructionPermitSimulator,
];

/** The resources of one department. */
export function departmentSimulators(department: DepartmentCode): ResourceSimulator[] {
  return resourceSimulators.filter((simulator) => simulator.department === department);
}

/** The simulator of `dept.resource` (e.g. `ps.resident-identity`); throws on an unknown one. */
export function resourceSimulator(code: string): ResourceSimulator {
  const found = resourceSimulators.find((simulator) => `${simulator.department}.${simulator.resource}` === code);
  if (found === undefined) throw new RangeError(`no simulator for resource ${JSON.stringify(code)}`);
  return found;
}
