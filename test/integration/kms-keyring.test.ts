/**
 * The AWS path of the keyring, against a stand-in KMS on 127.0.0.1 (AWS_ENDPOINT_URL_KMS):
 * each wrapped data key is unwrapped by one SigV4-signed TrentService.Decrypt call, the
 * first becomes the current key and the others stay usable for opening old envelopes.
 * The stand-in recomputes the signature with the same credentials, so a request that is
 * not signed as SigV4 prescribes (or signs other headers, or another body) is refused.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { loadKeyring } from '../../functions/secrets/keyring.js';

type Bytes = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Bytes) =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** The stand-in's own SHA-256 / HMAC for the verifying signer. */
class Sha256 {
  private readonly chunks: Buffer[] = [];
  constructor(private readonly secret?: Bytes) {}
  update(data: Bytes): void {
    this.chunks.push(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    const data = Buffer.concat(this.chunks);
    return this.secret === undefined ? createHash('sha256').update(data).digest() : createHmac('sha256', bytes(this.secret)).update(data).digest();
  }
}

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'kms-test-secret-access-key', sessionToken: 'kms-test-session' };
const plaintexts = new Map<string, Buffer>();
const seen: { target?: string; contentType?: string; body: string; signatureOk: boolean }[] = [];
let server: Server;
let denyAll = false;
const saved = { ...process.env };

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Signs the request again, as KMS would to check it, and compares the Authorization header. */
async function signatureOk(request: IncomingMessage, body: string): Promise<boolean> {
  const authorization = String(request.headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1].split(';') ?? [];
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name] ?? '')]));
  const signer = new SignatureV4({ service: 'kms', region: 'eu-west-1', credentials, sha256: Sha256 });
  const [hostname, port] = String(request.headers.host).split(':');
  const expected = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/', headers, body },
    { signingDate: date },
  );
  return signedHeaders.includes('x-amz-target') && signedHeaders.includes('host') && expected.headers.authorization === authorization;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await readBody(request);
    const record = {
      target: request.headers['x-amz-target'] as string | undefined,
      contentType: request.headers['content-type'],
      body,
      signatureOk: await signatureOk(request, body),
    };
    seen.push(record);
    const blob = (JSON.parse(body) as { CiphertextBlob?: string }).CiphertextBlob ?? '';
    const key = plaintexts.get(blob);
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    if (denyAll || !record.signatureOk) {
      response.writeHead(400).end(JSON.stringify({ __type: denyAll ? 'AccessDeniedException' : 'InvalidSignatureException', message: 'no' }));
    } else if (!key) {
      response.writeHead(400).end(JSON.stringify({ __type: 'InvalidCiphertextException' }));
    } else {
      response.writeHead(200).end(JSON.stringify({ KeyId: 'arn:aws:kms:eu-west-1:000000000000:key/test', Plaintext: key.toString('base64') }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${port}`,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  });
});

afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});

test('each wrapped data key is unwrapped by one signed KMS Decrypt; the first is current, the previous stay known', async () => {
  // Prepare
  const current = randomBytes(32);
  const previous = randomBytes(32);
  plaintexts.set('wrapped-current', current).set('wrapped-previous', previous);
  process.env.DATA_KEY_CIPHERTEXT = 'wrapped-current';
  process.env.DATA_KEYS_PREVIOUS = 'wrapped-previous';
  seen.length = 0;
  // Act
  const keyring = await loadKeyring();
  // Assess
  expect(seen).toHaveLength(2);
  for (const call of seen) {
    expect(call).toMatchObject({ target: 'TrentService.Decrypt', contentType: 'application/x-amz-json-1.1', signatureOk: true });
  }
  expect(seen.map((call) => JSON.parse(call.body).CiphertextBlob).sort()).toEqual(['wrapped-current', 'wrapped-previous']);
  expect(keyring.current.key.equals(current)).toBe(true);
  expect([...keyring.byId.values()].map((k) => k.key.toString('hex')).sort()).toEqual([current, previous].map((k) => k.toString('hex')).sort());
});

test('a refused Decrypt fails the load with the KMS error type and no credential in the message', async () => {
  // Prepare
  plaintexts.set('wrapped-current', randomBytes(32));
  process.env.DATA_KEY_CIPHERTEXT = 'wrapped-current';
  delete process.env.DATA_KEYS_PREVIOUS;
  denyAll = true;
  try {
    // Act / Assess
    await expect(loadKeyring()).rejects.toThrow('KMS Decrypt failed: AccessDeniedException');
    await loadKeyring().catch((error: Error) => {
      expect(error.message).not.toContain(credentials.secretAccessKey);
      expect(error.message).not.toContain(credentials.sessionToken);
    });
  } finally {
    denyAll = false;
  }
});

test('a key KMS does not know is refused, as is a plaintext that is no 256-bit key', async () => {
  // Prepare
  process.env.DATA_KEY_CIPHERTEXT = 'never-wrapped';
  // Act / Assess
  await expect(loadKeyring()).rejects.toThrow('KMS Decrypt failed: InvalidCiphertextException');
  // Prepare
  plaintexts.set('short', randomBytes(16));
  process.env.DATA_KEY_CIPHERTEXT = 'short';
  // Act / Assess
  await expect(loadKeyring()).rejects.toThrow('KMS returned no 256-bit data key');
});
