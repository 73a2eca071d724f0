/**
 * The one metrics emitter (Powertools, CloudWatch embedded metric format written to the
 * log): a cold-start count and one count per response class, by operation, and every
 * 503 (a dependency could not serve the request) counted once more on its own, which the
 * stack alarms on.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'flowplane',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'flowplane',
});

/** Counts one response as `Responses2xx`, `Responses4xx` or `Responses5xx`, and a 503 also as `Responses503`. */
export function countResponse(status: number): void {
  metrics.addMetric(`Responses${Math.floor(status / 100)}xx`, MetricUnit.Count, 1);
  if (status === 503) metrics.addMetric('Responses503', MetricUnit.Count, 1);
}
