import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { keyIdOf } from './chain.ts';

/** The hub's audit signing key: Ed25519, the private half kept only in the data folder. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** See `keyIdOf`: what each checkpoint names. */
  keyId: string;
  /** Where the private key lives. */
  path: string;
}

export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

/** `<dataDir>/audit/signing-key.pem`. */
export function signingKeyPath(dataDir: string): string {
  return join(dataDir, 'audit', 'signing-key.pem');
}

function fromPem(pem: string, path: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new SigningKeyError(`${path} is not a PEM private key`, { cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`${path} holds an ${privateKey.asymmetricKeyType} key; the audit trail signs with Ed25519`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), path };
}

/**
 * The signing key under the data folder, made on first use: a new Ed25519
 * pair, the private key written as PKCS#8 PEM with mode 0600 in a folder
 * of mode 0700. Two processes starting at once agree on one key: the file is
 * created exclusively, and the one that loses the race reads the winner's.
 */
export function openSigningKey(dataDir: string): SigningKey {
  const path = signingKeyPath(dataDir);
  try {
    return fromPem(readFileSync(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    writeFileSync(path, pem, { flag: 'wx', mode: 0o600 });
    // The umask narrows the mode open() gives: make it exactly owner read and write.
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fromPem(readFileSync(path, 'utf8'), path);
  }
  return fromPem(pem, path);
}

/** The public key in the data folder's signing key, without making one: what `verify` uses by default. */
export function readDataFolderPublicKey(dataDir: string): KeyObject {
  const path = signingKeyPath(dataDir);
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SigningKeyError(`no audit signing key at ${path}; pass --public-key FILE (the key the hub printed at start) or --data-dir`);
    throw error;
  }
  return fromPem(pem, path).publicKey;
}

/** A public key from a file: the SPKI PEM `publicKeyText` prints, or a private key PEM (its public half is taken). */
export function readPublicKeyFile(path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SigningKeyError(`no public key file at ${path}`);
    throw new SigningKeyError(`${path} holds no PEM public key`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`${path} holds an ${key.asymmetricKeyType} key; the audit trail signs with Ed25519`);
  return key;
}

/**
 * The public half as text to print at start, and to keep somewhere the hub's
 * operators cannot write: with it (`verify --public-key FILE`) nobody who
 * later takes the data folder can pass off re-signed checkpoints.
 */
export function publicKeyText(key: SigningKey | KeyObject): string {
  const publicKey = 'keyId' in key ? key.publicKey : key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
