/**
 * Optimistic concurrency: the versions a caller's `If-Match` names. Every resource has
 * a counter (an executor's `version`, a workflow's `revision`) that each write bumps and
 * each answer sends as its ETag; a write guarded by `If-Match` lands only on a version
 * it names.
 */

/** Parsed `If-Match`: the versions the caller expects, or `any` for `*`. */
export type Precondition = { versions: number[] } | { any: true };

/** The versions a write must find (undefined when any will do). */
export function expectedVersions(precondition: Precondition | undefined): number[] | undefined {
  return precondition && 'versions' in precondition ? precondition.versions : undefined;
}

/** True when no `If-Match` was sent, it was `*`, or it names `version`. */
export function matchesPrecondition(precondition: Precondition | undefined, version: number): boolean {
  return expectedVersions(precondition)?.includes(version) ?? true;
}

/** The most distinct entity tags an `If-Match` may list (a write checks them in one DynamoDB `IN`, which takes 100). */
export const maxEntityTags = 50;

/**
 * Parses `If-Match` (`"3"`, `W/"3"`, lists, `*`), each version once. A present but empty
 * or unparseable header can never match (-1): a client that meant to guard its write is
 * refused, not ignored.
 */
export function parsePrecondition(header: string | undefined): Precondition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { any: true };
  const versions = header.split(',').map((tag) => {
    const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(tag);
    return match ? Number(match[1]) : -1;
  });
  return { versions: [...new Set(versions)] };
}
