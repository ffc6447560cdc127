import type { DepartmentConnector } from '@hub/connector-core';
import { marriageRegistration } from './marriage-registration.ts';
import { socialAssistance } from './social-assistance.ts';

export { marriageRegistration, marriageRegistrationColumns } from './marriage-registration.ts';
export { socialAssistance, socialAssistanceColumns } from './social-assistance.ts';

/** Civil affairs (民政): the marriage register and minimum living allowances (低保). */
export const civilConnector: DepartmentConnector = {
  department: 'civil',
  resources: [marriageRegistration, socialAssistance],
};
