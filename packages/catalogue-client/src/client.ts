import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CatalogueResource, type ResourceFilter } from './resource.ts';

const Resources = Type.Array(CatalogueResource);

/**
 * The catalogue view over HTTP, for other parts of the hub (the router's
 * masking, dashboards): `GET /catalog/resources` of the catalog at
 * `registryUrl` (SCHEMA_REGISTRY_URL), checked against the API's own schema.
 */
export async function fetchCatalogueResources(registryUrl: string, filter: ResourceFilter = {}): Promise<CatalogueResource[]> {
  const url = new URL('/catalog/resources', registryUrl);
  if (filter.department) url.searchParams.set('department', filter.department);
  if (filter.condition) url.searchParams.set('condition', filter.condition);
  const response = await fetch(url, { headers: { accept: 'application/vnd.schemaregistry.v1+json' } });
  const body: unknown = await response.json();
  if (!response.ok) {
    const message = typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : response.statusText;
    throw new Error(`the catalog at ${registryUrl} answered ${response.status}: ${message}`);
  }
  if (!Value.Check(Resources, body)) throw new Error(`the catalog at ${registryUrl} answered something that is not a list of resources`);
  return body;
}
