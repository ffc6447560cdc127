import type { ResourceMapping } from '@hub/connector-core';
import {
  type FieldParser,
  type NativeColumns,
  NativeFields,
  choice,
  codeText,
  divisionCode,
  nativeKey,
  pastDate,
  personName,
  refine,
  residentId,
  text,
} from '@hub/connector-core/native-fields';
import type { ResidentId } from '@hub/identifiers';
import type { MarriageRegistration, MarriageRegistrationKind, Party, Sex } from '@hub/schemas';

/** Columns of the marriage register (婚姻登记信息) as the civil-affairs system exports them. */
export const marriageRegistrationColumns = {
  ZSBH: '证书编号(结婚证/离婚证字号)',
  DJLX: '登记类型',
  DJRQ: '登记日期',
  NFXM: '男方姓名',
  NFSFZH: '男方公民身份号码',
  NVFXM: '女方姓名',
  NVFSFZH: '女方公民身份号码',
  DJJG: '登记机关',
  DJJGDM: '登记机关行政区划代码',
  GXSJ: '更新时间',
} as const satisfies NativeColumns;

const registrationKind = choice('registration kind (登记类型)', {
  MARRIAGE: ['结婚', '结婚登记', '复婚', '复婚登记'],
  DIVORCE: ['离婚', '离婚登记'],
  REISSUE: ['补领', '补领结婚证', '补领离婚证', '补发', '补领登记'],
});

/**
 * Certificate number (字号): J (结婚证), L (离婚证), BJ or BL (reissued), the
 * office's division code, the year and a 6-digit serial: J450102-2010-001234.
 */
interface CertificateNumber {
  readonly number: string;
  readonly kind: MarriageRegistrationKind;
  readonly division: string;
  readonly year: string;
}

const PREFIX_KINDS: Readonly<Record<string, MarriageRegistrationKind>> = { J: 'MARRIAGE', L: 'DIVORCE', BJ: 'REISSUE', BL: 'REISSUE' };

const certificateNumber: FieldParser<CertificateNumber> = refine(
  codeText(/^(J|L|BJ|BL)\d{6}-\d{4}-\d{6}$/, 'a certificate number like J450102-2010-001234 (J, L, BJ or BL; division; year; serial)'),
  (number) => {
    const [prefix = '', division = '', year = ''] = /^([A-Z]+)(\d{6})-(\d{4})/.exec(number)?.slice(1) ?? [];
    return { ok: true, value: { number, kind: PREFIX_KINDS[prefix] ?? 'REISSUE', division, year } };
  },
);

/** Minimum marriage age (法定婚龄, 民法典 Art. 1047): men 22, women 20. */
const MARRIAGE_AGE = { '1': 22, '2': 20 } as const;

function ageOn(day: string, birthDate: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** Marriage or divorce registration (婚姻登记) → MarriageRegistration; party A is the man, party B the woman. */
export const marriageRegistration: ResourceMapping<MarriageRegistration> = {
  department: 'civil',
  resource: 'marriage-registration',
  eventType: 'MarriageRegistration',
  nativeColumns: Object.keys(marriageRegistrationColumns),
  naturalKey: (native) => nativeKey(native, 'ZSBH'),
  map(native, context) {
    const fields = new NativeFields(native, context, marriageRegistrationColumns);
    const certificate = fields.required('ZSBH', certificateNumber);
    const kind = fields.required('DJLX', registrationKind);
    const registeredOn = fields.required('DJRQ', pastDate);
    const manName = fields.required('NFXM', personName);
    const man = fields.required('NFSFZH', residentId);
    const womanName = fields.required('NVFXM', personName);
    const woman = fields.required('NVFSFZH', residentId);
    const authority = fields.required('DJJG', text(100));
    const division = fields.required('DJJGDM', divisionCode);
    const occurredAt = fields.updateTime('GXSJ');

    checkParty(fields, 'NFSFZH', man, '1', kind, registeredOn);
    checkParty(fields, 'NVFSFZH', woman, '2', kind, registeredOn);
    if (certificate !== undefined) {
      if (kind !== undefined && certificate.kind !== kind) {
        fields.problem('ZSBH', `${certificate.number} is a ${certificate.kind.toLowerCase()} certificate number, but DJLX says ${kind.toLowerCase()}`);
      }
      if (registeredOn !== undefined && certificate.year !== registeredOn.slice(0, 4)) {
        fields.problem('ZSBH', `the number's year ${certificate.year} differs from the registration date ${registeredOn}`);
      }
      if (division !== undefined && !division.startsWith(certificate.division)) {
        fields.problem('ZSBH', `the number's office ${certificate.division} differs from DJJGDM ${division}`);
      }
    }

    return fields.complete({
      occurredAt,
      sourceDepartment: 'civil',
      registrationNo: certificate?.number,
      kind,
      partyA: party(manName, man, 'MALE'),
      partyB: party(womanName, woman, 'FEMALE'),
      registeredOn,
      registrationAuthority: authority,
      divisionCode: division,
    });
  },
};

function party(name: string | undefined, id: ResidentId | undefined, sex: Sex): Party | undefined {
  return name === undefined || id === undefined ? undefined : { name, idNumber: id.number, sex };
}

function checkParty(
  fields: NativeFields,
  column: 'NFSFZH' | 'NVFSFZH',
  party: ResidentId | undefined,
  sex: '1' | '2',
  kind: MarriageRegistrationKind | undefined,
  registeredOn: string | undefined,
): void {
  if (party === undefined) return;
  if (party.sex !== sex) {
    fields.problem(column, `the 17th digit is ${party.sex === '1' ? "odd (a man's number)" : "even (a woman's number)"}, but this is the ${sex === '1' ? 'man' : 'woman'}`);
    return;
  }
  if (kind === 'MARRIAGE' && registeredOn !== undefined) {
    const age = ageOn(registeredOn, party.birthDate);
    if (age < MARRIAGE_AGE[sex]) fields.problem(column, `${age} years old on ${registeredOn}, under the legal marriage age of ${MARRIAGE_AGE[sex]}`);
  }
}
