/**
 * Optimistic concurrency: the versions a caller's `If-Match` names. Every resource has
 * a counter (an executor's `version`, a workflow's `revision`) that each write bumps and
 * each answer sends as its ETag; a write guarded by `If-Match` lands only on a version
 * it names.
 */
import { MalformedHeaderError } from '../errors.js';

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

/** One entity tag (RFC 9110 §8.8.3): optionally weak, its opaque text in double quotes. */
const entityTag = /^(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/**
 * Parses `If-Match` (`"3"`, `W/"3"`, lists, `*`), each version once. A tag that is
 * well-formed but names no version of ours (`"abc"`) can never match (-1): the write is
 * refused with 412, not ignored. A header that is no list of entity tags at all (`3`
 * without its quotes, nothing) is refused as unreadable (400): the caller's guard did not
 * parse, nothing changed.
 */
export function parsePrecondition(header: string | undefined): Precondition | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { any: true };
  // Empty list elements are allowed (`"1", , "2"`), as in every HTTP list.
  const tags = header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  const opaque = tags.map((tag) => entityTag.exec(tag)?.[1]);
  if (tags.length === 0 || opaque.some((text) => text === undefined)) {
    throw new MalformedHeaderError('if-match', 'must be *, or versions in double quotes as ETag sends them ("3")');
  }
  const versions = opaque.map((text) => (/^\d{1,15}$/.test(text!) ? Number(text) : -1));
  return { versions: [...new Set(versions)] };
}
