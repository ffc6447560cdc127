import { fetchCatalogueResources } from '@hub/catalogue-client';
import { agreementResourceOf } from '@hub/router';
import type { ResourceLookup } from './agreement-desk.ts';

/** A resource code looked up in the catalog's resource catalogue (GET /catalog/resources), fresh for every request: the sharing condition is the catalog's now. */
export function catalogueResources(registryUrl: string): ResourceLookup {
  return async (resourceCode) => {
    const entry = (await fetchCatalogueResources(registryUrl)).find((resource) => resource.resourceCode === resourceCode);
    return entry ? agreementResourceOf(entry) : null;
  };
}
