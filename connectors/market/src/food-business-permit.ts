import type { ResourceMapping } from '@hub/connector-core';
import {
  type FieldParser,
  type NativeColumns,
  NativeFields,
  codeText,
  creditCode,
  date,
  divisionCode,
  halfWidthCode,
  nativeKey,
  personName,
  refine,
  text,
} from '@hub/connector-core/native-fields';
import type { FoodBusinessPermit } from '@hub/schemas';

/** Columns of issued food business permits (食品经营许可证) as the market-regulation system exports them. */
export const foodBusinessPermitColumns = {
  XKZBH: '许可证编号',
  TYSHXYDM: '统一社会信用代码',
  JYZMC: '经营者名称',
  FDDBR: '法定代表人(负责人)',
  JYCS: '经营场所',
  ZTYT: '主体业态',
  JYXM: '经营项目',
  YXQQ: '有效期起',
  YXQZ: '有效期至',
  FZJG: '发证机关',
  GXSJ: '更新时间',
} as const satisfies NativeColumns;

interface PermitNumber {
  readonly number: string;
  readonly division: string;
}

/**
 * Permit number (许可证编号): JY and 14 digits, namely the main business format
 * (主体业态: 1 food sales, 2 catering, 3 canteen), the issuing county's division
 * code, a 6-digit sequence and a check digit (whose algorithm is not published,
 * so it is not checked). The division is the issuing authority's.
 */
const permitNumber: FieldParser<PermitNumber> = refine(
  codeText(/^JY\d{14}$/, 'a permit number (JY and 14 digits)'),
  (number, context) => {
    if (!'123'.includes(number.charAt(2))) {
      return { ok: false, reason: `digit 1 after JY is the business format 1, 2 or 3, got ${number.charAt(2)}` };
    }
    const division = divisionCode(number.slice(3, 9), context);
    return division.ok ? { ok: true, value: { number, division: division.value } } : { ok: false, reason: `digits 2-7 after JY: ${division.reason}` };
  },
);

const BUSINESS_FORMATS = ['食品销售经营者', '餐饮服务经营者', '单位食堂'];

/** Main business format (主体业态), optionally with its kind in brackets: 餐饮服务经营者(小型餐馆). */
const businessFormat: FieldParser<string> = refine(codeText(/^.{2,60}$/u, 'a business format'), (value) =>
  BUSINESS_FORMATS.some((format) => value === format || value.startsWith(`${format}(`))
    ? { ok: true, value }
    : { ok: false, reason: `${JSON.stringify(value)} is not a business format; expected ${BUSINESS_FORMATS.join(', ')}, with the kind in brackets if any` },
);

/** Licensed items (经营项目), separated by ；, 、 or commas. */
const businessItems: FieldParser<string[]> = (raw) => {
  const items = halfWidthCode(raw).split(/[;、,]/).map((item) => item.trim());
  return items.some((item) => item === '')
    ? { ok: false, reason: 'an empty item between separators' }
    : { ok: true, value: items };
};

/** Food business permits are valid for five years (食品经营许可管理办法). */
const MAXIMUM_YEARS = 5;

/** Food business permit (食品经营许可证) → FoodBusinessPermit. */
export const foodBusinessPermit: ResourceMapping<FoodBusinessPermit> = {
  department: 'market',
  resource: 'food-business-permit',
  eventType: 'FoodBusinessPermit',
  nativeColumns: Object.keys(foodBusinessPermitColumns),
  naturalKey: (native) => nativeKey(native, 'XKZBH'),
  map(native, context) {
    const fields = new NativeFields(native, context, foodBusinessPermitColumns);
    const permit = fields.required('XKZBH', permitNumber);
    const code = fields.required('TYSHXYDM', creditCode);
    const operatorName = fields.required('JYZMC', text(200));
    const legalRepresentative = fields.required('FDDBR', personName);
    const premises = fields.required('JYCS', text(200));
    const format = fields.required('ZTYT', businessFormat);
    const items = fields.required('JYXM', businessItems);
    const validFrom = fields.required('YXQQ', date);
    const validUntil = fields.required('YXQZ', date);
    const authority = fields.required('FZJG', text(100));
    const occurredAt = fields.updateTime('GXSJ');

    if (validFrom !== undefined && validUntil !== undefined) {
      const latest = `${Number(validFrom.slice(0, 4)) + MAXIMUM_YEARS}${validFrom.slice(4)}`;
      if (validUntil <= validFrom) fields.problem('YXQZ', `validity ends (${validUntil}) before it starts (${validFrom})`);
      else if (validUntil > latest) fields.problem('YXQZ', `validity ends ${validUntil}, more than ${MAXIMUM_YEARS} years after ${validFrom}`);
    }

    return fields.complete({
      occurredAt,
      sourceDepartment: 'market',
      permitNo: permit?.number,
      creditCode: code?.code,
      operatorName,
      legalRepresentative,
      premises,
      businessFormat: format,
      businessItems: items,
      validFrom,
      validUntil,
      issuingAuthority: authority,
      divisionCode: permit?.division,
    });
  },
};
