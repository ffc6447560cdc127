export { CatalogueResource, TaggedField, type ResourceFilter } from './resource.ts';
export { fetchCatalogueResources } from './client.ts';
