/**
 * String formats that JSON Schema cannot express with a pattern. The build embeds a
 * reference to this module into the standalone validators, so these run as plain code.
 */

/** True for an absolute http(s) URL with a host, which is what an executor can be called at. */
export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for the canonical 8-4-4-4-12 hexadecimal UUID text. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** True for the texts FastAPI (pydantic) reads as a boolean in a query string. */
export function isQueryBoolean(value: string): boolean {
  return queryBooleans.has(value.toLowerCase());
}

/** `true`, `1`, `yes`, `on` (any case) → true; their opposites → false. */
export function parseQueryBoolean(value: string | undefined): boolean {
  return value !== undefined && ['true', '1', 'yes', 'on'].includes(value.toLowerCase());
}

const queryBooleans = new Set(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', 't', 'f', 'y', 'n']);

/** True for a positive integer written in decimal without a sign or leading zero (at most 9 digits). */
export function isQueryPositiveInt(value: string): boolean {
  return /^[1-9][0-9]{0,8}$/.test(value);
}

/** The format table the generated validators look formats up in. */
export const formats = {
  'http-url': isHttpUrl,
  uuid: isUuid,
  'query-boolean': isQueryBoolean,
  'query-positive-int': isQueryPositiveInt,
};
