import { randomInt } from 'node:crypto';
import { generateResidentId } from '@hub/identifiers';

/** A resident as both shapes below carry it: distinct per call, so each is a marker of its own input. */
interface Resident {
  GMSFHM: string;
  XM: string;
  XB: string;
  CSRQ: string;
  ZZ: string;
}

const digits = '零一二三四五六七八九';

/**
 * Good resident records, each a different person (18,000 birth days from 1950
 * times 1,000 sequence numbers, from a random start so runs on one broker
 * rarely meet): the known good record sent beside the hostile ones, found
 * again in Kafka by its deterministic event id.
 */
export function goodResidents(): { next(): Resident } {
  let n = randomInt(0, 17_000_000);
  return {
    next() {
      n = (n + 1) % 18_000_000;
      const birthDate = new Date(Date.UTC(1950, 0, 1) + (n % 18_000) * 86_400_000).toISOString().slice(0, 10);
      const sequence = Math.floor(n / 18_000) % 1000;
      return {
        GMSFHM: generateResidentId({ division: '450102', birthDate, sequence }),
        XM: `韦${[...String(n % 100_000)].map((d) => digits.charAt(Number(d))).join('')}`,
        XB: sequence % 2 === 1 ? '男' : '女',
        CSRQ: birthDate.replaceAll('-', ''),
        ZZ: `广西壮族自治区南宁市兴宁区朝阳路${n % 1000}号`,
      };
    },
  };
}

/** The public-security register's columns as the gateway's ps mapping (connectors/ps) reads them. */
export const gatewayResidentColumns = ['GMSFHM', 'XM', 'XB', 'MZ', 'CSRQ', 'ZZ', 'HJDZ_XZQHDM', 'GXSJ'] as const;
export const gatewayResident = (r: Resident): Record<string, string> => ({ ...r, MZ: '壮族', HJDZ_XZQHDM: '450102', GXSJ: '20250106101100' });

/** The same resident for connectors/core's test mapping (`@hub/connector-core/testing`), as drop files and tables hold it. */
export const coreResident = (r: Resident): Record<string, string> => ({ GMSFHM: r.GMSFHM, XM: r.XM, XB: r.XB, MZ: '01', CSRQ: r.CSRQ, ZZ: r.ZZ, XZQH: '450102', GXSJ: '20250106101100' });
