import { checkResidentId, generateResidentId } from '@hub/identifiers';
import type { DepartmentConnector, FieldError, NativeRecord, ResourceMapping } from '../../src/index.ts';

/**
 * A small mapping for the tests (the real ones live in connectors/ps and the
 * other department packages): public-security resident records to
 * ResidentIdentity, checking what a real mapping checks, every field reported.
 */
export const residentColumns = ['GMSFHM', 'XM', 'XB', 'MZ', 'CSRQ', 'ZZ', 'XZQH', 'GXSJ'] as const;

const text = (native: NativeRecord, column: string): string | undefined => {
  const value = native[column];
  if (value === undefined || value === null) return undefined;
  const written = String(value).trim();
  return written === '' ? undefined : written;
};

export const residentMapping: ResourceMapping = {
  department: 'ps',
  resource: 'resident-identity',
  eventType: 'ResidentIdentity',
  nativeColumns: residentColumns,
  naturalKey: (native) => text(native, 'GMSFHM'),
  map(native, context) {
    const errors: FieldError[] = [];
    const today = context.now.toISOString().slice(0, 10);
    const idText = text(native, 'GMSFHM');
    const id = idText === undefined ? undefined : checkResidentId(idText, { today });
    if (id === undefined) errors.push({ field: 'GMSFHM', reason: 'GMSFHM is required' });
    else if (!id.ok) errors.push({ field: 'GMSFHM', reason: id.reason });
    const name = text(native, 'XM');
    if (name === undefined) errors.push({ field: 'XM', reason: 'XM (姓名) is required' });
    const sexText = text(native, 'XB');
    const sex = sexText === '男' || sexText === '1' ? 'MALE' : sexText === '女' || sexText === '2' ? 'FEMALE' : undefined;
    if (sex === undefined) errors.push({ field: 'XB', reason: `XB (性别) must be 男, 女, 1 or 2, got ${JSON.stringify(sexText ?? '')}` });
    const ethnicity = text(native, 'MZ') ?? '';
    if (!/^(0[1-9]|[1-4]\d|5[0-6])$/.test(ethnicity)) errors.push({ field: 'MZ', reason: `MZ (民族) must be a GB 3304 code 01-56, got ${JSON.stringify(ethnicity)}` });
    const birth = /^(\d{4})(\d{2})(\d{2})$/.exec(text(native, 'CSRQ') ?? '');
    const birthDate = birth ? `${birth[1]}-${birth[2]}-${birth[3]}` : undefined;
    if (!birthDate || Number.isNaN(Date.parse(birthDate))) errors.push({ field: 'CSRQ', reason: 'CSRQ (出生日期) must be yyyyMMdd' });
    const division = text(native, 'XZQH') ?? '';
    if (!/^\d{6}$/.test(division)) errors.push({ field: 'XZQH', reason: 'XZQH must be a six-digit division code' });
    // yyyyMMddHHmmss from files, yyyy-MM-dd HH:mm:ss[.SSS] from a database, Beijing time
    const updated = /^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})(\.\d{1,3})?$/.exec(text(native, 'GXSJ') ?? '');
    const occurredAt = updated ? new Date(`${updated[1]}-${updated[2]}-${updated[3]}T${updated[4]}:${updated[5]}:${updated[6]}${updated[7] ?? ''}+08:00`) : context.now;
    if (errors.length > 0 || !id?.ok || !name || !sex || !birthDate) return { ok: false, errors };
    return {
      ok: true,
      record: {
        occurredAt,
        sourceDepartment: 'ps',
        idNumber: id.value.number,
        previousIdNumber: null,
        name,
        sex,
        ethnicity,
        birthDate,
        address: text(native, 'ZZ') ?? '',
        divisionCode: division,
      },
    };
  },
};

/** The test mapping as a department connector, for what loads connectors by module (a prepare worker). */
export const residentConnector: DepartmentConnector = { department: 'ps', resources: [residentMapping] };

export interface ExpectedRejection {
  row: number;
  key: string | undefined;
  fields: string[];
}

const surnames = ['韦', '黄', '李', '陆', '覃', '莫', '蒙', '梁', '农', '廖'];
const givenNames = ['建国', '秀兰', '海燕', '志强', '丽华', '文斌', '小红', '德明', '春梅', '永福'];

/**
 * `count` resident rows, one in ten bad (each bad kind names its fields);
 * `salt` makes the rows (so their event ids) differ between tests sharing the topic.
 */
export function residentRows(count: number, salt: string): { rows: NativeRecord[]; bad: ExpectedRejection[] } {
  const rows: NativeRecord[] = [];
  const bad: ExpectedRejection[] = [];
  const base = Date.UTC(1950, 0, 1);
  for (let i = 0; i < count; i += 1) {
    const birth = new Date(base + i * 86_400_000).toISOString().slice(0, 10);
    const sequence = (i * 7) % 1000;
    const id = generateResidentId({ division: '450102', birthDate: birth, sequence });
    const row: NativeRecord = {
      GMSFHM: id,
      XM: `${surnames[i % 10]}${givenNames[(i >> 3) % 10]}`,
      XB: sequence % 2 === 1 ? '男' : '女',
      MZ: i % 3 === 0 ? '02' : '01',
      CSRQ: birth.replace(/-/g, ''),
      ZZ: `广西壮族自治区南宁市兴宁区民生路${i + 1}号 ${salt}`,
      XZQH: '450102',
      GXSJ: '20250106101100',
    };
    if (i % 10 === 9) {
      const kind = (i / 10) % 4 | 0;
      if (kind === 0) {
        row.GMSFHM = id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');
        bad.push({ row: i + 1, key: row.GMSFHM as string, fields: ['GMSFHM'] });
      } else if (kind === 1) {
        row.XM = '';
        bad.push({ row: i + 1, key: id, fields: ['XM'] });
      } else if (kind === 2) {
        row.XB = '未知';
        bad.push({ row: i + 1, key: id, fields: ['XB'] });
      } else {
        row.XM = '';
        row.CSRQ = '1990-13-45';
        bad.push({ row: i + 1, key: id, fields: ['XM', 'CSRQ'] });
      }
    }
    rows.push(row);
  }
  return { rows, bad };
}
