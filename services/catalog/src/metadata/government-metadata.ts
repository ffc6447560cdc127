import { departments, isDepartmentCode, sensitiveTags, type SharingCondition, type UpdateCycle } from '@hub/schemas';

/**
 * Confluent's `metadata` of a schema version, which standard clients carry
 * unchanged. The hub keeps the government catalogue (政务信息资源目录) in it:
 * `properties.owner` (the owner department), `properties.sharing` (共享属性),
 * `properties.updateCycle` (更新周期), `properties.resourceCode` (资源代码),
 * `properties.title` (资源名称), and field tags in `tags` or inline.
 */
export interface SchemaMetadata {
  properties?: Record<string, string>;
  /** Field pattern (`Record.field`, `**.field`) → tags. */
  tags?: Record<string, string[]>;
  /** Names of properties whose values are sensitive. */
  sensitive?: string[];
}

const sharing: Record<SharingCondition, string> = {
  unconditional: '无条件共享: taken directly',
  conditional: '有条件共享: each request approved by the owner; tagged fields may be masked',
  'not-shared': '不予共享',
};
const cycles: Record<UpdateCycle, true> = { 'real-time': true, hourly: true, daily: true, weekly: true, monthly: true, quarterly: true, yearly: true };

export const sharingConditions = Object.keys(sharing) as SharingCondition[];
export const updateCycles = Object.keys(cycles) as UpdateCycle[];
export const departmentCodes = departments.map((d) => d.code);
/** Tags that make a field masked when a resource is shared conditionally (脱敏字段). */
export const maskingTags: readonly string[] = sensitiveTags;

export function isSharingCondition(value: string): value is SharingCondition {
  return Object.hasOwn(sharing, value);
}

/** What is wrong with the hub's properties in a metadata block; empty when nothing is. */
export function metadataProblems(metadata: SchemaMetadata | undefined): string[] {
  const properties = metadata?.properties ?? {};
  const problems: string[] = [];
  const { owner, sharing: condition, updateCycle } = properties;
  if (owner !== undefined && !isDepartmentCode(owner)) {
    problems.push(`metadata.properties.owner must be a department code (${departmentCodes.join(', ')}), not ${JSON.stringify(owner)}`);
  }
  if (condition !== undefined && !isSharingCondition(condition)) {
    problems.push(`metadata.properties.sharing must be one of ${sharingConditions.join(', ')}, not ${JSON.stringify(condition)}`);
  }
  if (updateCycle !== undefined && !Object.hasOwn(cycles, updateCycle)) {
    problems.push(`metadata.properties.updateCycle must be one of ${updateCycles.join(', ')}, not ${JSON.stringify(updateCycle)}`);
  }
  return problems;
}
