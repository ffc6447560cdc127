import type { DepartmentConnector } from '@hub/connector-core';
import { constructionPermit } from './construction-permit.ts';

export { constructionPermit, constructionPermitColumns } from './construction-permit.ts';

/** Housing and construction (住建): construction permits. */
export const housingConnector: DepartmentConnector = {
  department: 'housing',
  resources: [constructionPermit],
};
