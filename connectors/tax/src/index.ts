import type { DepartmentConnector } from '@hub/connector-core';
import { taxClearance } from './tax-clearance.ts';
import { taxpayerRegistration } from './taxpayer-registration.ts';

export { taxClearance, taxClearanceColumns } from './tax-clearance.ts';
export { taxpayerRegistration, taxpayerRegistrationColumns } from './taxpayer-registration.ts';

/** Taxation (税务, 金税): the taxpayer register and tax clearance certificates. */
export const taxConnector: DepartmentConnector = {
  department: 'tax',
  resources: [taxpayerRegistration, taxClearance],
};
