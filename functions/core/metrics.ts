/**
 * The one metrics emitter (Powertools, CloudWatch embedded metric format written to the
 * log): a cold-start count and one count per response class, by operation.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'flowplane',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'flowplane',
});

/** Counts one HTTP response as `Responses2xx`, `Responses4xx` or `Responses5xx`. */
export function countResponse(status: number): void {
  metrics.addMetric(`Responses${Math.floor(status / 100)}xx`, MetricUnit.Count, 1);
}
