import type { DepartmentConnector } from '@hub/connector-core';
import { residentIdentity } from './resident-identity.ts';

export { residentIdentity, residentIdentityColumns } from './resident-identity.ts';

/** Public security (公安, 金盾): the population register. */
export const psConnector: DepartmentConnector = {
  department: 'ps',
  resources: [residentIdentity],
};
