import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { classify } from './outcome.ts';
import { outboxFileName, writeToOutbox } from './outbox.ts';
import { signBody, verifySignature } from './webhook.ts';

const root = mkdtempSync(join(tmpdir(), 'sinks-outbox-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const body = JSON.stringify({ eventId: 'DL-1>civil', deliveryId: 'DL-1', payload: { name: '那𡌶村' } });
const headers = {
  'ce-time': '2026-11-27T03:58:00.123Z',
  'x-hub-event-id': 'DL-1>civil',
  'x-hub-signature-256': signBody(body, 'dev-civil-secret'),
};
const request = (folder: string) => ({ url: pathToFileURL(folder).href, body, headers, timeoutMs: 1_000, signal: new AbortController().signal });

describe('delivering to a department outbox folder', () => {
  it('names a delivery by when it happened and its event id, the same name every time', () => {
    expect(outboxFileName(headers)).toBe('20261127T035800123Z-DL-1%3Ecivil.json');
    expect(outboxFileName({ ...headers, 'x-hub-event-id': '../../etc/passwd' })).toBe('20261127T035800123Z-..%2F..%2Fetc%2Fpasswd.json');
    expect(() => outboxFileName({ 'ce-time': headers['ce-time'] })).toThrow(/x-hub-event-id/);
  });

  it('writes the body byte for byte with its signature beside it, and nothing half-written', async () => {
    const folder = join(root, 'civil', 'outbox');
    const sent = await writeToOutbox(request(folder));
    expect(sent.outcome).toEqual({ kind: 'written', path: join(folder, '20261127T035800123Z-DL-1%3Ecivil.json') });
    expect(classify(sent.outcome)).toBe('delivered');
    expect(readdirSync(folder).sort()).toEqual(['20261127T035800123Z-DL-1%3Ecivil.json', '20261127T035800123Z-DL-1%3Ecivil.json.sha256']);
    const written = readFileSync(join(folder, '20261127T035800123Z-DL-1%3Ecivil.json'));
    expect(written.toString('utf8')).toBe(body);
    const signature = readFileSync(join(folder, '20261127T035800123Z-DL-1%3Ecivil.json.sha256'), 'utf8').trim();
    expect(verifySignature(written, 'dev-civil-secret', signature)).toBe(true);
  });

  it('given the same delivery again (a redelivery), replaces its own file rather than adding one', async () => {
    const folder = join(root, 'again');
    await writeToOutbox(request(folder));
    await writeToOutbox(request(folder));
    expect(readdirSync(folder)).toHaveLength(2);
  });

  it('given a folder it cannot write, reports an error outcome (retried), not a throw', async () => {
    const blocker = join(root, 'not-a-folder');
    writeFileSync(blocker, '');
    const sent = await writeToOutbox(request(join(blocker, 'outbox')));
    expect(sent.outcome).toMatchObject({ kind: 'error', code: 'ENOTDIR' });
    expect(classify(sent.outcome)).toBe('transient');
  });

  it('on shutdown, rejects instead', async () => {
    const stopping = new AbortController();
    stopping.abort(new Error('stopping'));
    await expect(writeToOutbox({ ...request(join(root, 'stopped')), signal: stopping.signal })).rejects.toThrow('stopping');
  });
});
