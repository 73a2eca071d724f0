/**
 * Secrets at rest: each secret is sealed with AES-256-GCM under the current data key
 * before it reaches DynamoDB, as `enc:v1:<keyId>:<iv>:<ciphertext+tag>`. The
 * associated data binds a ciphertext to its place (organization, resource, field), so
 * a sealed value copied to another item or field does not open. After a key rotation,
 * a value sealed under an older key still opens, and is sealed again under the current
 * key the next time its resource is written (`resealSecret`).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { getKeyring } from './keyring.js';

const prefix = 'enc:v1:';

/** True for a value produced by `sealSecret`. */
export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(prefix);
}

/** Encrypts a secret for storage; `context` names where it lives (e.g. `org/executor/id/key`). */
export async function sealSecret(plaintext: string, context: string): Promise<string> {
  const { current } = await getKeyring();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${prefix}${current.id}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
}

/** Decrypts a sealed secret; throws when the key is unknown or the value was tampered with. */
export async function openSecret(sealed: string, context: string): Promise<string> {
  const [keyId, iv, payload] = sealed.slice(prefix.length).split(':');
  const key = (await getKeyring()).byId.get(keyId);
  if (!key) throw new Error(`secret sealed with unknown key ${keyId}`);
  const data = Buffer.from(payload, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

/**
 * What every value sealed under the current data key starts with: a store can check it
 * in a condition (`begins_with`) and keep a stored secret only if no re-seal is due.
 */
export async function currentSealPrefix(): Promise<string> {
  return `${prefix}${(await getKeyring()).current.id}:`;
}

/** The value sealed under the current data key: as it is when it already is, else opened and sealed again. */
export async function resealSecret(sealed: string, context: string): Promise<string> {
  if (sealed.startsWith(await currentSealPrefix())) return sealed;
  return sealSecret(await openSecret(sealed, context), context);
}
