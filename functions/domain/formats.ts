/**
 * Item formats. Every item of a kind that has had a migration step carries `formatVersion`:
 * how many of its kind's steps (functions/migrations/steps.ts) it has had. An item without
 * one was written before 0.3.0 (format 0). Today's code writes the current format when it
 * creates an item; a write that changes part of an item leaves the number as it was, and the
 * migration, whose steps are idempotent, brings the rest up to date.
 */

/** The format each kind of item is written in today, by its kind (the item's `entity`). */
export const currentFormats = {
  executor: 2,
  executorName: 1,
  workflow: 3,
  workflowVersion: 1,
} as const satisfies Record<string, number>;

export type FormatKind = keyof typeof currentFormats;

/** The format an item is in: its `formatVersion`, or 0 for an item written before formats existed. */
export function formatOf(item: { formatVersion?: unknown }): number {
  return typeof item.formatVersion === 'number' ? item.formatVersion : 0;
}
