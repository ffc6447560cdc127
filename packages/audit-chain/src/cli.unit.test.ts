import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAuditCli, type CliIo } from './cli.ts';
import { openExportFile } from './export-file.ts';
import { buildLog, copyLog, indexOfEntry, testKeys } from './fixtures.ts';
import { keyIdOf } from './chain.ts';
import { openSigningKey, publicKeyText } from './keys.ts';
import type { LoggedRecord } from './records.ts';

const { privateKey, publicKey } = testKeys();
const clean = buildLog({ privateKey, partitions: 3, entries: 14, perTransaction: 3, checkpointEvery: 4 });
const dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
writeFileSync(join(dir, 'audit-key.pem'), publicKeyText(publicKey));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exportOf(name: string, log: readonly LoggedRecord[]): Promise<string> {
  const out = openExportFile(join(dir, name));
  await out.write(log);
  await out.close();
  return name;
}

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: {}, cwd: dir };
  const status = await runAuditCli(argv, io);
  return { status, stdout, stderr };
}

describe('npm run audit -- verify --file (an export, no Kafka)', () => {
  it('exits 0 with the entries, checkpoints and partitions, relative paths taken from the caller\'s folder', async () => {
    const file = await exportOf('clean.jsonl', clean);
    const { status, stdout } = await run('verify', '--file', file, '--public-key', 'audit-key.pem');
    expect(status).toBe(0);
    expect(stdout).toContain(`${join(dir, file)}: intact: 42 entries, 6 checkpoints, 3 partitions (key ${keyIdOf(publicKey)})`);
    expect(stdout).toMatch(/partition 2: 14 entries \(seq 1–14\), 2 checkpoints, signed up to seq 12 at \S+; 2 unsigned \(after the last checkpoint\); offsets 0–19/);
  });

  it('exits 1 naming the partition and offset of the first problem', async () => {
    const log = copyLog(clean);
    log.splice(indexOfEntry(log, 2, 7), 1);
    const { status, stdout } = await run('verify', '--file', await exportOf('removed.jsonl', log), '--public-key', 'audit-key.pem');
    expect(status).toBe(1);
    expect(stdout).toMatch(/NOT intact: partition 2, offset 10: removed: seq 7 missing/);
  });

  it('exits 1 when the tail was cut, against an earlier export given as --anchor', async () => {
    const anchor = await exportOf('earlier.jsonl', clean);
    // Partition 0 from E10 on (offset 13), with the checkpoint of seq 12.
    const cut = clean.filter((r) => !(r.partition === 0 && BigInt(r.offset) >= 13n));
    const file = await exportOf('cut.jsonl', cut);
    expect((await run('verify', '--file', file, '--public-key', 'audit-key.pem')).status).toBe(0);
    const { status, stdout } = await run('verify', '--file', file, '--public-key', 'audit-key.pem', '--anchor', anchor);
    expect(status).toBe(1);
    expect(stdout).toMatch(/partition 0, offset 11: truncated/);
  });

  it('uses the data folder\'s key without --public-key, and says so when there is none', async () => {
    const dataDir = join(dir, 'hub-data');
    const file = await exportOf('clean2.jsonl', clean);
    expect((await run('verify', '--file', file, '--data-dir', 'no-such-folder')).stderr).toMatch(/no audit signing key at .*--public-key/);
    openSigningKey(dataDir);
    // Another key than the one that signed: every partition's first checkpoint is forged.
    const { status, stdout } = await run('verify', '--file', file, '--data-dir', 'hub-data');
    expect(status).toBe(1);
    expect(stdout).toMatch(/partition 0, offset 7: forged-checkpoint/);
  });

  it('exits 2 on bad arguments and on a line that is no export line', async () => {
    expect((await run('verify', '--frobnicate')).status).toBe(2);
    expect((await run('export')).stderr).toMatch(/export needs --out FILE/);
    expect((await run('shred')).stderr).toMatch(/unknown command shred/);
    writeFileSync(join(dir, 'garbage.jsonl'), 'hello\n');
    const { status, stderr } = await run('verify', '--file', 'garbage.jsonl', '--public-key', 'audit-key.pem');
    expect(status).toBe(2);
    expect(stderr).toMatch(/line 1 is not JSON/);
  });

  it('prints the data folder\'s public key', async () => {
    const key = openSigningKey(join(dir, 'hub-data-2'));
    const { status, stdout } = await run('public-key', '--data-dir', 'hub-data-2');
    expect(status).toBe(0);
    expect(stdout).toBe(`# audit signing key ${key.keyId}\n${publicKeyText(key)}`);
  });
});
