import type { DepartmentConnector, ResourceMapping } from '@hub/connector-core';
import { isDepartmentCode, topicFor, type DepartmentCode } from '@hub/schemas';

/** The resources each department may push, from the department connectors. */
export interface ResourceDirectory {
  find(department: string, resource: string): { kind: 'found'; mapping: ResourceMapping } | { kind: 'unknown-department' } | { kind: 'unknown-resource' };
  list(): Array<{ department: DepartmentCode; resource: string; eventType: string; topic: string; nativeColumns: string[] }>;
}

export function resourceDirectory(connectors: readonly DepartmentConnector[]): ResourceDirectory {
  const byDepartment = new Map<string, Map<string, ResourceMapping>>();
  for (const connector of connectors) {
    const resources = byDepartment.get(connector.department) ?? new Map<string, ResourceMapping>();
    for (const mapping of connector.resources) resources.set(mapping.resource, mapping);
    byDepartment.set(connector.department, resources);
  }
  return {
    find(department, resource) {
      if (!isDepartmentCode(department)) return { kind: 'unknown-department' };
      const mapping = byDepartment.get(department)?.get(resource);
      return mapping ? { kind: 'found', mapping } : { kind: 'unknown-resource' };
    },
    list() {
      return [...byDepartment.values()].flatMap((resources) => [...resources.values()]).map((m) => ({
        department: m.department,
        resource: m.resource,
        eventType: m.eventType,
        topic: topicFor(m.eventType),
        nativeColumns: [...m.nativeColumns],
      }));
    },
  };
}
