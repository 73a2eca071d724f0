/**
 * The migration's Lambda function, listed once like the routes and stream consumers: the
 * build bundles it (`npm start` runs the bundle on an existing table), the CDK stack
 * deploys it and runs it on every deploy (infra/constructs/migration.ts).
 */
export const migrationFunction = {
  /** Function name and bundle directory (dist/functions/<name>). */
  name: 'migrateTable',
  /** The Lambda entry file, relative to the repository root. */
  entry: 'functions/migrations/migrate.ts',
  description: 'Migration: every item of the table brought to the current format (runs on every deploy)',
  /**
   * A minute under Lambda's longest, so the provider framework's function that waits for it (itself a Lambda function,
   * 15 minutes) outlives it; a run stops a minute before its end and the next one resumes (functions/migrations/run.ts).
   */
  timeoutSeconds: 840,
} as const;
