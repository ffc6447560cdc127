/** Departments the first connectors cover (部门), codes as in the domain notes. */
export const departments = [
  { code: 'tax', name: '税务', english: 'taxation' },
  { code: 'ps', name: '公安', english: 'public security' },
  { code: 'land', name: '自然资源/不动产', english: 'land and real estate' },
  { code: 'market', name: '市场监管', english: 'market regulation' },
  { code: 'civil', name: '民政', english: 'civil affairs' },
  { code: 'hrss', name: '人社', english: 'HR and social security' },
  { code: 'housing', name: '住建/房管', english: 'housing and construction' },
] as const;

export type DepartmentCode = (typeof departments)[number]['code'];

export function isDepartmentCode(value: string): value is DepartmentCode {
  return departments.some((department) => department.code === value);
}
