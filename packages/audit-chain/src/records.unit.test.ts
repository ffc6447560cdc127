import { describe, expect, it } from 'vitest';
import { appendEntries, genesisHead, signCheckpoint, type AuditRecord } from './chain.ts';
import { sampleEntry, testKeys } from './fixtures.ts';
import { auditKafkaRecord, decodeAuditRecord, exportLine, ExportFormatError, loggedRecord, parseExportLine } from './records.ts';
import { chainFromTail } from './writer.ts';

const { privateKey } = testKeys();
const { chained, head } = appendEntries(genesisHead(2), [sampleEntry(1), sampleEntry(2)]);
const checkpoint = signCheckpoint(head, new Date('2026-03-03T02:00:00Z'), privateKey);

describe('audit records on Kafka', () => {
  it('are JSON {type, data} on the chain\'s partition, with CloudEvents headers, and read back as logged records', () => {
    const entryRecord: AuditRecord = { type: 'AuditEntry', data: chained[0]! };
    const sent = auditKafkaRecord(entryRecord, '/hub/router');
    expect(sent).toMatchObject({ partition: 2, key: 'tax', headers: { ce_id: 'audit.exchange:2:1', ce_type: 'gov.hub.audit.ExchangeEntry', ce_source: '/hub/router', 'content-type': 'application/json' } });
    expect(loggedRecord({ partition: 2, offset: '7', value: Buffer.from(sent.value as string) })).toEqual({ partition: 2, offset: '7', entry: chained[0] });
    const cp = auditKafkaRecord({ type: 'AuditCheckpoint', data: checkpoint }, '/hub/router');
    expect(cp).toMatchObject({ partition: 2, key: 'checkpoint', headers: { ce_id: 'audit.exchange:2:2:checkpoint', ce_type: 'gov.hub.audit.ChainCheckpoint' } });
    expect(loggedRecord({ partition: 2, offset: '8', value: Buffer.from(cp.value as string) })).toEqual({ partition: 2, offset: '8', checkpoint });
  });

  it('say why a value is no audit record', () => {
    expect(decodeAuditRecord(null)).toEqual({ unreadable: 'the record has no value' });
    expect(decodeAuditRecord(Buffer.from('{oops'))).toMatchObject({ unreadable: expect.stringMatching(/^not JSON/) });
    expect(decodeAuditRecord('{"type":"AuditEntry","data":{"seq":1}}')).toMatchObject({ unreadable: expect.stringMatching(/^not an audit entry/) });
  });
});

describe('export lines', () => {
  it('are {partition, offset, entry|checkpoint} and parse back', () => {
    for (const record of [{ partition: 2, offset: '7', entry: chained[0]! }, { partition: 2, offset: '9', checkpoint }, { partition: 0, offset: '3', unreadable: 'not JSON: x' }]) {
      expect(parseExportLine(exportLine(record), 1)).toEqual(record);
    }
  });

  it('without a partition and offset are no export lines; with them but no record, an unreadable record', () => {
    expect(() => parseExportLine('{"entry":{}}', 4)).toThrow(ExportFormatError);
    expect(() => parseExportLine('hello', 5)).toThrow(/line 5 is not JSON/);
    expect(parseExportLine('{"partition":1,"offset":"3","entry":{"seq":"x"}}', 6)).toEqual({ partition: 1, offset: '3', unreadable: 'line 6 holds neither an entry nor a checkpoint' });
  });
});

describe('a chain head restored from the tail of its partition', () => {
  const at = new Date('2026-03-03T03:00:00Z');

  it('is the genesis of an empty partition, nothing unsigned', () => {
    expect(chainFromTail(1, [], at)).toEqual({ head: genesisHead(1), sinceCheckpoint: 0, lastCheckpointAt: at.getTime() });
  });

  it('is the last entry, with the entries since the last checkpoint counted', () => {
    const more = appendEntries(head, [sampleEntry(3)]).chained;
    const tail = [
      { partition: 2, offset: '0', entry: chained[0]! },
      { partition: 2, offset: '1', entry: chained[1]! },
      { partition: 2, offset: '2', checkpoint },
      { partition: 2, offset: '4', entry: more[0]! },
    ];
    expect(chainFromTail(2, tail, at)).toEqual({ head: { partition: 2, seq: 3, hash: more[0]!.hash }, sinceCheckpoint: 1, lastCheckpointAt: Date.parse(checkpoint.signedAt) });
    expect(chainFromTail(2, tail.slice(0, 3), at)).toEqual({ head, sinceCheckpoint: 0, lastCheckpointAt: Date.parse(checkpoint.signedAt) });
  });

  it('signs at once when the tail read shows no checkpoint', () => {
    expect(chainFromTail(2, [{ partition: 2, offset: '5', entry: chained[1]! }], at)).toEqual({ head, sinceCheckpoint: 2, lastCheckpointAt: undefined });
  });
});
