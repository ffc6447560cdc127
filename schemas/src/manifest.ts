import type { EventName } from '../generated/types.ts';
import type { CatalogueEntry } from './catalogue.ts';
import type { DepartmentCode } from './departments.ts';

export type Area = 'cases' | 'items' | 'exchange' | 'records' | 'supervision' | 'delivery';

interface EventTypeBase {
  name: EventName;
  /** Avro full name, `<namespace>.<name>`. */
  fullName: string;
  namespace: string;
  /** Path of the .avsc file, relative to the package folder. */
  file: string;
  /** Topic, or a pattern with `<dept>` for per-department topics; see `topicFor`. */
  topic: string;
  /** Registry subject under TopicRecordNameStrategy, `<topic>-<fullName>` (pattern when the topic is). */
  subject: string;
  /** Fields that identify the aggregate or record the event belongs to; the Kafka key. */
  keyFields: readonly string[];
}

export interface HubEventType extends EventTypeBase {
  area: Exclude<Area, 'records'>;
}

/** A shared record resource: one event type per catalogue entry, on `records.<dept>.<resource>`. */
export interface RecordEventType extends EventTypeBase {
  area: 'records';
  catalogue: CatalogueEntry;
}

export type EventType = HubEventType | RecordEventType;

type Spec =
  | { area: 'cases' | 'items' | 'exchange' | 'supervision' | 'delivery'; topic: string; keyFields: readonly string[] }
  | { area: 'records'; keyFields: readonly string[]; catalogue: CatalogueEntry };

const CASES = { area: 'cases', topic: 'cases.events', keyFields: ['caseId'] } as const;
/** Sharing agreements (共享协议): one aggregate per agreement, its events on one topic, keyed by agreement. */
const AGREEMENTS = { area: 'exchange', topic: 'exchange.agreements', keyFields: ['agreementId'] } as const;

/** Where each event type lives; the .avsc files say what it holds. */
const specs = {
  CaseSubmitted: CASES,
  CaseAccepted: CASES,
  CaseRefusedAtIntake: CASES,
  CoApprovalRequested: CASES,
  CoApprovalGranted: CASES,
  CoApprovalRefused: CASES,
  SupplementRequested: CASES,
  CaseSuspended: CASES,
  CaseResumed: CASES,
  CaseDecided: CASES,
  FeeAssessed: CASES,
  FeePaid: CASES,
  CertificateIssued: CASES,
  CaseDelivered: CASES,
  CaseReviewed: CASES,
  ItemDefined: { area: 'items', topic: 'items.events', keyFields: ['itemCode'] },
  ExchangeRequested: { area: 'exchange', topic: 'exchange.requests', keyFields: ['requestId'] },
  ExchangeResponded: { area: 'exchange', topic: 'exchange.responses', keyFields: ['requestId'] },
  ExchangeMonitoring: { area: 'exchange', topic: 'exchange.monitoring', keyFields: ['exchangeId'] },
  AgreementRequested: AGREEMENTS,
  AgreementGranted: AGREEMENTS,
  AgreementRefused: AGREEMENTS,
  AgreementRevoked: AGREEMENTS,
  AgreementSuspended: AGREEMENTS,
  AgreementReinstated: AGREEMENTS,
  SupervisionAlert: { area: 'supervision', topic: 'supervision.alerts', keyFields: ['caseId', 'requestId'] },
  DeliveryEnvelope: { area: 'delivery', topic: 'deliveries.<dept>', keyFields: ['deliveryId'] },
  TaxpayerRegistration: {
    area: 'records',
    keyFields: ['taxpayerNumber'],
    catalogue: { ownerDepartment: 'tax', resourceCode: 'tax.taxpayer-registration', title: '税务登记信息', sharingCondition: 'conditional', updateCycle: 'daily' },
  },
  TaxClearanceCertificate: {
    area: 'records',
    keyFields: ['certificateNo'],
    catalogue: { ownerDepartment: 'tax', resourceCode: 'tax.tax-clearance', title: '完税证明', sharingCondition: 'conditional', updateCycle: 'daily' },
  },
  ResidentIdentity: {
    area: 'records',
    keyFields: ['idNumber'],
    catalogue: { ownerDepartment: 'ps', resourceCode: 'ps.resident-identity', title: '人口基本信息', sharingCondition: 'conditional', updateCycle: 'real-time' },
  },
  RealEstateTitle: {
    area: 'records',
    keyFields: ['unitNumber'],
    catalogue: { ownerDepartment: 'land', resourceCode: 'land.real-estate-title', title: '不动产登记信息', sharingCondition: 'conditional', updateCycle: 'daily' },
  },
  BusinessLicence: {
    area: 'records',
    keyFields: ['creditCode'],
    catalogue: { ownerDepartment: 'market', resourceCode: 'market.business-licence', title: '营业执照信息', sharingCondition: 'unconditional', updateCycle: 'real-time' },
  },
  FoodBusinessPermit: {
    area: 'records',
    keyFields: ['permitNo'],
    catalogue: { ownerDepartment: 'market', resourceCode: 'market.food-business-permit', title: '食品经营许可证信息', sharingCondition: 'unconditional', updateCycle: 'daily' },
  },
  MarriageRegistration: {
    area: 'records',
    keyFields: ['registrationNo'],
    catalogue: { ownerDepartment: 'civil', resourceCode: 'civil.marriage-registration', title: '婚姻登记信息', sharingCondition: 'conditional', updateCycle: 'daily' },
  },
  SocialAssistance: {
    area: 'records',
    keyFields: ['assistanceNo'],
    catalogue: { ownerDepartment: 'civil', resourceCode: 'civil.social-assistance', title: '最低生活保障信息', sharingCondition: 'conditional', updateCycle: 'monthly' },
  },
  SocialInsuranceEnrolment: {
    area: 'records',
    keyFields: ['idNumber', 'insuranceType'],
    catalogue: { ownerDepartment: 'hrss', resourceCode: 'hrss.social-insurance-enrolment', title: '社会保险参保信息', sharingCondition: 'conditional', updateCycle: 'daily' },
  },
  ConstructionPermit: {
    area: 'records',
    keyFields: ['permitNo'],
    catalogue: { ownerDepartment: 'housing', resourceCode: 'housing.construction-permit', title: '建筑工程施工许可证信息', sharingCondition: 'unconditional', updateCycle: 'daily' },
  },
} as const satisfies Record<EventName, Spec>;

/** TopicRecordNameStrategy: one subject per event type per topic. */
export function subjectName(topic: string, fullName: string): string {
  return `${topic}-${fullName}`;
}

function toEventType(name: EventName, spec: Spec): EventType {
  if (spec.area === 'records') {
    const department = spec.catalogue.ownerDepartment;
    const namespace = `gov.hub.records.${department}`;
    const topic = `records.${spec.catalogue.resourceCode}`;
    const fullName = `${namespace}.${name}`;
    const file = `avro/records/${department}/${name}.avsc`;
    return { name, fullName, namespace, file, topic, subject: subjectName(topic, fullName), keyFields: spec.keyFields, area: 'records', catalogue: spec.catalogue };
  }
  const namespace = `gov.hub.${spec.area}`;
  const fullName = `${namespace}.${name}`;
  const file = `avro/${spec.area}/${name}.avsc`;
  return { name, fullName, namespace, file, topic: spec.topic, subject: subjectName(spec.topic, fullName), keyFields: spec.keyFields, area: spec.area };
}

/** Every event type of the hub, in lifecycle order within each area. */
export const eventTypes: readonly EventType[] = Object.freeze(
  (Object.entries(specs) as [EventName, Spec][]).map(([name, spec]) => Object.freeze(toEventType(name, spec))),
);

const byName = new Map(eventTypes.map((eventType) => [eventType.name, eventType]));

export function isEventName(value: string): value is EventName {
  return byName.has(value as EventName);
}

export function eventType(name: EventName): EventType {
  const found = byName.get(name);
  if (!found) throw new Error(`unknown event type: ${name}`);
  return found;
}

/** The concrete topic of an event type; per-department topics need the department. */
export function topicFor(name: EventName, department?: DepartmentCode): string {
  const { topic } = eventType(name);
  if (!topic.includes('<dept>')) return topic;
  if (department === undefined) throw new Error(`${name} goes to a per-department topic (${topic}): pass the department`);
  return topic.replace('<dept>', department);
}
