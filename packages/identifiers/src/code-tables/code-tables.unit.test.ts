import { describe, expect, it } from 'vitest';
import { ETHNICITY_CODES, normaliseEthnicity } from './ethnicity.ts';
import { FAMILY_RELATION_CODES, normaliseFamilyRelation } from './family-relation.ts';
import { MARITAL_STATUS_CODES, normaliseMaritalStatus } from './marital-status.ts';
import { SEX_CODES, normaliseSex } from './sex.ts';

describe('normaliseSex (GB/T 2261.1)', () => {
  it.each([
    ['男', '1'],
    ['男性', '1'],
    ['M', '1'],
    ['m', '1'],
    ['Male', '1'],
    ['1', '1'],
    ['女', '2'],
    ['女性', '2'],
    ['F', '2'],
    ['2', '2'],
    [' 女 ', '2'],
    ['未知', '0'],
    ['未知的性别', '0'],
    ['0', '0'],
    ['未说明的性别', '9'],
    ['未说明', '9'],
    ['9', '9'],
  ])('%j → %s', (text, code) => {
    expect(normaliseSex(text)).toEqual({ ok: true, value: code });
  });

  it.each([
    ['', 'sex is empty'],
    ['3', '"3" is not a GB/T 2261.1 sex code or name'],
    ['男女', '"男女" is not a GB/T 2261.1 sex code or name'],
  ])('rejects %j: %s', (text, reason) => {
    expect(normaliseSex(text)).toEqual({ ok: false, reason });
  });

  it('has the four codes', () => {
    expect([...SEX_CODES.keys()]).toEqual(['0', '1', '2', '9']);
  });
});

describe('normaliseEthnicity (GB 3304)', () => {
  it.each([
    ['汉', '01'],
    ['汉族', '01'],
    ['01', '01'],
    ['1', '01'],
    ['蒙古', '02'],
    ['回族', '03'],
    ['藏族', '04'],
    ['维吾尔族', '05'],
    ['苗族', '06'],
    ['彝族', '07'],
    ['壮', '08'],
    ['壮族', '08'],
    ['8', '08'],
    ['朝鲜族', '10'],
    ['满族', '11'],
    ['土家族', '15'],
    ['土族', '30'],
    ['土', '30'],
    ['高山族', '23'],
    ['柯尔克孜族', '29'],
    ['毛南族', '36'],
    ['毛难族', '36'],
    ['俄罗斯族', '44'],
    ['京', '49'],
    ['基诺族', '56'],
    ['56', '56'],
    ['其他', '97'],
    ['外国血统中国籍人士', '98'],
  ])('%j → %s', (text, code) => {
    expect(normaliseEthnicity(text)).toEqual({ ok: true, value: code });
  });

  it.each([
    ['', 'ethnicity is empty'],
    ['57', '"57" is not a GB 3304 ethnicity code or name'],
    ['0', '"0" is not a GB 3304 ethnicity code or name'],
    ['汉人', '"汉人" is not a GB 3304 ethnicity code or name'],
  ])('rejects %j: %s', (text, reason) => {
    expect(normaliseEthnicity(text)).toEqual({ ok: false, reason });
  });

  it('lists the 56 nationalities with codes 01-56 and distinct names, each ending in 族', () => {
    const nationalities = [...ETHNICITY_CODES].filter(([code]) => code <= '56');
    expect(nationalities.map(([code]) => code)).toEqual(Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(new Set(nationalities.map(([, name]) => name)).size).toBe(56);
    expect(nationalities.every(([, name]) => name.endsWith('族'))).toBe(true);
  });

  it('reads back every name and every short name', () => {
    for (const [code, name] of ETHNICITY_CODES) {
      expect(normaliseEthnicity(name)).toEqual({ ok: true, value: code });
      if (code <= '56') expect(normaliseEthnicity(name.slice(0, -1))).toEqual({ ok: true, value: code });
    }
  });
});

describe('normaliseMaritalStatus (GB/T 2261.2)', () => {
  it.each([
    ['未婚', '10'],
    ['10', '10'],
    ['已婚', '20'],
    ['有配偶', '20'],
    ['初婚', '21'],
    ['再婚', '22'],
    ['复婚', '23'],
    ['丧偶', '30'],
    ['离婚', '40'],
    ['离异', '40'],
    ['未说明的婚姻状况', '90'],
    ['2', '20'],
    ['4', '40'],
  ])('%j → %s', (text, code) => {
    expect(normaliseMaritalStatus(text)).toEqual({ ok: true, value: code });
  });

  it.each([
    ['', 'marital status is empty'],
    ['24', '"24" is not a GB/T 2261.2 marital status code or name'],
    ['同居', '"同居" is not a GB/T 2261.2 marital status code or name'],
  ])('rejects %j: %s', (text, reason) => {
    expect(normaliseMaritalStatus(text)).toEqual({ ok: false, reason });
  });

  it('has the eight codes', () => {
    expect([...MARITAL_STATUS_CODES.keys()]).toEqual(['10', '20', '21', '22', '23', '30', '40', '90']);
  });
});

describe('normaliseFamilyRelation (GB/T 4761)', () => {
  it.each([
    ['本人', '01'],
    ['户主', '02'],
    ['2', '02'],
    ['配偶', '10'],
    ['夫', '11'],
    ['丈夫', '11'],
    ['妻', '12'],
    ['妻子', '12'],
    ['子', '20'],
    ['长子', '22'],
    ['女', '30'],
    ['次女', '33'],
    ['儿媳', '38'],
    ['孙子', '41'],
    ['父母', '50'],
    ['父亲', '51'],
    ['母亲', '52'],
    ['岳母', '56'],
    ['祖父', '61'],
    ['兄', '71'],
    ['妹妹', '77'],
    ['侄子', '93'],
    ['其他亲属', '97'],
    ['非亲属', '99'],
    ['99', '99'],
  ])('%j → %s', (text, code) => {
    expect(normaliseFamilyRelation(text)).toEqual({ ok: true, value: code });
  });

  it.each([
    ['', 'family relation is empty'],
    ['98', '"98" is not a GB/T 4761 family relation code or name'],
    ['邻居', '"邻居" is not a GB/T 4761 family relation code or name'],
  ])('rejects %j: %s', (text, reason) => {
    expect(normaliseFamilyRelation(text)).toEqual({ ok: false, reason });
  });

  it('reads back every name', () => {
    for (const [code, name] of FAMILY_RELATION_CODES) {
      expect(normaliseFamilyRelation(name)).toEqual({ ok: true, value: code });
    }
  });
});
