import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { residentIdentity } from '@hub/connector-ps';
import { cloudEventHeaders, wireEncoder, type AvroType } from '@hub/runtime';
import { avroType, eventType } from '@hub/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import type { NativeRecord } from '../mapping.ts';
import { readRows } from '../sources/drop-folder/readers.ts';
import { prepareChunk } from './prepare.ts';

/**
 * What ingest publishes for a given file must not change when the path is made faster: the same
 * event ids (a re-sent file after an upgrade is still recognised as published) and the same bytes
 * (subscribers decode them). Pinned from the path as it was before the speed work of issue 12
 * (csv-parse, kafkajs' own record layout around the repo's encoder).
 */
const rows = [
  'GMSFHM,XM,XB,MZ,CSRQ,ZZ,HJDZ_XZQHDM,HYZK,YHZGX,GZQGMSFHM,GXSJ',
  '450481193807224804,莫敏燕,女,汉,19380722,广西壮族自治区梧州市岑溪市马路镇上双村9组58号,450481,离婚,孙子,,20261116181217',
  '451424196307147141,黄兰娜,女,汉,19630714,"广西壮族自治区崇左市大新县恩城乡新合村11组73号, 2栋",451424,离婚,孙子,,20261120133702',
  '451029198706233732,朱林俊,男,壮,1987-06-23,"百色市田林县高龙乡新寨村9组115号 ""东""",451029,离婚,子,,20261119012345',
  '450102198503121233,韦建国,1,01,19850312,"南宁市兴宁区民生路88号\n3栋",450102,已婚,户主,,2026-11-18 09:30:00',
];
const now = Date.UTC(2026, 10, 30, 4, 0, 0);
const dir = mkdtempSync(join(tmpdir(), 'wire-pin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function published(text: string | Buffer): Promise<{ ids: string[]; values: string; headers: string }> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, text);
  const natives: NativeRecord[] = [];
  for await (const row of readRows(path, '.csv', { utf8: true })) natives.push(row.record);
  const typeName = eventType(residentIdentity.eventType).fullName;
  const chunk = prepareChunk({ mapping: residentIdentity, natives, now }, wireEncoder(avroType(residentIdentity.eventType) as unknown as AvroType, 7), typeName);
  expect(chunk.rejections).toEqual([]);
  const digest = (parts: Iterable<string | Buffer>) => {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part);
    return hash.digest('hex');
  };
  return {
    ids: chunk.records.map((r) => r.eventId),
    values: digest(chunk.records.map((r) => r.value!)),
    headers: digest(chunk.records.map((r) => JSON.stringify(cloudEventHeaders({ id: r.eventId, type: typeName, source: '/departments/ps/file', time: new Date(r.time ?? now), subject: r.naturalKey })))),
  };
}

describe('what ingest publishes for a file', () => {
  it('has the event ids and bytes it had before the speed work, whatever the line endings or BOM', async () => {
    const pinned = {
      ids: [
        '25e54ef5-5e57-5eff-9fd4-7d9d78a34ed9',
        '791d95a5-76f5-525b-8736-0f35227ad22e',
        '98f29fd4-4844-5135-946f-e3e4375a95d8',
        '83a64f6f-6394-52c3-b786-8bfd5f4dec29',
      ],
      values: 'df7dd30e416f17b1749ac6a7e9889fe63d6ce01ff32185b33b9c7946483042a7',
      headers: '9c42838806a070682c4e0991d7310ec9ec98a5f656b7a3ba8d782863cb9fa4d7',
    };
    const lf = await published(`${rows.join('\n')}\n`);
    expect(lf).toEqual(pinned);
    expect(await published(`\uFEFF${rows.join('\r\n')}`)).toEqual(pinned);
  });
});
