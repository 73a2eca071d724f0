/**
 * Builders for the parts of DynamoDB expressions every store writes the same way:
 * placeholders are generated, never spelled from request keys, so a caller's map key
 * can never become expression syntax.
 */

/** Names and values an expression refers to, filled as clauses are built. */
export interface Placeholders {
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** A fresh set of placeholders, optionally seeded. */
export function placeholders(values: Record<string, unknown> = {}, names: Record<string, string> = {}): Placeholders {
  return { names: { ...names }, values: { ...values } };
}

/** `SET a, b REMOVE c`: the update expression of these clauses. */
export function updateExpression(sets: readonly string[], removes: readonly string[] = []): string {
  return `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;
}

/** ` AND <attribute> IN (...)` when the caller named versions (If-Match); empty otherwise. */
export function versionIn(
  attribute: string,
  versions: readonly number[] | undefined,
  into: Placeholders,
  prefix = ':v',
): string {
  if (!versions) return '';
  const refs = versions.map((version, index) => {
    into.values[`${prefix}${index}`] = version;
    return `${prefix}${index}`;
  });
  return ` AND ${attribute} IN (${refs.join(', ')})`;
}

/** `#status IN (...)`: the item is in one of these statuses. */
export function statusIn(statuses: readonly string[], into: Placeholders): string {
  into.names['#status'] = 'status';
  const refs = statuses.map((status, index) => {
    into.values[`:status${index}`] = status;
    return `:status${index}`;
  });
  return `#status IN (${refs.join(', ')})`;
}

/**
 * `<map>.#k = :v` for each entry: map entries written one by one (the rest of the map
 * stays), under generated names.
 */
export function setMapEntries(
  map: string,
  entries: Record<string, unknown>,
  prefix: string,
  into: Placeholders,
): string[] {
  return Object.entries(entries).map(([key, value], index) => {
    into.names[`#${prefix}${index}`] = key;
    into.values[`:${prefix}${index}`] = value;
    return `${map}.#${prefix}${index} = :${prefix}${index}`;
  });
}

/** `<map>.#k` for each key: map entries to remove. */
export function mapEntryPaths(map: string, keys: readonly string[], prefix: string, into: Placeholders): string[] {
  return keys.map((key, index) => {
    into.names[`#${prefix}${index}`] = key;
    return `${map}.#${prefix}${index}`;
  });
}
