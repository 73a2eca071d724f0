/**
 * The KMS unwrap starts when a secret-handling bundle loads and is not awaited there:
 * the bundle finishes loading while the stand-in KMS still holds its answer, the first
 * request starts (its API-key lookup included) while the Decrypt is in flight, and it
 * uses that one Decrypt. A refusal still fails the request as it did before the head
 * start (500, the KMS error logged, nothing stored). Each case runs the built bundle
 * (`npm run build`) in its own process, as Lambda would.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type KmsStandIn, startKmsStandIn } from '../../scripts/bench/kms-stand-in.js';
import { handler as listHandler } from '../../functions/executors/list.js';
import { invoke, newOrganization, restEvent } from '../support/api.js';
import { captureOutput } from '../support/log-capture.js';

const bundle = join(process.cwd(), 'dist', 'functions', 'createExecutorConfiguration', 'index.mjs');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local', sessionToken: 'head-start-session' };
const wrapped = 'wrapped-head-start-key';
let kms: KmsStandIn;

/** Loads the bundle in a fresh process that prints `loaded`, then answers one event per stdin line. */
const runner = `
import { createInterface } from 'node:readline';
const { handler } = await import(process.argv[1]);
console.log(JSON.stringify({ loaded: true }));
for await (const line of createInterface({ input: process.stdin })) {
  const result = await handler(JSON.parse(line), { awsRequestId: 'head-start', getRemainingTimeInMillis: () => 29000 });
  console.log(JSON.stringify({ status: result.statusCode, body: JSON.parse(result.body) }));
}`;

function startFunction(): { child: ChildProcessWithoutNullStreams; next: () => Promise<Record<string, any>> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', runner, bundle], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      AWS_ENDPOINT_URL_KMS: kms.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
      DATA_KEY_CIPHERTEXT: wrapped,
      SECRETS_KEY_FILE: '',
    },
  });
  captureOutput(child);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, any>> => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error('the function process ended');
      // Skip the logger's and metrics' lines.
      const parsed = (value.startsWith('{') ? JSON.parse(value) : {}) as Record<string, any>;
      if ('loaded' in parsed || 'status' in parsed) return parsed;
    }
  };
  return { child, next };
}

/** Waits (up to 10 s) for something another process does; fails naming it. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > 10_000) throw new Error(`waited 10 s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const configuration = (name: string) => ({
  name,
  baseUrl: 'https://api.example.com',
  endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
  authentication: { type: 'bearer', config: { token: 'head-start-token' } },
});

beforeAll(async () => {
  kms = await startKmsStandIn({ credentials, region: process.env.AWS_REGION ?? 'local' });
  kms.plaintexts.set(wrapped, randomBytes(32));
});

afterAll(async () => {
  await kms.close();
});

test('the Decrypt is sent while the bundle loads, not awaited there, and serves the first request', async () => {
  // Prepare
  const { apiKey } = await newOrganization();
  kms.calls.length = 0;
  const release = kms.hold();
  const { child, next } = startFunction();
  try {
    // Act: the bundle finishes loading while KMS holds its answer (an awaited unwrap would never
    // print `loaded`), and the Decrypt arrives with no request sent (no head start: it never would).
    await next();
    await until(() => kms.calls.length > 0, 'a Decrypt sent at load');
    // The first request starts (API-key lookup first) with the Decrypt still unanswered.
    child.stdin.write(
      `${JSON.stringify(restEvent({ method: 'POST', path: '/v1/executors', headers: { 'X-API-Key': apiKey }, body: configuration(`head-start-${randomBytes(4).toString('hex')}`) }))}\n`,
    );
    release();
    const reply = await next();
    // Assess
    expect(kms.calls[0]).toMatchObject({ target: 'TrentService.Decrypt', signatureOk: true });
    expect(reply.status).toBe(201);
    expect(reply.body.authentication.config.token).toBe('********');
    expect(kms.calls).toHaveLength(1);
  } finally {
    release();
    child.kill();
    await once(child, 'exit');
  }
});

test('a refused Decrypt still fails the first request that needs the key, with a 500 and nothing stored', async () => {
  // Prepare
  const { apiKey } = await newOrganization();
  kms.calls.length = 0;
  kms.refuseWith = 'AccessDeniedException';
  const { child, next } = startFunction();
  try {
    await next();
    // Act
    child.stdin.write(
      `${JSON.stringify(restEvent({ method: 'POST', path: '/v1/executors', headers: { 'X-API-Key': apiKey }, body: configuration('refused') }))}\n`,
    );
    const reply = await next();
    const stored = await invoke(
      listHandler,
      restEvent({ method: 'GET', path: '/v1/executors', headers: { 'X-API-Key': apiKey } }),
    );
    // Assess: the head start's refusal is not cached; the request's own attempt is refused too.
    expect(reply.status).toBe(500);
    expect(reply.body.code).toBe('FLK-9999');
    expect(kms.calls.length).toBeGreaterThanOrEqual(2);
    expect(kms.calls.every((call) => call.signatureOk)).toBe(true);
    expect(stored.body.items).toEqual([]);
  } finally {
    kms.refuseWith = undefined;
    child.kill();
    await once(child, 'exit');
  }
});
