/**
 * Names people type: what is stored (what they typed, in NFC, without surrounding
 * blanks; the names refused are schemas/formats.ts `display-name`'s), what two names must
 * not share to be told apart (case, width, spacing and invisible characters aside), and
 * the slug a workflow's `unique_name` is made from.
 */
import { randomBytes } from 'node:crypto';

/** Blanks a name may not start or end with: separators, whitespace (tab, NBSP…) and invisible format characters. */
const edges = /^[\p{Z}\s\p{Cf}]+|[\p{Z}\s\p{Cf}]+$/gu;

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

/** The longest base a unique name has before its suffix. */
const maxUniqueNameBase = 64;

/**
 * The base of a workflow's `unique_name`: its name's identity (`nameIdentity`, so case,
 * width, spacing, NFC/NFD and invisible characters never make two slugs), accents
 * dropped, every run of other characters a `-`, at most 64 characters: `Serasa KYC` →
 * `serasa-kyc`, `Café Über` → `cafe-uber`. A name with no Latin letter or digit is
 * `workflow`.
 */
export function uniqueNameBase(name: string): string {
  const slug = nameIdentity(name)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, maxUniqueNameBase)
    .replace(/-+$/, '');
  return slug === '' ? 'workflow' : slug;
}

/** How many numbered unique names a create tries (`<base>`, `<base>-2` … `<base>-10`) before random suffixes. */
export const numberedUniqueNames = 10;

/**
 * The `attempt`-th unique name a create tries for a base (from 1): the base itself, then
 * `<base>-2` … `<base>-10`, then `<base>-` and six random hexadecimal digits, so a name
 * shared by many workflows costs a bounded number of tries.
 */
export function uniqueNameCandidate(base: string, attempt: number): string {
  if (attempt === 1) return base;
  if (attempt <= numberedUniqueNames) return `${base}-${attempt}`;
  return `${base}-${randomBytes(3).toString('hex')}`;
}
