/**
 * Names people type: what is stored (what they typed, in NFC, without surrounding
 * blanks), what is refused (control characters, nothing visible), and what two names
 * must not share to be told apart (case, width, spacing and invisible characters aside).
 */
import type { Location, Violation } from '../errors.js';

/** Blanks a name may not start or end with: separators, whitespace (tab, NBSP…) and invisible format characters. */
const edges = /^[\p{Z}\s\p{Cf}]+|[\p{Z}\s\p{Cf}]+$/gu;
const invisible = /[\p{Z}\s\p{Cf}]/gu;
const control = /\p{Cc}/u;

/** The name as stored and shown: NFC, surrounding blanks removed, case kept. */
export function displayName(name: string): string {
  return name.normalize('NFC').replace(edges, '');
}

/**
 * What makes two names the same name: compatibility forms folded (NFKC), invisible
 * characters dropped, runs of blanks as one space, lower case. `Acme Pay`, `acme pay `,
 * `acme\u00a0pay` and `ａｃｍｅ pay` share one; `Café` and `Cafe\u0301` share one.
 */
export function nameIdentity(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/[\p{Z}\s]+/gu, ' ')
    .trim()
    .toLowerCase()
    .normalize('NFKC');
}

/** Why a name cannot be a name: a control character inside it, or nothing visible at all. */
export function nameViolations(name: string, loc: Location): Violation[] {
  const shown = displayName(name);
  if (control.test(shown)) return [{ loc, rule: 'name_printable', message: 'the name holds a control character' }];
  if (shown.replace(invisible, '') === '') return [{ loc, rule: 'name_printable', message: 'the name has no visible character' }];
  return [];
}
