import type { DepartmentCode } from './departments.ts';

/** Sharing condition in the resource catalogue (共享属性). */
export type SharingCondition =
  | 'unconditional' // 无条件共享: taken directly
  | 'conditional' // 有条件共享: the owner approves each request; sensitive fields may be masked
  | 'not-shared'; // 不予共享

/** How often the owner refreshes the resource (更新周期). */
export type UpdateCycle = 'real-time' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

/** Government catalogue metadata of a shared record resource (政务信息资源目录). */
export interface CatalogueEntry {
  ownerDepartment: DepartmentCode;
  /** `<dept>.<resource>`, e.g. `ps.resident-identity`; the topic is `records.<resourceCode>`. */
  resourceCode: `${DepartmentCode}.${string}`;
  /** Resource name as the catalogue lists it (资源名称). */
  title: string;
  sharingCondition: SharingCondition;
  updateCycle: UpdateCycle;
}
