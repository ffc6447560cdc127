import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendEntries, checkpointSignatureHolds, genesisHead, keyIdOf, signCheckpoint } from './chain.ts';
import { sampleEntry } from './fixtures.ts';
import { openSigningKey, publicKeyText, readDataFolderPublicKey, readPublicKeyFile, signingKeyPath, SigningKeyError } from './keys.ts';

const made: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-keys-'));
  made.push(dir);
  return dir;
};
afterAll(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

describe('the audit signing key', () => {
  it('is made on first use under <data>/audit/signing-key.pem, readable by its owner only, and the same key afterwards', () => {
    const dir = dataDir();
    const made = openSigningKey(dir);
    expect(made.path).toBe(join(dir, 'audit', 'signing-key.pem'));
    expect(statSync(made.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'audit')).mode & 0o077).toBe(0);
    expect(readFileSync(made.path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(made.privateKey.asymmetricKeyType).toBe('ed25519');
    const again = openSigningKey(dir);
    expect(again.keyId).toBe(made.keyId);
    expect(made.keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('prints its public half as PEM, which verify reads back (a comment line before it too) and checkpoints hold under', () => {
    const dir = dataDir();
    const key = openSigningKey(dir);
    const text = publicKeyText(key);
    expect(text).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=]+\n-----END PUBLIC KEY-----\n$/);
    const file = join(dir, 'audit-key.pem');
    writeFileSync(file, `# audit signing key ${key.keyId}\n${text}`);
    const read = readPublicKeyFile(file);
    expect(keyIdOf(read)).toBe(key.keyId);
    const checkpoint = signCheckpoint(appendEntries(genesisHead(0), [sampleEntry(1)]).head, new Date(), key.privateKey);
    expect(checkpointSignatureHolds(checkpoint, read)).toBe(true);
    expect(keyIdOf(readDataFolderPublicKey(dir))).toBe(key.keyId);
    // The private key file itself will do as a public key file.
    expect(keyIdOf(readPublicKeyFile(signingKeyPath(dir)))).toBe(key.keyId);
  });

  it('is not made by a verification: no key in the data folder is an error naming what to pass', () => {
    expect(() => readDataFolderPublicKey(dataDir())).toThrow(/--public-key/);
  });

  it('refuses a key file that holds no Ed25519 key', () => {
    const dir = dataDir();
    const file = join(dir, 'not-a-key.pem');
    writeFileSync(file, 'hello');
    expect(() => readPublicKeyFile(file)).toThrow(SigningKeyError);
    expect(() => readPublicKeyFile(join(dir, 'missing.pem'))).toThrow(/no public key file/);
  });
});
