/**
 * The string formats of the request schemas. The build embeds a reference to this module
 * into the standalone validators, so these run as plain code. Each also exports the
 * `pattern` or `enum` that states its rule to other tools (the OpenAPI document), which
 * the schemas carry next to the format; a format that checks more than its pattern (a
 * URL that must parse) checks the pattern first, so the two never disagree on what the
 * pattern covers.
 */

/**
 * An http(s) scheme (any case), `//`, a host (at least one character before any path,
 * query or fragment), and no whitespace anywhere: the rule `http-url` states, written as
 * a pattern the OpenAPI document publishes. Linear: the host's class excludes the
 * character the rest must start with, so a 1 MiB text is read once.
 */
export const httpUrlPattern = '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+([/?#]\\S*)?$';
const httpUrlExpression = new RegExp(httpUrlPattern);

/** True for an absolute http(s) URL with a host, which is what an executor can be called at. */
export function isHttpUrl(value: string): boolean {
  if (!httpUrlExpression.test(value)) return false;
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

/**
 * The one table of the texts FastAPI (pydantic) reads as a boolean in a query string,
 * compared in lower case: it decides both which texts are valid (`query-boolean`, and the
 * spellings the OpenAPI document names) and what each one means.
 */
export const queryBooleans: Readonly<Record<string, boolean>> = {
  '1': true,
  true: true,
  t: true,
  yes: true,
  y: true,
  on: true,
  '0': false,
  false: false,
  f: false,
  no: false,
  n: false,
  off: false,
};

/** True for a text FastAPI reads as a boolean (any case). */
export function isQueryBoolean(value: string): boolean {
  return Object.hasOwn(queryBooleans, value.toLowerCase());
}

/** What a query boolean says: true for the texts the table reads as true, false for the rest and when absent. */
export function parseQueryBoolean(value: string | undefined): boolean {
  return value !== undefined && queryBooleans[value.toLowerCase()] === true;
}

/**
 * The texts read as true and as false, for a reader (`1, true, t, yes, y, on` / `0, false, …`): what the OpenAPI
 * document says a query boolean also accepts.
 */
export function queryBooleanSpellings(meaning: boolean): string[] {
  return Object.entries(queryBooleans)
    .filter(([, value]) => value === meaning)
    .map(([text]) => text);
}

/** A positive integer written in decimal without a sign or leading zero (at most 9 digits). */
export const queryPositiveIntPattern = '^[1-9][0-9]{0,8}$';
const queryPositiveIntExpression = new RegExp(queryPositiveIntPattern);

/** True for a positive integer written in decimal without a sign or leading zero (at most 9 digits). */
export function isQueryPositiveInt(value: string): boolean {
  return queryPositiveIntExpression.test(value);
}

/**
 * A page size, 1 to 100 (`limit`): a pattern of its own rather than a format, as the
 * OpenAPI document publishes it. The pipeline reads a query text under it as a number.
 */
export const queryPageSizePattern = '^(100|[1-9][0-9]?)$';

/**
 * A name people type, as flowplane stores it (functions/domain/names.ts `displayName`):
 * blanks around it (separators, whitespace, invisible format characters) are trimmed, and
 * what remains holds at least one character and no control character. Read with the `u`
 * flag, as JSON Schema reads patterns. Linear: each part's class excludes what the next
 * must start with, or the match ends there.
 */
export const displayNamePattern =
  '^[\\p{Z}\\s\\p{Cf}]*[^\\p{Z}\\s\\p{Cf}\\p{Cc}](?:[^\\p{Cc}]*[^\\p{Z}\\s\\p{Cf}\\p{Cc}])?[\\p{Z}\\s\\p{Cf}]*$';
const displayNameExpression = new RegExp(displayNamePattern, 'u');

/** True for a name with something visible once its surrounding blanks are trimmed, and no control character in it. */
export function isDisplayName(value: string): boolean {
  return displayNameExpression.test(value);
}

/** The format table the generated validators look formats up in. */
export const formats = {
  'http-url': isHttpUrl,
  uuid: isUuid,
  'query-boolean': isQueryBoolean,
  'query-positive-int': isQueryPositiveInt,
  'display-name': isDisplayName,
};
