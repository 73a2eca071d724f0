/**
 * An executor's authentication secrets on their way in and out: sealed before they are
 * stored (each bound to its organization, executor and key), the mask standing for a
 * stored value (re-sealed under the current data key when the store reports that an
 * older one sealed it), opened only to call the executor.
 */
import { decodeValues, encodeValues, type ExecutorRecord, secretContext } from '../domain/executor/model.js';
import { isSensitiveKey, secretMask } from '../domain/secrets.js';
import type { Reseals, SecretsChange } from '../store/executors.js';
import { currentSealPrefix, openSecret, resealSecret, sealSecret } from '../secrets/envelope.js';

/**
 * Splits an authentication config into plain values (JSON text), secrets sealed for
 * storage, and secrets sent back as the mask (which keep what is stored; none re-sealed
 * yet: see `resealSecrets`).
 */
export async function partitionConfig(
  config: Record<string, unknown> | undefined,
  organizationId: string,
  executorId: string,
): Promise<{ authConfig: Record<string, string>; authSecrets: SecretsChange }> {
  const plain: Record<string, unknown> = {};
  const set: Record<string, string> = {};
  const keep: string[] = [];
  for (const [key, value] of Object.entries(config ?? {})) {
    if (!isSensitiveKey(key)) plain[key] = value;
    else if (value === secretMask) keep.push(key);
    else
      set[key] = await sealSecret(
        typeof value === 'string' ? value : JSON.stringify(value),
        secretContext(organizationId, executorId, key),
      );
  }
  return {
    authConfig: encodeValues(plain),
    authSecrets: {
      set,
      keep,
      sealedUnder: keep.length > 0 ? await currentSealPrefix() : '',
      resealed: {},
    },
  };
}

/**
 * Stored secrets an older data key sealed (the sealed value by config key), sealed again
 * under the current one: each with the value it replaces, which the store writes over
 * only while it is still the one stored.
 */
export async function resealSecrets(
  stale: Record<string, string>,
  organizationId: string,
  executorId: string,
): Promise<Reseals> {
  const resealed: Reseals = {};
  for (const [key, from] of Object.entries(stale))
    resealed[key] = { from, to: await resealSecret(from, secretContext(organizationId, executorId, key)) };
  return resealed;
}

/** The whole authentication config in clear: only ever used to call the executor. */
export async function openConfig(record: ExecutorRecord): Promise<Record<string, unknown>> {
  const secrets = await Promise.all(
    Object.entries(record.authSecrets ?? {}).map(
      async ([key, sealed]) =>
        [key, await openSecret(sealed, secretContext(record.organizationId, record.id, key))] as const,
    ),
  );
  return { ...decodeValues(record.authConfig), ...Object.fromEntries(secrets) };
}
