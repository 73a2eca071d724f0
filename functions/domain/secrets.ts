/**
 * Which values are secrets. Used to mask responses, to redact echoed inputs in error
 * bodies, and to keep secrets out of logs.
 */

/** The mask the seed's examples show for every sensitive value. */
export const secretMask = '********';

const exactSensitive = new Set(['key', 'token', 'password', 'client_secret', 'secret']);
const sensitiveFragments = ['secret', 'token', 'password', 'apikey', 'api_key', 'credential'];

/**
 * Keys whose names look secret but whose values are not: each names a choice among
 * public options, which its owner must be able to read back (and send back unchanged).
 */
const notSecrets = new Set(['token_endpoint_auth_method']);

/**
 * Keys a release before 0.2.0 sealed as secrets that are none (`notSecrets`): a replaced configuration removes any
 * sealed copy of them, and the migration opens the ones still stored.
 */
export const formerSecretKeys: readonly string[] = [...notSecrets];

/**
 * True when a configuration key names a secret: key, token, password, client_secret,
 * or any key whose name contains secret, token, password or apikey, in any case —
 * except the few listed in `notSecrets`.
 */
export function isSensitiveKey(name: string): boolean {
  const lower = name.toLowerCase();
  if (notSecrets.has(lower)) return false;
  if (exactSensitive.has(lower)) return true;
  return sensitiveFragments.some((fragment) => lower.includes(fragment));
}

/**
 * True when a location inside a request body may hold a secret, so its input must not
 * be echoed: any segment that names a secret, the `value` of `llm_credentials`, an
 * executor's authentication config, or a notification webhook's headers.
 */
export function isSensitiveLocation(loc: readonly (string | number)[]): boolean {
  return loc.some(
    (segment, index) =>
      (typeof segment === 'string' && isSensitiveKey(segment)) ||
      (segment === 'llm_credentials' && (loc[index + 1] === undefined || loc[index + 1] === 'value')) ||
      (segment === 'config' && loc[index - 1] === 'authentication') ||
      (segment === 'headers' && loc[index - 2] === 'webhook'),
  );
}

/**
 * The origin (scheme, host, port) a URL sends to: where a secret bound to it travels.
 * A text that is no URL is its own origin, so it can only ever equal itself.
 */
export function urlOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
