/** AES-256-GCM envelopes: sealed then opened, binding to their place, tamper detection. */
import { isSealed, openSecret, sealSecret } from '../../../functions/secrets/envelope.js';

test('a sealed secret opens in its own context and nowhere else', async () => {
  // Act
  const sealed = await sealSecret('sk-live-abc123def456', 'org/executor/1/key');
  // Assess
  expect(isSealed(sealed)).toBe(true);
  expect(sealed).not.toContain('sk-live');
  await expect(openSecret(sealed, 'org/executor/1/key')).resolves.toBe('sk-live-abc123def456');
  await expect(openSecret(sealed, 'org/executor/2/key')).rejects.toThrow();
});

test('two seals of one secret differ (fresh IV each time)', async () => {
  // Act
  const first = await sealSecret('same', 'c');
  const second = await sealSecret('same', 'c');
  // Assess
  expect(first).not.toBe(second);
});

test('a flipped ciphertext byte is detected', async () => {
  // Prepare
  const sealed = await sealSecret('secret', 'c');
  const parts = sealed.split(':');
  const payload = Buffer.from(parts[4], 'base64url');
  payload[0] ^= 1;
  parts[4] = payload.toString('base64url');
  // Act / Assess
  await expect(openSecret(parts.join(':'), 'c')).rejects.toThrow();
});

test('an envelope naming an unknown key does not open', async () => {
  // Prepare
  const sealed = await sealSecret('secret', 'c');
  // Act / Assess
  await expect(openSecret(sealed.replace(/^enc:v1:[0-9a-f]+:/, 'enc:v1:000000000000:'), 'c')).rejects.toThrow(
    /unknown key/,
  );
});
