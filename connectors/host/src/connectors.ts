import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDepartmentConnector, type DepartmentConnector, type ResourceMapping } from '@hub/connector-core';
import type { Logger } from '@hub/runtime';

/** A module specifier as `import()` takes it: a relative or absolute path becomes a file URL (relative to the working directory). */
export function importable(specifier: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return pathToFileURL(resolve(specifier)).href;
  return specifier;
}

/**
 * Imports each module and collects the DepartmentConnector values it exports.
 * A module that is not installed is skipped with a warning (department
 * packages arrive one by one); one that fails to load is logged and skipped so
 * the other departments keep running. Resources of one department from several
 * modules are merged; a resource defined twice keeps its first mapping.
 */
export async function loadConnectors(specifiers: readonly string[], logger: Logger): Promise<{ connectors: DepartmentConnector[]; problems: string[] }> {
  const byDepartment = new Map<string, Map<string, ResourceMapping>>();
  const problems: string[] = [];
  for (const specifier of specifiers) {
    let module: Record<string, unknown>;
    try {
      module = (await import(importable(specifier))) as Record<string, unknown>;
    } catch (error) {
      const code = (error as { code?: string }).code;
      const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(specifier.split('/').pop() ?? specifier);
      if (missing) logger.warn({ module: specifier }, 'connector module not installed; skipped');
      else {
        logger.error({ module: specifier, err: error }, 'connector module failed to load; skipped');
        problems.push(`${specifier}: ${error instanceof Error ? error.message : String(error)}`);
      }
      continue;
    }
    const found = Object.values(module).filter(isDepartmentConnector);
    if (found.length === 0) logger.warn({ module: specifier }, 'module exports no DepartmentConnector; skipped');
    for (const connector of found) {
      const resources = byDepartment.get(connector.department) ?? new Map<string, ResourceMapping>();
      byDepartment.set(connector.department, resources);
      for (const mapping of connector.resources) {
        if (resources.has(mapping.resource)) {
          if (resources.get(mapping.resource) !== mapping) logger.warn({ module: specifier, department: connector.department, resource: mapping.resource }, 'resource mapped twice; the first mapping is kept');
          continue;
        }
        resources.set(mapping.resource, mapping);
      }
    }
  }
  const connectors = [...byDepartment].map(([department, resources]) => ({
    department: department as DepartmentConnector['department'],
    resources: [...resources.values()],
  }));
  return { connectors, problems };
}
