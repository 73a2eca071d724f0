/**
 * The AWS path of the keyring, against a stand-in KMS on 127.0.0.1 (AWS_ENDPOINT_URL_KMS):
 * each wrapped data key is unwrapped by one SigV4-signed TrentService.Decrypt call, the
 * first becomes the current key and the others stay usable for opening old envelopes.
 * The stand-in recomputes the signature with the same credentials, so a request that is
 * not signed as SigV4 prescribes (or signs other headers, or another body) is refused.
 */
import { randomBytes } from 'node:crypto';
import { loadKeyring } from '../../functions/secrets/keyring.js';
import { type KmsStandIn, startKmsStandIn } from '../../scripts/bench/kms-stand-in.js';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'kms-test-secret-access-key',
  sessionToken: 'kms-test-session',
};
let kms: KmsStandIn;
const saved = { ...process.env };

beforeAll(async () => {
  kms = await startKmsStandIn({ credentials, region: 'eu-west-1' });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  });
});

afterAll(async () => {
  process.env = saved;
  await kms.close();
});

test('each wrapped data key is unwrapped by one signed KMS Decrypt; the first is current, the previous stay known', async () => {
  // Prepare
  const current = randomBytes(32);
  const previous = randomBytes(32);
  kms.plaintexts.set('wrapped-current', current).set('wrapped-previous', previous);
  process.env.DATA_KEY_CIPHERTEXT = 'wrapped-current';
  process.env.DATA_KEYS_PREVIOUS = 'wrapped-previous';
  kms.calls.length = 0;
  // Act
  const keyring = await loadKeyring();
  // Assess
  expect(kms.calls).toHaveLength(2);
  for (const call of kms.calls) {
    expect(call).toMatchObject({
      target: 'TrentService.Decrypt',
      contentType: 'application/x-amz-json-1.1',
      signatureOk: true,
    });
  }
  expect(kms.calls.map((call) => JSON.parse(call.body).CiphertextBlob).sort()).toEqual([
    'wrapped-current',
    'wrapped-previous',
  ]);
  expect(keyring.current.key.equals(current)).toBe(true);
  expect([...keyring.byId.values()].map((k) => k.key.toString('hex')).sort()).toEqual(
    [current, previous].map((k) => k.toString('hex')).sort(),
  );
});

test('a refused Decrypt fails the load with the KMS error type and no credential in the message', async () => {
  // Prepare
  kms.plaintexts.set('wrapped-current', randomBytes(32));
  process.env.DATA_KEY_CIPHERTEXT = 'wrapped-current';
  delete process.env.DATA_KEYS_PREVIOUS;
  kms.refuseWith = 'AccessDeniedException';
  try {
    // Act
    const failure = await loadKeyring().then(
      () => undefined,
      (error: unknown) => error,
    );
    // Assess
    expect(failure).toBeInstanceOf(Error);
    const { message } = failure as Error;
    expect(message).toContain('KMS Decrypt failed: AccessDeniedException');
    expect(message).not.toContain(credentials.secretAccessKey);
    expect(message).not.toContain(credentials.sessionToken);
  } finally {
    kms.refuseWith = undefined;
  }
});

test('a key KMS does not know is refused, as is a plaintext that is no 256-bit key', async () => {
  // Prepare
  process.env.DATA_KEY_CIPHERTEXT = 'never-wrapped';
  // Act / Assess
  await expect(loadKeyring()).rejects.toThrow('KMS Decrypt failed: InvalidCiphertextException');
  // Prepare
  kms.plaintexts.set('short', randomBytes(16));
  process.env.DATA_KEY_CIPHERTEXT = 'short';
  // Act / Assess
  await expect(loadKeyring()).rejects.toThrow('KMS returned no 256-bit data key');
});
