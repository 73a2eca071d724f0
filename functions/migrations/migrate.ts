/**
 * The migration as a Lambda function, invoked by the stack's trigger on every deploy (and
 * by `npm start` on an existing table): runs it until the function has a minute left,
 * logs and counts what it did (metrics `MigrationItems{Seen,Changed,Skipped,Failed}` and
 * `MigrationFindings`), and fails, which fails the deploy, unless the whole table is
 * done without a failed item.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { logger } from '../core/logger.js';
import { metrics } from '../core/metrics.js';
import { type MigrationReport, migrateTable } from './run.js';

/** Time left for the last page, its writes and the run's item. */
const reserveMs = 60_000;

export const handler = middy<unknown, MigrationReport, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics))
  .handler(async (_event, context) => {
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
    return report;
  });
