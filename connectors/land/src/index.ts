import type { DepartmentConnector } from '@hub/connector-core';
import { realEstateTitle } from './real-estate-title.ts';

export { realEstateTitle, realEstateTitleColumns } from './real-estate-title.ts';

/** Land and real estate (自然资源/不动产): the real-estate register. */
export const landConnector: DepartmentConnector = {
  department: 'land',
  resources: [realEstateTitle],
};
