/**
 * Where the data key that encrypts secrets comes from.
 *
 * - In AWS: `DATA_KEY_CIPHERTEXT` holds a data key wrapped by the stack's KMS key; it
 *   is unwrapped with one KMS Decrypt per cold start and kept only in memory.
 * - Locally and in tests: `SECRETS_KEY_FILE` names a file with a base64 256-bit key,
 *   created on first `npm start`.
 *
 * Each key has a short id derived from its wrapped (or file) form; every envelope
 * records it, so a rotated key can still decrypt what older keys sealed
 * (`DATA_KEYS_PREVIOUS` lists older wrapped keys, comma-separated).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DataKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  current: DataKey;
  byId: Map<string, DataKey>;
}

function keyId(material: string): string {
  return createHash('sha256').update(material).digest('hex').slice(0, 12);
}

async function unwrapWithKms(ciphertexts: string[]): Promise<DataKey[]> {
  const { KMSClient, DecryptCommand } = await import('@aws-sdk/client-kms');
  const kms = new KMSClient({});
  try {
    return await Promise.all(
      ciphertexts.map(async (ciphertext) => {
        const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(ciphertext, 'base64') }));
        if (!Plaintext || Plaintext.length !== 32) throw new Error('KMS returned no 256-bit data key');
        return { id: keyId(ciphertext), key: Buffer.from(Plaintext) };
      }),
    );
  } finally {
    kms.destroy();
  }
}

function readKeyFile(path: string): DataKey {
  const text = readFileSync(path, 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`${path} does not hold a base64 256-bit key`);
  return { id: keyId(text), key };
}

/** Creates a local key file with a fresh random key unless one exists (npm start, tests). */
export function ensureKeyFile(path: string): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
}

let loading: Promise<Keyring> | undefined;

async function loadKeyring(): Promise<Keyring> {
  const wrapped = process.env.DATA_KEY_CIPHERTEXT;
  const keyFile = process.env.SECRETS_KEY_FILE;
  let keys: DataKey[];
  if (wrapped) {
    const previous = (process.env.DATA_KEYS_PREVIOUS ?? '').split(',').filter(Boolean);
    keys = await unwrapWithKms([wrapped, ...previous]);
  } else if (keyFile) {
    keys = [readKeyFile(keyFile)];
  } else {
    throw new Error('No data key configured: set DATA_KEY_CIPHERTEXT (AWS) or SECRETS_KEY_FILE (local)');
  }
  return { current: keys[0], byId: new Map(keys.map((k) => [k.id, k])) };
}

/** The keyring, loaded once per process (one KMS call per cold start in AWS). */
export function getKeyring(): Promise<Keyring> {
  loading ??= loadKeyring().catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
