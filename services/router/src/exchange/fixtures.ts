import type { SharedResource } from './access.ts';

/** ps's resident register as the catalog lists it: conditional, four sensitive fields (shared by the exchange specs). */
export const residents: SharedResource = {
  resourceCode: 'ps.resident-identity',
  owner: 'ps',
  sharing: 'conditional',
  taggedFields: [
    { path: 'idNumber', tags: ['ID_NUMBER'] },
    { path: 'previousIdNumber', tags: ['ID_NUMBER'] },
    { path: 'name', tags: ['NAME'] },
    { path: 'address', tags: ['ADDRESS'] },
  ],
  maskedFields: ['idNumber', 'previousIdNumber', 'name', 'address'],
};
