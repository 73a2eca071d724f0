/**
 * The migration as a Lambda function: the stack's custom resource runs it on every deploy
 * of a new release (its create and update; its delete, when a rollback removes it, does
 * nothing), and `npm start` runs it on an existing table. It runs until the function has a
 * minute left, logs and counts what it did (metrics `MigrationItems{Seen,Changed,Skipped,
 * Failed}` and `MigrationFindings`), and fails, which fails the deploy, unless the whole
 * table is done without a failed item.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { logger } from '../observability/logger.js';
import { metrics } from '../observability/metrics.js';
import { type MigrationReport, migrateTable } from './run.js';

/** Time left for the last page, its writes and the run's item. */
const reserveMs = 60_000;

/** What CloudFormation's custom resource sends (through the provider framework); `npm start` sends nothing. */
export interface MigrationEvent {
  RequestType?: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
}

/** The custom resource's answer (the counts as its attributes), and the whole report for `npm start`. */
export interface MigrationResult {
  PhysicalResourceId: string;
  Data?: Record<string, string | number>;
  report?: MigrationReport;
}

const physicalId = 'flowplane-migration';

export const handler = middy<MigrationEvent | undefined, MigrationResult, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics))
  .handler(async (event, context) => {
    if (event?.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? physicalId };
    const report = await migrateTable({ deadline: Date.now() + context.getRemainingTimeInMillis() - reserveMs });
    metrics.addMetric('MigrationItemsSeen', MetricUnit.Count, report.seen);
    metrics.addMetric('MigrationItemsChanged', MetricUnit.Count, report.changed);
    metrics.addMetric('MigrationItemsSkipped', MetricUnit.Count, report.skipped);
    metrics.addMetric('MigrationItemsFailed', MetricUnit.Count, report.failed);
    metrics.addMetric('MigrationFindings', MetricUnit.Count, report.findings.length);
    if (report.status === 'failed')
      throw new Error(`migration failed on ${report.failed} item(s): the log names each; fix and deploy again`);
    if (report.status === 'stopped')
      throw new Error(
        `migration stopped before the end of the table (${report.seen} items so far): deploy again or run npm run migrate, which resume it`,
      );
    const { seen, changed, skipped, failed, throttled, pages } = report;
    return {
      PhysicalResourceId: physicalId,
      Data: {
        status: report.status,
        seen,
        changed,
        skipped,
        failed,
        throttled,
        pages,
        findings: report.findings.length,
      },
      report,
    };
  });
