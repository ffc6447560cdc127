import { Type, type Static } from '@fastify/type-provider-typebox';

/**
 * What a service-centre window sends for one application (一窗受理). The
 * shape follows CaseSubmitted in lower-case JSON terms; the gateway turns it
 * into the Avro event.
 */
export const CaseSubmission = Type.Object(
  {
    applicant: Type.Object(
      {
        type: Type.Union([Type.Literal('person'), Type.Literal('organisation')], { description: 'person 自然人 / organisation 法人或其他组织' }),
        name: Type.String({ minLength: 1, maxLength: 200, description: 'Name of the person or organisation (姓名/名称)' }),
        idNumber: Type.Optional(Type.String({ maxLength: 32, description: 'Resident ID number, GB 11643 (公民身份号码); required for a person' })),
        creditCode: Type.Optional(Type.String({ maxLength: 32, description: 'Unified social credit code, GB 32100 (统一社会信用代码); required for an organisation' })),
        phone: Type.Optional(Type.String({ pattern: '^[0-9+()\\- ]{5,20}$', description: 'Contact phone (联系电话)' })),
      },
      { additionalProperties: false },
    ),
    itemCode: Type.String({ minLength: 1, maxLength: 64, description: 'Code of the licensing item (事项编码)' }),
    itemName: Type.String({ minLength: 1, maxLength: 200, description: 'Name of the licensing item (事项名称)' }),
    centre: Type.String({ minLength: 1, maxLength: 64, description: 'Service centre taking the application (政务服务中心)' }),
    window: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Window within the centre (窗口); required for channel window' })),
    divisionCode: Type.String({ pattern: '^(\\d{6}|\\d{9}|\\d{12})$', description: 'Division of the centre, GB/T 2260 (行政区划代码), 6, 9 or 12 digits' }),
    documents: Type.Array(
      Type.Object({
        name: Type.String({ minLength: 1, maxLength: 200, description: 'Material name as listed for the item (材料名称)' }),
        kind: Type.Optional(Type.String({ maxLength: 50, description: 'Kind of material as the window system names it (original, copy …); not carried by CaseSubmitted v2, which has no field for it' })),
        fileRef: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 1_000 }), Type.Null()], { description: 'Reference to the stored electronic copy (电子材料地址); absent for paper only' })),
      }, { additionalProperties: false }),
      { maxItems: 200, description: 'Materials submitted (申请材料)' },
    ),
    submittedAt: Type.Optional(Type.String({
      format: 'date-time',
      maxLength: 40,
      description: 'When the applicant submitted (申请时间), ISO 8601 with offset, for a case recorded after the fact; not in the future. CaseSubmitted.occurredAt; the time of receipt by default',
    })),
    channel: Type.Optional(Type.Union(
      [Type.Literal('window'), Type.Literal('online'), Type.Literal('mobile'), Type.Literal('self-service')],
      { default: 'window', description: 'Application channel (申报渠道); window by default' },
    )),
  },
  {
    additionalProperties: false,
    examples: [{
      applicant: { type: 'organisation', name: '南宁市兴宁区味道餐馆', creditCode: '92450102MA5N3C8E1R', phone: '0771-5551234' },
      itemCode: '11450100MB1534568L4000117005000',
      itemName: '食品经营许可（新办）',
      centre: 'NN-XN-ZWZX',
      window: 'W07',
      divisionCode: '450102',
      documents: [{ name: '食品经营许可申请书', kind: 'original', fileRef: 'dms://nn-xn/2025/03/10/000123-1.pdf' }],
      channel: 'window',
    }],
  },
);

export type CaseSubmission = Static<typeof CaseSubmission>;

export const CaseAccepted = Type.Object({
  caseId: Type.String({ description: 'Case number (办件编号)' }),
  eventId: Type.String({ description: 'Event id of the CaseSubmitted event on cases.events' }),
});
