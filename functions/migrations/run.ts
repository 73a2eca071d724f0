/**
 * The migration's eager half: reads the whole table a page at a time and brings every item
 * of an earlier format up to date with the steps its kind still needs
 * (functions/migrations/steps.ts), one conditional write per item. Idempotent (an item in
 * the current format is skipped, and every step changes only what is still old),
 * resumable (where a run stands is saved after each page; a run that stopped, by its
 * deadline or a crash, goes on from there), paged, throttle-aware (a throttled or
 * unavailable DynamoDB is waited out with backoff, and a run can be paced), and counted:
 * items seen, changed, skipped, failed, and findings (names two executors shared before
 * 0.2.0, for instance), in the log and in the run's item.
 */
import { logger } from '../observability/logger.js';
import { currentFormats, formatOf } from '../domain/formats.js';
import { UnavailableError } from '../errors.js';
import {
  type MigrationRun,
  keyOf,
  readItem,
  readRun,
  rewriteItem,
  saveRun,
  scanPage,
  type StoredItem,
} from '../store/migration.js';
import { type Finding, stepsAfter } from './steps.js';

export interface MigrationCounts {
  /** Items read. */
  seen: number;
  /** Items brought to the current format (rewritten, or moved elsewhere by a step). */
  changed: number;
  /** Items already current, or of a kind with no steps. */
  skipped: number;
  /** Items a step or write failed on (logged each with its kind, id and error): the run fails. */
  failed: number;
  /** Times DynamoDB was throttled or unavailable and the run waited. */
  throttled: number;
  pages: number;
}

export interface MigrationReport extends MigrationCounts {
  /** `complete`: the whole table read; `stopped`: the deadline came first (run again to go on); `failed`. */
  status: 'complete' | 'stopped' | 'failed';
  /** When the run began (an earlier one it resumed, with its counts), and ended. */
  startedAt: string;
  finishedAt: string;
  resumed: boolean;
  findings: Finding[];
}

export interface MigrationOptions {
  /** Items per page (one Scan each). Default 100. */
  pageSize?: number;
  /** When to stop starting pages (ms since the epoch): the rest is left to the next run, which resumes. */
  deadline?: number;
  /** At most this many items per second (default unpaced): spares a table's capacity on a busy day. */
  itemsPerSecond?: number;
  /** Attempts of a read or write DynamoDB throttles before the run gives up. Default 8. */
  attempts?: number;
  /** The first backoff in ms, doubled on every attempt (with jitter). Default 100. */
  backoffMs?: number;
}

/** The formats this code brings items to, as one text: a run of other code never resumes this one. */
const targetFormats = JSON.stringify(currentFormats);

/** Another run holds the table now: this one stops without touching it. */
export class MigrationBusyError extends Error {
  override readonly name = 'MigrationBusyError';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `operation`, waiting out a throttled or unavailable DynamoDB with exponential backoff. */
async function patiently<T>(
  operation: () => Promise<T>,
  options: MigrationOptions,
  counts: MigrationCounts,
): Promise<T> {
  const attempts = options.attempts ?? 8;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof UnavailableError) || attempt >= attempts) throw error;
      counts.throttled += 1;
      const wait = (options.backoffMs ?? 100) * 2 ** (attempt - 1);
      await sleep(wait / 2 + Math.random() * (wait / 2));
    }
  }
}

/** What processing one item came to. */
type Outcome = 'changed' | 'skipped' | { finding: Finding };

/** Brings one item up to date: its steps in order, then one write guarded by what was read; read again if it moved. */
async function migrateItem(read: StoredItem, options: MigrationOptions, counts: MigrationCounts): Promise<Outcome[]> {
  let item: StoredItem | undefined = read;
  for (let attempt = 0; attempt < 3 && item; attempt += 1) {
    const kind = String(item.entity);
    const target = (currentFormats as Record<string, number>)[kind];
    if (target === undefined || formatOf(item) >= target) return ['skipped'];
    const outcomes: Outcome[] = [];
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    let gone = false;
    let working = { ...item };
    for (const step of stepsAfter(kind, formatOf(item))) {
      const result = await patiently(() => step.apply(working), options, counts);
      if (result.finding) outcomes.push({ finding: result.finding });
      if (result.gone) {
        gone = true;
        break;
      }
      Object.assign(set, result.set);
      remove.push(...(result.remove ?? []));
      working = { ...working, ...result.set };
      for (const name of result.remove ?? []) delete working[name];
    }
    if (gone) return ['changed', ...outcomes];
    const current: StoredItem = item;
    if (await patiently(() => rewriteItem(current, { set, remove, formatVersion: target }), options, counts))
      return ['changed', ...outcomes];
    // Written since it was read (or gone): read again and start over; every step is idempotent.
    item = await patiently(() => readItem(keyOf(current)), options, counts);
  }
  if (!item) return ['skipped'];
  throw new Error('the item kept changing while it was migrated (3 attempts)');
}

/** What a run logs of an item: its kind and where it is, never a value. */
const itemLabel = (item: StoredItem) => ({ kind: item.entity, id: item.id ?? item.workflowId ?? item.executorId });

/**
 * Runs the migration on the table (TABLE_NAME), resuming a run that stopped. Resolves to the report; a run that met
 * another one running throws `MigrationBusyError`.
 */
export async function migrateTable(options: MigrationOptions = {}): Promise<MigrationReport> {
  const pageSize = options.pageSize ?? 100;
  const counts: MigrationCounts = { seen: 0, changed: 0, skipped: 0, failed: 0, throttled: 0, pages: 0 };
  const findings: Finding[] = [];
  const previous = await patiently(() => readRun(), options, counts);
  const staleAfterMs = 15 * 60 * 1000;
  const busy = previous?.status === 'running' && Date.now() - Date.parse(previous.updatedAt) < staleAfterMs;
  if (busy) throw new MigrationBusyError(`another migration has been running since ${previous.startedAt}`);
  // A run of the same code that stopped before the end goes on where it stopped, with its counts.
  const resuming =
    previous?.formats === targetFormats && previous.status === 'stopped' && previous.resumeAfter ? previous : undefined;
  if (resuming) Object.assign(counts, resuming.counts);
  const seenBefore = counts.seen;
  const now = new Date().toISOString();
  let run: MigrationRun = {
    formats: targetFormats,
    status: 'running',
    startedAt: resuming?.startedAt ?? now,
    updatedAt: now,
    ...(resuming ? { resumeAfter: resuming.resumeAfter } : {}),
    counts: { ...counts },
  };
  let saved = previous?.updatedAt;
  const save = async (next: MigrationRun) => {
    const stamped = { ...next, updatedAt: new Date(Math.max(Date.now(), Date.parse(run.updatedAt) + 1)).toISOString() };
    if (!(await patiently(() => saveRun(stamped, saved), options, counts)))
      throw new MigrationBusyError('another migration took over the table');
    run = stamped;
    saved = stamped.updatedAt;
  };
  await save(run);
  const resumed = resuming !== undefined;
  logger.info('migration started', { formats: currentFormats, resumed, pagesBefore: counts.pages });

  const started = Date.now();
  let startKey = run.resumeAfter;
  let status: MigrationReport['status'] = 'complete';
  do {
    if (options.deadline !== undefined && Date.now() >= options.deadline) {
      status = 'stopped';
      break;
    }
    const page = await patiently(() => scanPage(startKey, pageSize), options, counts);
    for (const item of page.items) {
      counts.seen += 1;
      try {
        for (const outcome of await migrateItem(item, options, counts)) {
          if (outcome === 'changed') counts.changed += 1;
          else if (outcome === 'skipped') counts.skipped += 1;
          else {
            findings.push(outcome.finding);
            logger.warn('migration finding', { ...outcome.finding });
          }
        }
      } catch (error) {
        counts.failed += 1;
        const { name, message } = error as Error;
        logger.error('migration failed on an item', { ...itemLabel(item), error: name, reason: message });
      }
      if (options.itemsPerSecond) {
        const due = started + ((counts.seen - seenBefore) * 1000) / options.itemsPerSecond;
        if (due > Date.now()) await sleep(due - Date.now());
      }
    }
    counts.pages += 1;
    startKey = page.lastKey;
    await save({ ...run, counts: { ...counts }, ...(startKey ? { resumeAfter: startKey } : {}) });
    logger.debug('migration page', { ...counts });
  } while (startKey);

  if (status === 'complete' && counts.failed > 0) status = 'failed';
  const { resumeAfter: _done, ...rest } = run;
  await save({ ...rest, status, counts: { ...counts }, ...(status === 'stopped' ? { resumeAfter: startKey } : {}) });
  const report: MigrationReport = {
    status,
    ...counts,
    startedAt: run.startedAt,
    finishedAt: new Date().toISOString(),
    resumed,
    findings,
  };
  logger[status === 'complete' ? 'info' : 'error']('migration finished', { ...report, findings: findings.length });
  return report;
}
