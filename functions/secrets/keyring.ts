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
 *
 * With a wrapped key in the environment, the unwrap starts when this module loads (the
 * init phase) and is not awaited there: it runs while the first request looks up its
 * API key, and the first seal or open awaits it. A head start that fails is forgotten:
 * the first seal or open then tries again, and a refusal reaches it as it always did.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname } from 'node:path';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

/** SHA-256 (or HMAC-SHA-256 when given a secret) for the signer, from node:crypto. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

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

/** One POST with node:http(s): `fetch` would load undici, a cold-start cost of its own. */
function post(url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error('KMS Decrypt timed out')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function parsed(text: string): { Plaintext?: string; __type?: string } {
  try {
    return JSON.parse(text) as { Plaintext?: string; __type?: string };
  } catch {
    return {};
  }
}

/**
 * KMS Decrypt for the wrapped data keys: one SigV4-signed JSON call with the signer the
 * DynamoDB client already bundles, instead of a second SDK client in every bundle. The
 * endpoint is the region's, or `AWS_ENDPOINT_URL_KMS` (the SDKs' own override) when set.
 */
export async function unwrapWithKms(ciphertexts: string[]): Promise<DataKey[]> {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const endpoint = new URL(process.env.AWS_ENDPOINT_URL_KMS ?? `https://kms.${region}.amazonaws.com/`);
  const signer = new SignatureV4({ service: 'kms', region, credentials: fromEnv(), sha256: Sha256 });
  return Promise.all(
    ciphertexts.map(async (ciphertext) => {
      const signed = await signer.sign({
        method: 'POST',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path: '/',
        headers: {
          host: endpoint.host,
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'TrentService.Decrypt',
        },
        body: JSON.stringify({ CiphertextBlob: ciphertext }),
      });
      const response = await post(new URL('/', endpoint), signed.headers, signed.body as string);
      const payload = parsed(response.text);
      const ok = response.status >= 200 && response.status < 300;
      if (!ok || !payload.Plaintext) throw new Error(`KMS Decrypt failed: ${payload.__type ?? response.status}`);
      const key = Buffer.from(payload.Plaintext, 'base64');
      if (key.length !== 32) throw new Error('KMS returned no 256-bit data key');
      return { id: keyId(ciphertext), key };
    }),
  );
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

let loading: { source: string; keyring: Promise<Keyring> } | undefined;

/** Reads the data keys from the environment (not cached; `getKeyring` caches it). */
export async function loadKeyring(): Promise<Keyring> {
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

/**
 * The keyring, loaded once per process (one KMS call per wrapped key per cold start in
 * AWS) and again only if the variables naming the keys change (a test rotating keys). A
 * failed load is forgotten, so the next call tries again.
 */
export function getKeyring(): Promise<Keyring> {
  const source = [process.env.DATA_KEY_CIPHERTEXT, process.env.DATA_KEYS_PREVIOUS, process.env.SECRETS_KEY_FILE].join(
    '\n',
  );
  if (loading?.source !== source) {
    const keyring = loadKeyring();
    loading = { source, keyring };
    // Also marks the rejection handled: the head start below may fail before anyone awaits it.
    keyring.catch(() => {
      if (loading?.keyring === keyring) loading = undefined;
    });
  }
  return loading.keyring;
}

// The head start: only the KMS path (AWS) is worth overlapping; a key file is read on first use.
if (process.env.DATA_KEY_CIPHERTEXT) void getKeyring();
