import { Type } from '@fastify/type-provider-typebox';

/*
 * An item definition (事项定义) as the operator sends and reads it. The
 * schema holds the shape and the sizes; the rules (known departments,
 * promised within legal within 60 working days, the stages within the
 * promise, a fee in yuan) are the router's `checkItem`, which names every
 * field at fault at once, unknown ones too: the objects here are open, since
 * a closed one would have the validator drop a misspelt field (a
 * `certificateTyp`) in silence and define the item without it.
 */

const DEPARTMENT = { minLength: 1, maxLength: 32, description: 'Department code: tax, ps, land, market, civil, hrss, housing' };

/** The router's item code rule: it is the path, so a bad one is refused as the path's. */
export const ItemParams = Type.Object({
  itemCode: Type.String({
    pattern: '^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$',
    maxLength: 64,
    description: 'Item code (事项编码): 1 to 64 letters, digits, ".", "_" or "-"',
    examples: ['11450100MB190375424000118002000'],
  }),
});

const Stage = Type.Object(
  {
    departments: Type.Array(Type.String(DEPARTMENT), { maxItems: 10, description: 'Departments of the stage, answering in parallel (并联)' }),
    dueDays: Type.Integer({ minimum: 0, maximum: 1000, description: 'Working days each department of the stage has (协办时限), 1 to the promised limit' }),
  },
  { description: 'One co-approval stage; no other fields' },
);

const Fee = Type.Object(
  {
    amount: Type.String({ maxLength: 20, description: 'Yuan above zero with two decimals, e.g. "80.00"' }),
    basis: Type.String({ maxLength: 500, description: 'Legal basis and standard (收费依据及标准)' }),
  },
  { description: 'The fee; no other fields' },
);

export const ItemDefinition = Type.Object(
  {
    name: Type.String({ maxLength: 100, description: 'Item name (事项名称)' }),
    leadDepartment: Type.String({ ...DEPARTMENT, description: 'Lead department (主办部门): accepts, decides, and asks the others' }),
    legalDays: Type.Integer({ minimum: 0, maximum: 1000, description: 'Legal limit in working days (法定时限), 1 to 60 (行政许可法 第四十二条: 45, +15)' }),
    promisedDays: Type.Integer({ minimum: 0, maximum: 1000, description: 'Promised limit in working days (承诺时限), at most the legal one; 0 for same-day handling (即办)' }),
    stages: Type.Array(Stage, { maxItems: 10, description: 'Co-approval stages (审批环节), run one after the other; empty when the lead decides alone' }),
    fee: Type.Optional(Type.Union([Fee, Type.Null()], { description: 'Fee (收费); absent or null when the item is free' })),
    certificateType: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'Certificate an approval produces (证照类型), e.g. 营业执照; absent or null when none' })),
  },
  {
    description: 'An item definition; a field not named here is refused by name',
    examples: [{
      name: '不动产转移登记',
      leadDepartment: 'land',
      legalDays: 30,
      promisedDays: 5,
      stages: [{ departments: ['tax'], dueDays: 2 }],
      fee: { amount: '80.00', basis: '不动产登记费：住宅类每件80元（发改价格规〔2016〕2559号）' },
      certificateType: '不动产权证书',
    }],
  },
);

export const DefinitionAnswer = Type.Object({
  itemCode: Type.String(),
  version: Type.Integer({ description: 'The item\'s version now, from 1' }),
  changed: Type.Boolean({ description: 'false when the same definition was sent again: nothing was recorded' }),
});

export const ItemList = Type.Object({
  items: Type.Array(
    Type.Object({
      itemCode: Type.String({ description: 'Item code (事项编码)' }),
      name: Type.String(),
      leadDepartment: Type.String(),
      legalDays: Type.Integer(),
      promisedDays: Type.Integer(),
      stages: Type.Array(Type.Object({ departments: Type.Array(Type.String()), dueDays: Type.Integer() })),
      fee: Type.Union([Type.Object({ amount: Type.String(), basis: Type.String() }), Type.Null()]),
      certificateType: Type.Union([Type.String(), Type.Null()]),
      version: Type.Integer(),
      definedAt: Type.String({ format: 'date-time', description: 'When this version was defined' }),
    }),
    { description: 'Every item of the router\'s table, by item code' },
  ),
});
