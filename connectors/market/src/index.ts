import type { DepartmentConnector } from '@hub/connector-core';
import { businessLicence } from './business-licence.ts';
import { foodBusinessPermit } from './food-business-permit.ts';

export { businessLicence, businessLicenceColumns } from './business-licence.ts';
export { foodBusinessPermit, foodBusinessPermitColumns } from './food-business-permit.ts';

/** Market regulation (市场监管): the enterprise register and food business permits. */
export const marketConnector: DepartmentConnector = {
  department: 'market',
  resources: [businessLicence, foodBusinessPermit],
};
