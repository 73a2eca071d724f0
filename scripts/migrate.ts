/**
 * `npm run migrate -- [--stage STAGE | --stack NAME | --table NAME] [--items-per-second N] [--page-size N]`
 *
 * Runs the migration (functions/migrations/run.ts, the code the stack's custom resource runs on
 * every deploy and `npm start` runs on an existing table) on a stage's table, found as
 * `npm run api-key` finds it (TABLE_NAME wins, else the stack's TableName output). It
 * resumes a run that stopped, and refuses to start while another one runs. It opens and
 * seals secrets, so it needs the data key: SECRETS_KEY_FILE for a local table,
 * DATA_KEY_CIPHERTEXT (and DATA_KEYS_PREVIOUS) as the stack's functions hold them for a
 * deployed one, with the right to decrypt them (docs/runbook.md, "Upgrade").
 */
import { parseArgs } from 'node:util';
import { migrateTable, MigrationBusyError, type MigrationReport } from '../functions/migrations/run.js';
import { stackNameOf } from '../infra/outputs.js';
import { resolveTableName } from './api-key.js';

const usage = `usage:
  npm run migrate -- --stage STAGE [--items-per-second N] [--page-size N]
  npm run migrate -- --stack NAME | --table NAME

environment: TABLE_NAME (what --table sets; wins over --stage/--stack), DYNAMODB_ENDPOINT (DynamoDB Local),
the data key: SECRETS_KEY_FILE (local) or DATA_KEY_CIPHERTEXT [+ DATA_KEYS_PREVIOUS] (deployed),
AWS_REGION and the usual AWS credentials`;

const positive = (text: string | undefined) => {
  const value = Number(text);
  return text === undefined ? undefined : Number.isInteger(value) && value > 0 ? value : NaN;
};

/** The report as the lines an operator reads. */
export function reportLines(report: MigrationReport): string[] {
  return [
    `migration ${report.status}${report.resumed ? ' (resumed)' : ''}: ${report.seen} items seen, ${report.changed} changed, ${report.skipped} skipped, ${report.failed} failed; ${report.throttled} throttled waits; ${report.pages} pages since ${report.startedAt}`,
    ...report.findings.map((finding) => `finding ${finding.kind} (${finding.organizationId}): ${finding.message}`),
  ];
}

/** Runs the command; returns the process exit code (0 complete, 1 failed or stopped, 2 usage, 3 another run holds the table). */
export async function runMigrateCommand(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stage: { type: 'string' },
      stack: { type: 'string' },
      table: { type: 'string' },
      'items-per-second': { type: 'string' },
      'page-size': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const itemsPerSecond = positive(values['items-per-second']);
  const pageSize = positive(values['page-size']);
  if (values.help || Number.isNaN(itemsPerSecond) || Number.isNaN(pageSize)) {
    print(usage);
    return values.help ? 0 : 2;
  }
  if ([values.stage, values.stack, values.table].filter((value) => value !== undefined).length > 1) {
    print('give one of --stage, --stack or --table');
    return 2;
  }
  if (values.table) process.env.TABLE_NAME = values.table;
  const table = await resolveTableName(
    values.stack ?? (values.stage !== undefined ? stackNameOf(values.stage) : undefined),
  );
  if (typeof table !== 'string') {
    print(table.problem);
    return 2;
  }
  if (!process.env.SECRETS_KEY_FILE && !process.env.DATA_KEY_CIPHERTEXT) {
    print('no data key: set SECRETS_KEY_FILE (local) or DATA_KEY_CIPHERTEXT (deployed; docs/runbook.md, "Upgrade")');
    return 2;
  }
  process.env.TABLE_NAME = table;
  try {
    const report = await migrateTable({
      ...(itemsPerSecond ? { itemsPerSecond } : {}),
      ...(pageSize ? { pageSize } : {}),
    });
    for (const line of reportLines(report)) print(line);
    return report.status === 'complete' ? 0 : 1;
  } catch (error) {
    if (!(error instanceof MigrationBusyError)) throw error;
    print(`${error.message}: wait for it (or 15 minutes after it stopped answering), then run again`);
    return 3;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runMigrateCommand(process.argv.slice(2));
}
