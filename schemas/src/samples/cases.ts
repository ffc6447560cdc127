import type { EventTypeMap } from '../../generated/types.ts';

type CaseEvents = Pick<
  EventTypeMap,
  | 'CaseSubmitted'
  | 'CaseAccepted'
  | 'CaseRefusedAtIntake'
  | 'CoApprovalRequested'
  | 'CoApprovalGranted'
  | 'CoApprovalRefused'
  | 'SupplementRequested'
  | 'CaseSuspended'
  | 'CaseResumed'
  | 'CaseDecided'
  | 'FeeAssessed'
  | 'FeePaid'
  | 'CertificateIssued'
  | 'CaseDelivered'
  | 'CaseReviewed'
>;

const caseId = 'NN-XX-20250310-000123';
const at = (iso: string): Date => new Date(iso);

/** One food-business licensing case at the Xingning district centre of Nanning (南宁市兴宁区政务服务中心). */
export const caseSamples: CaseEvents = {
  CaseSubmitted: {
    eventId: `${caseId}:1`,
    occurredAt: at('2025-03-10T01:30:00.000Z'),
    caseId,
    applicant: { kind: 'ORGANISATION', name: '南宁市兴宁区味道餐馆', idNumber: null, creditCode: '92450102MA5N3C8E1R', phone: '0771-5551234' },
    itemCode: '11450100MB1534568L4000117005000',
    itemName: '食品经营许可（新办）',
    centreId: 'NN-XN-ZWZX',
    windowId: 'W07',
    divisionCode: '450102',
    documents: [
      { name: '食品经营许可申请书', fileRef: 'dms://nn-xn/2025/03/10/000123-1.pdf' },
      { name: '营业执照复印件', fileRef: null },
    ],
    channel: 'WINDOW',
  },
  CaseAccepted: {
    eventId: `${caseId}:2`,
    occurredAt: at('2025-03-10T02:00:00.000Z'),
    caseId,
    leadDepartment: 'market',
    promisedDays: 5,
    legalDays: 20,
    acceptedAt: at('2025-03-10T01:58:12.000Z'),
    stages: [{ departments: ['housing'], dueDays: 3 }],
  },
  CaseRefusedAtIntake: {
    eventId: 'NN-XX-20250311-000207:2',
    occurredAt: at('2025-03-11T03:12:00.000Z'),
    caseId: 'NN-XX-20250311-000207',
    department: 'market',
    reason: '申请事项不属于本行政机关职权范围',
  },
  CoApprovalRequested: {
    eventId: `${caseId}:3`,
    occurredAt: at('2025-03-10T02:05:00.000Z'),
    caseId,
    requestedBy: 'market',
    coApprover: 'housing',
    mode: 'STAGED',
    stage: 1,
    dueDays: 3,
  },
  CoApprovalGranted: {
    eventId: `${caseId}:4`,
    occurredAt: at('2025-03-11T07:40:00.000Z'),
    caseId,
    coApprover: 'housing',
    stage: 1,
    opinion: '经营场所符合消防及建筑安全要求',
  },
  CoApprovalRefused: {
    eventId: 'NN-XX-20250312-000311:4',
    occurredAt: at('2025-03-13T06:00:00.000Z'),
    caseId: 'NN-XX-20250312-000311',
    coApprover: 'land',
    stage: null,
    reason: '经营场所用途为住宅，不符合规划用途',
  },
  SupplementRequested: {
    eventId: `${caseId}:5`,
    occurredAt: at('2025-03-11T08:00:00.000Z'),
    caseId,
    requestedBy: 'market',
    missingMaterials: ['食品安全管理制度清单', '主要设备设施布局图'],
    note: '请于十五日内补正',
  },
  CaseSuspended: {
    eventId: `${caseId}:6`,
    occurredAt: at('2025-03-11T08:00:00.000Z'),
    caseId,
    kind: 'SUPPLEMENT',
    department: 'market',
    reason: '材料不齐全，等待申请人补正',
  },
  CaseResumed: {
    eventId: `${caseId}:7`,
    occurredAt: at('2025-03-13T02:15:00.000Z'),
    caseId,
    kind: 'SUPPLEMENT',
    department: 'market',
  },
  CaseDecided: {
    eventId: `${caseId}:8`,
    occurredAt: at('2025-03-14T09:00:00.000Z'),
    caseId,
    outcome: 'APPROVED',
    decidedBy: 'market',
    reason: null,
  },
  FeeAssessed: {
    eventId: `${caseId}:9`,
    occurredAt: at('2025-03-14T09:05:00.000Z'),
    caseId,
    amount: '1234.50',
    feeBasis: '桂价费〔2019〕12号 工本费',
  },
  FeePaid: {
    eventId: `${caseId}:10`,
    occurredAt: at('2025-03-14T09:20:00.000Z'),
    caseId,
    amount: '1234.50',
    paidAt: at('2025-03-14T09:18:44.000Z'),
    receiptNo: '4501022025000123',
  },
  CertificateIssued: {
    eventId: `${caseId}:11`,
    occurredAt: at('2025-03-14T10:00:00.000Z'),
    caseId,
    certificateNo: 'JY14501020012345',
    certificateType: '食品经营许可证',
    issuedBy: 'market',
    validUntil: '2030-03-13',
  },
  CaseDelivered: {
    eventId: `${caseId}:12`,
    occurredAt: at('2025-03-15T02:00:00.000Z'),
    caseId,
    method: 'POST',
    trackingNo: 'EMS1100123456789',
  },
  CaseReviewed: {
    eventId: `${caseId}:13`,
    occurredAt: at('2025-03-16T12:30:00.000Z'),
    caseId,
    rating: 'VERY_SATISFIED',
    comment: '一窗受理，少跑腿，点赞！',
  },
};
