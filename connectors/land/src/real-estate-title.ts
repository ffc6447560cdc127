import type { ResourceMapping } from '@hub/connector-core';
import { type NativeColumns, NativeFields, choice, decimal, nativeKey, pastDate, text } from '@hub/connector-core/native-fields';
import type { RealEstateTitle } from '@hub/schemas';
import { certificateNumber } from './certificate-number.ts';
import { coOwnership, holderIdentities, holderNames, holderShares, rightsHolders } from './rights-holders.ts';
import { unitNumber } from './unit-number.ts';

/** Columns of the real-estate register (不动产登记簿) as the registration system exports them. */
export const realEstateTitleColumns = {
  BDCDYH: '不动产单元号',
  BDCQZH: '不动产权证书号',
  QLR: '权利人',
  QLRZJH: '权利人证件号',
  GYFS: '共有方式',
  QLBL: '权利比例',
  QLLX: '权利类型',
  QLXZ: '权利性质',
  ZL: '坐落',
  MJ: '面积',
  YT: '用途',
  DJSJ: '登记时间',
  GXSJ: '更新时间',
} as const satisfies NativeColumns;

/**
 * Right type (权利类型): the names of the register's code table, or their codes
 * (不动产登记数据库标准 QLLX), normalised to the name without 构筑物.
 */
const rightType = choice('right type (权利类型)', {
  集体土地所有权: ['1', '集体土地所有权'],
  国家土地所有权: ['2', '国家土地所有权'],
  国有建设用地使用权: ['3', '国有建设用地使用权'],
  '国有建设用地使用权/房屋所有权': ['4', '国有建设用地使用权/房屋所有权', '国有建设用地使用权/房屋(构筑物)所有权'],
  宅基地使用权: ['5', '宅基地使用权'],
  '宅基地使用权/房屋所有权': ['6', '宅基地使用权/房屋所有权', '宅基地使用权/房屋(构筑物)所有权'],
  集体建设用地使用权: ['7', '集体建设用地使用权'],
  '集体建设用地使用权/房屋所有权': ['8', '集体建设用地使用权/房屋所有权', '集体建设用地使用权/房屋(构筑物)所有权'],
});

/** Area in square metres, with or without a unit. */
const area = decimal({ scale: 2, precision: 12, units: ['平方米', '㎡', 'm²', 'm2', 'M2'] });

/** Real-estate title (不动产权证书/不动产登记) → RealEstateTitle. The division is the unit number's. */
export const realEstateTitle: ResourceMapping<RealEstateTitle> = {
  department: 'land',
  resource: 'real-estate-title',
  eventType: 'RealEstateTitle',
  nativeColumns: Object.keys(realEstateTitleColumns),
  naturalKey: (native) => nativeKey(native, 'BDCDYH'),
  map(native, context) {
    const fields = new NativeFields(native, context, realEstateTitleColumns);
    const unit = fields.required('BDCDYH', unitNumber);
    const certificate = fields.required('BDCQZH', certificateNumber);
    const names = fields.required('QLR', holderNames);
    const identities = fields.required('QLRZJH', holderIdentities);
    const ownership = fields.optional('GYFS', coOwnership);
    const shares = fields.optional('QLBL', holderShares);
    const right = fields.required('QLLX', rightType);
    fields.optional('QLXZ', text(50));
    const location = fields.required('ZL', text(200));
    const size = fields.required('MJ', area);
    const use = fields.required('YT', text(100));
    const registeredOn = fields.required('DJSJ', pastDate);
    const occurredAt = fields.updateTime('GXSJ');
    const holders = rightsHolders(fields, names, identities, shares, ownership);

    if (unit !== undefined && certificate !== undefined && !unit.division.startsWith(certificate.province)) {
      fields.problem('BDCQZH', `the certificate is of province ${certificate.province}, the unit (BDCDYH) of ${unit.division.slice(0, 2)}`);
    }

    return fields.complete({
      occurredAt,
      sourceDepartment: 'land',
      unitNumber: unit?.number,
      certificateNo: certificate?.number,
      rightsHolders: holders,
      rightType: right,
      location,
      area: size,
      use,
      registeredOn,
      divisionCode: unit?.division,
    });
  },
};
