import { type FieldParser, halfWidthCode } from '@hub/connector-core/native-fields';
import type { CheckResult } from '@hub/identifiers';

/** Province abbreviations (省份简称) that open a certificate number, by province code. */
const PROVINCE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  京: '11', 津: '12', 冀: '13', 晋: '14', 蒙: '15', 辽: '21', 吉: '22', 黑: '23', 沪: '31', 苏: '32', 浙: '33',
  皖: '34', 闽: '35', 赣: '36', 鲁: '37', 豫: '41', 鄂: '42', 湘: '43', 粤: '44', 桂: '45', 琼: '46', 渝: '50',
  川: '51', 蜀: '51', 黔: '52', 贵: '52', 云: '53', 滇: '53', 藏: '54', 陕: '61', 秦: '61', 甘: '62', 陇: '62',
  青: '63', 宁: '64', 新: '65',
};

/** Unified registration began with the 2015 interim regulation; some offices issued from late 2014. */
const FIRST_YEAR = 2014;

/**
 * Title certificate number (不动产权证书号), e.g. 桂(2024)南宁市不动产权第0012345号:
 * province abbreviation, year, issuing city or county, and a 7-digit serial.
 * Full-width brackets are folded, so the value prints with ASCII brackets.
 */
export interface CertificateNumber {
  readonly number: string;
  /** Two-digit province code of the abbreviation. */
  readonly province: string;
}

const SHAPE = /^(\p{Script=Han})\((\d{4})\)(\p{Script=Han}{1,20})不动产权第(\d{7})号$/u;

export const certificateNumber: FieldParser<CertificateNumber> = (raw, { today }) => {
  const number = halfWidthCode(raw).replace(/\s+/g, '');
  const fail = (reason: string): CheckResult<CertificateNumber> => ({ ok: false, reason });
  const match = SHAPE.exec(number);
  if (match === null) return fail(`${JSON.stringify(number)} is not a title certificate number like 桂(2024)南宁市不动产权第0012345号`);
  const [, abbreviation = '', year = ''] = match;
  const province = PROVINCE_ABBREVIATIONS[abbreviation];
  if (province === undefined) return fail(`${abbreviation} is not a province abbreviation`);
  if (Number(year) < FIRST_YEAR || year > today.slice(0, 4)) {
    return fail(`certificate year ${year} is outside ${FIRST_YEAR} to ${today.slice(0, 4)}`);
  }
  return { ok: true, value: { number, province } };
};
