/**
 * One CloudWatch dashboard per stage, laid out for a glance from the top down: the
 * alarms; the whole API (requests, 4xx/5xx, latency); DynamoDB (consumed capacity,
 * throttles); the stream consumers (iterator age, errors) and the dead-letter queues;
 * then one row per route (requests, 4xx/5xx/503, p50/p99 latency, cold starts).
 *
 * Requests and latency are API Gateway's per-method metrics (the stage has detailed
 * metrics on); response classes and cold starts are the functions' own Powertools
 * metrics (functions/observability/metrics.ts: namespace, `service` and `operation` dimensions;
 * a cold start also carries `function_name`). `Responses503` counts the answers given
 * while DynamoDB is unavailable.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RouteManifest } from '../assets.js';

/** A route as the dashboard sees it: its definition, its API method and its function. */
export interface DashboardRoute {
  route: RouteManifest;
  method: apigateway.Method;
  function: lambda.IFunction;
}

export interface FlowplaneDashboardProps {
  stage: string;
  api: apigateway.RestApi;
  routes: readonly DashboardRoute[];
  /** Namespace and `service` dimension of the functions' Powertools metrics. */
  metricsNamespace: string;
  serviceName: string;
  table: dynamodb.ITable;
  /** Stream consumers' functions, by name. */
  consumers: ReadonlyMap<string, lambda.IFunction>;
  /** Dead-letter queues, by name. */
  deadLetterQueues: ReadonlyMap<string, sqs.IQueue>;
  alarms: readonly cloudwatch.IAlarm[];
}

/** The response classes the functions count, as metric names (`Responses503` is the DynamoDB-unavailable answer). */
export const responseMetrics = ['Responses4xx', 'Responses5xx', 'Responses503'] as const;

/**
 * The table operations flowplane calls (throttles are reported per operation); the infra
 * test checks this against every DynamoDB command in functions/ and every action granted.
 */
export const tableOperations: readonly string[] = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.BATCH_GET_ITEM,
  dynamodb.Operation.BATCH_WRITE_ITEM,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
  // The migration reads the table page by page.
  dynamodb.Operation.SCAN,
];

const period = Duration.minutes(1);
const rowHeight = 6;

export class FlowplaneDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: FlowplaneDashboardProps) {
    super(scope, id);
    const stage = props.api.deploymentStage;
    const own = (metricName: string, dimensionsMap: Record<string, string>, statistic = 'Sum', label = metricName) =>
      new cloudwatch.Metric({
        namespace: props.metricsNamespace,
        metricName,
        dimensionsMap: { service: props.serviceName, ...dimensionsMap },
        statistic,
        period,
        label,
      });
    const graph = (title: string, left: cloudwatch.IMetric[], width: number, right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width, height: rowHeight, period, liveData: true });

    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      defaultInterval: Duration.hours(3),
      periodOverride: cloudwatch.PeriodOverride.AUTO,
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# flowplane ${props.stage}\nAlarms first (docs/runbook.md says what each means), then the API, the table, the stream and one row per route.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      graph('API requests', [stage.metricCount({ period, label: 'requests' })], 8),
      graph(
        'API 4xx / 5xx',
        [stage.metricClientError({ period, label: '4xx' }), stage.metricServerError({ period, label: '5xx' })],
        8,
      ),
      graph(
        'API latency',
        [
          stage.metricLatency({ period, statistic: 'p50', label: 'p50' }),
          stage.metricLatency({ period, statistic: 'p99', label: 'p99' }),
        ],
        8,
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'DynamoDB consumed capacity',
        [
          props.table.metricConsumedReadCapacityUnits({ period, label: 'read units' }),
          props.table.metricConsumedWriteCapacityUnits({ period, label: 'write units' }),
        ],
        12,
      ),
      graph(
        'DynamoDB throttled requests',
        tableOperations.map((operation) =>
          props.table.metric('ThrottledRequests', {
            dimensionsMap: { TableName: props.table.tableName, Operation: operation },
            statistic: 'Sum',
            period,
            label: operation,
          }),
        ),
        12,
      ),
    );
    const consumers = [...props.consumers];
    this.dashboard.addWidgets(
      graph(
        'Stream consumers: iterator age (ms)',
        consumers.map(([name, fn]) => fn.metric('IteratorAge', { statistic: 'Maximum', period, label: name })),
        8,
      ),
      graph(
        'Stream consumers: errors',
        consumers.map(([name, fn]) => fn.metricErrors({ period, label: name })),
        8,
      ),
      graph(
        'Dead-letter queue depth',
        [...props.deadLetterQueues].map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period, label: name }),
        ),
        8,
      ),
    );
    for (const { route, method, function: fn } of props.routes) {
      const name = `${route.method} ${route.path}`;
      const operation = { operation: route.operationId };
      this.dashboard.addWidgets(
        graph(`${name} · requests`, [method.metricCount(stage, { period, label: 'requests' })], 6),
        graph(
          `${name} · 4xx / 5xx / 503`,
          responseMetrics.map((metric) => own(metric, operation, 'Sum', metric.replace('Responses', ''))),
          6,
        ),
        graph(
          `${name} · latency`,
          [
            method.metricLatency(stage, { period, statistic: 'p50', label: 'p50' }),
            method.metricLatency(stage, { period, statistic: 'p99', label: 'p99' }),
          ],
          6,
        ),
        graph(
          `${name} · cold starts`,
          [own('ColdStart', { ...operation, function_name: fn.functionName }, 'Sum', 'cold starts')],
          6,
        ),
      );
    }
  }
}
