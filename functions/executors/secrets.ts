/**
 * An executor's authentication secrets on their way in and out: sealed before they are
 * stored (each bound to its organization, executor and key), the mask standing for a
 * stored value, opened only to call the executor.
 */
import { decodeValues, encodeValues, type ExecutorRecord, secretContext } from '../domain/executor/model.js';
import { isSensitiveKey, secretMask } from '../domain/secrets.js';
import { openSecret, sealSecret } from '../secrets/envelope.js';

/**
 * Splits an authentication config into plain values (JSON text), secrets sealed for
 * storage, and secrets sent back as the mask (which keep what is stored).
 */
export async function partitionConfig(config: Record<string, unknown> | undefined, organizationId: string, executorId: string) {
  const plain: Record<string, unknown> = {};
  const set: Record<string, string> = {};
  const keep: string[] = [];
  for (const [key, value] of Object.entries(config ?? {})) {
    if (!isSensitiveKey(key)) plain[key] = value;
    else if (value === secretMask) keep.push(key);
    else set[key] = await sealSecret(typeof value === 'string' ? value : JSON.stringify(value), secretContext(organizationId, executorId, key));
  }
  return { authConfig: encodeValues(plain), authSecrets: { set, keep } };
}

/** The whole authentication config in clear: only ever used to call the executor. */
export async function openConfig(record: ExecutorRecord): Promise<Record<string, unknown>> {
  const secrets = await Promise.all(
    Object.entries(record.authSecrets ?? {}).map(
      async ([key, sealed]) => [key, await openSecret(sealed, secretContext(record.organizationId, record.id, key))] as const,
    ),
  );
  return { ...decodeValues(record.authConfig), ...Object.fromEntries(secrets) };
}
