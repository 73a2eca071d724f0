/**
 * A stand-in for KMS's `TrentService.Decrypt` on 127.0.0.1, over HTTP or (given a key and
 * certificate) HTTPS, for the keyring's tests and the cold-start bench. It answers the
 * plaintext registered for a ciphertext blob, and recomputes every request's SigV4
 * signature with the same credentials, so a request not signed as SigV4 prescribes (or
 * signing other headers, or another body) is refused as KMS would refuse it.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';

type Bytes = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Bytes) =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** The stand-in's own SHA-256 / HMAC for the verifying signer. */
class Sha256 {
  private readonly chunks: Buffer[] = [];
  constructor(private readonly secret?: Bytes) {}
  update(data: Bytes): void {
    this.chunks.push(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    const data = Buffer.concat(this.chunks);
    return this.secret === undefined
      ? createHash('sha256').update(data).digest()
      : createHmac('sha256', bytes(this.secret)).update(data).digest();
  }
}

export interface KmsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** One request the stand-in received. */
export interface KmsCall {
  target?: string;
  contentType?: string;
  body: string;
  signatureOk: boolean;
}

export interface KmsStandIn {
  /** `http(s)://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_KMS. */
  endpoint: string;
  /** Every request, in arrival order. */
  calls: KmsCall[];
  /** Ciphertext blob → the plaintext Decrypt answers. */
  plaintexts: Map<string, Buffer>;
  /** When set, every request is refused with this error type. */
  refuseWith: string | undefined;
  /** Holds every answer (requests are still recorded) until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

export interface KmsStandInOptions {
  credentials: KmsCredentials;
  region: string;
  /** PEM key and certificate: serve HTTPS instead of HTTP. */
  tls?: { key: string; cert: string };
  /** Shared with another stand-in (e.g. one HTTP and one HTTPS front on the same keys). */
  plaintexts?: Map<string, Buffer>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Signs the request again, as KMS would to check it, and compares the Authorization header. */
async function signatureOk(request: IncomingMessage, body: string, options: KmsStandInOptions): Promise<boolean> {
  const authorization = String(request.headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1].split(';') ?? [];
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const date = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name] ?? '')]));
  const signer = new SignatureV4({
    service: 'kms',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const [hostname, port] = String(request.headers.host).split(':');
  const expected = await signer.sign(
    {
      method: 'POST',
      protocol: options.tls ? 'https:' : 'http:',
      hostname,
      port: Number(port),
      path: '/',
      headers,
      body,
    },
    { signingDate: date },
  );
  return (
    signedHeaders.includes('x-amz-target') &&
    signedHeaders.includes('host') &&
    expected.headers.authorization === authorization
  );
}

/** Starts a stand-in KMS on a free loopback port. */
export async function startKmsStandIn(options: KmsStandInOptions): Promise<KmsStandIn> {
  let held: Promise<void> | undefined;
  const standIn: KmsStandIn = {
    endpoint: '',
    calls: [],
    plaintexts: options.plaintexts ?? new Map(),
    refuseWith: undefined,
    hold() {
      let release!: () => void;
      held = new Promise((resolve) => {
        release = resolve;
      });
      return () => {
        held = undefined;
        release();
      };
    },
    close: async () => undefined,
  };
  const answer = async (...[request, response]: Parameters<RequestListener>): Promise<void> => {
    const body = await readBody(request);
    const call: KmsCall = {
      target: request.headers['x-amz-target'] as string | undefined,
      contentType: request.headers['content-type'],
      body,
      signatureOk: await signatureOk(request, body, options),
    };
    standIn.calls.push(call);
    await held;
    const blob = (JSON.parse(body || '{}') as { CiphertextBlob?: string }).CiphertextBlob ?? '';
    const key = standIn.plaintexts.get(blob);
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    if (standIn.refuseWith || !call.signatureOk) {
      response
        .writeHead(400)
        .end(JSON.stringify({ __type: standIn.refuseWith ?? 'InvalidSignatureException', message: 'no' }));
    } else if (!key) {
      response.writeHead(400).end(JSON.stringify({ __type: 'InvalidCiphertextException' }));
    } else {
      response.writeHead(200).end(
        JSON.stringify({
          KeyId: `arn:aws:kms:${options.region}:000000000000:key/stand-in`,
          Plaintext: key.toString('base64'),
        }),
      );
    }
  };
  const listener: RequestListener = (request, response) => {
    answer(request, response).catch((error: unknown) => response.destroy(error as Error));
  };
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  standIn.endpoint = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  standIn.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return standIn;
}
