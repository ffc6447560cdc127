import type { DepartmentConnector } from '@hub/connector-core';
import { socialInsuranceEnrolment } from './social-insurance-enrolment.ts';

export { socialInsuranceEnrolment, socialInsuranceEnrolmentColumns } from './social-insurance-enrolment.ts';

/** HR and social security (人社): the insured-person register. */
export const hrssConnector: DepartmentConnector = {
  department: 'hrss',
  resources: [socialInsuranceEnrolment],
};
