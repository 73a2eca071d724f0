/**
 * Every alarm of a stage, in one place, as the on-call engineer meets them: a readable
 * name (`flowplane-<stage>-<what>`), a description that says what went wrong and names
 * the runbook section to open, M-of-N evaluation (a bad minute never pages; three bad
 * minutes out of five do), an OK action as well as an alarm action, and rates and
 * percentiles that count only minutes with enough traffic to mean something. docs/infra.md
 * ("Alarms: why each threshold") gives the reasoning behind every number here;
 * docs/runbook.md has a section per alarm.
 *
 * It also makes the page deliverable: CloudWatch publishes to the alarm topic as the
 * service principal `cloudwatch.amazonaws.com`, which needs the topic's policy to allow
 * `sns:Publish` and, the topic being encrypted with a customer managed key, the key's
 * policy to allow `kms:GenerateDataKey*` and `kms:Decrypt` (aws/aws-cdk#11121). Both
 * grants are limited to this stage's alarms by name.
 */
import { Annotations, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** A route as its alarms see it. */
export interface AlarmedRoute {
  operationId: string;
  method: apigateway.Method;
  function: lambda.IFunction;
  /** The p99 latency above which a minute counts as bad. */
  latencyThreshold: Duration;
  /** The route's SQS command queue, when it takes commands. */
  commandQueue?: sqs.IQueue;
}

export interface FlowplaneAlarmsProps {
  stage: string;
  api: apigateway.RestApi;
  /** The API's access log group: 504 answers are counted from it. */
  accessLogs: logs.ILogGroup;
  routes: readonly AlarmedRoute[];
  /** Stream consumers' functions, by name. */
  consumers: ReadonlyMap<string, lambda.IFunction>;
  /** The dead-letter queues, one per source. */
  deadLetters: { stream: sqs.IQueue; commandQueues: sqs.IQueue; commandEvents: sqs.IQueue };
  table: dynamodb.ITable;
  /** Every DynamoDB operation (the `Operation` dimension) the functions call. */
  tableOperations: readonly string[];
  /** Namespace and `service` dimension of the functions' Powertools metrics, and of the 504 count. */
  metricsNamespace: string;
  serviceName: string;
  topic: sns.ITopic;
  /** Whether the topic was created here (its policy can then be extended). */
  ownTopic: boolean;
  /** The topic's key, when the topic was created here with a key created here. */
  topicKey?: kms.Key;
  minimumRequests: number;
}

/** The runbook section (docs/runbook.md heading anchor) of each kind of alarm. */
export const runbookSections = {
  api5xxRate: 'flowplane-stage-api-5xx-rate',
  api504: 'flowplane-stage-api-504',
  responses503: 'flowplane-stage-responses-503',
  tableThrottles: 'flowplane-stage-table-throttles',
  route5xxRate: 'flowplane-stage-operationid-5xx-rate',
  routeLatency: 'flowplane-stage-operationid-latency-p99',
  routeErrors: 'flowplane-stage-operationid-errors',
  commandAge: 'flowplane-stage-operationid-command-age',
  consumerErrors: 'flowplane-stage-consumer-errors',
  consumerIteratorAge: 'flowplane-stage-consumer-iterator-age',
  streamDeadLetters: 'flowplane-stage-stream-dead-letters',
  commandDeadLetters: 'flowplane-stage-command-dead-letters',
  commandEventDeadLetters: 'flowplane-stage-command-event-dead-letters',
} as const;

/** Every alarm of a stage is named `flowplane-<stage>-<what>`; the topic and key grants match this prefix. */
export const alarmNamePrefix = (stage: string) => `flowplane-${stage}-`;

/** One minute per datapoint, three bad minutes out of the last five to alarm (docs/infra.md). */
const evaluation = { period: Duration.minutes(1), datapointsToAlarm: 3, evaluationPeriods: 5 } as const;

/** A command that has waited this long is past every redelivery its queue allows (5 × 174 s visibility). */
const commandAgeThreshold = Duration.minutes(15);
/** A stream consumer this far behind the table has records at risk within the stream's 24 hours. */
const iteratorAgeThreshold = Duration.minutes(5);
/** DynamoDB throttles per minute that the SDK's retries no longer absorb unseen. */
const tableThrottleThreshold = 10;
/** Percent of 5xx answers in a minute. */
const serverErrorRateThreshold = 1;

const { period } = evaluation;

export class FlowplaneAlarms extends Construct {
  /** Every alarm, in creation order. */
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Each route's own alarms (5xx rate, p99 latency, function errors): what a gradual deployment rolls back on. */
  readonly routeAlarms = new Map<string, cloudwatch.Alarm[]>();
  private readonly action: SnsAction;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: FlowplaneAlarmsProps,
  ) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
    this.allowCloudWatchToPublish();
    this.apiAlarms();
    for (const route of props.routes) this.routeAlarms.set(route.operationId, this.alarmsOfRoute(route));
    for (const [name, fn] of props.consumers) this.consumerAlarms(name, fn);
    this.deadLetterAlarms();
  }

  /** An alarm named, described and evaluated the house way, notifying the topic on ALARM and on OK. */
  private alarm(
    id: string,
    what: string,
    description: string,
    section: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    comparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `${alarmNamePrefix(this.props.stage)}${what}`,
      alarmDescription: `${description} Runbook: docs/runbook.md#${section}`,
      metric,
      threshold,
      comparisonOperator,
      evaluationPeriods: evaluation.evaluationPeriods,
      datapointsToAlarm: evaluation.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  /** `value` only for minutes with at least the minimum of requests, else 0 (a quiet minute is never bad). */
  private guarded(
    expression: string,
    requests: cloudwatch.IMetric,
    usingMetrics: Record<string, cloudwatch.IMetric>,
    label: string,
  ): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: `IF(requests >= ${this.props.minimumRequests}, ${expression}, 0)`,
      usingMetrics: { requests, ...usingMetrics },
      period,
      label,
    });
  }

  private apiAlarms(): void {
    const { api } = this.props;
    this.alarm(
      'Api5xxRate',
      'api-5xx-rate',
      `More than ${serverErrorRateThreshold}% of the API's answers were 5xx in 3 of 5 minutes (minutes with at least ${this.props.minimumRequests} requests).`,
      runbookSections.api5xxRate,
      this.guarded(
        '100 * errors / requests',
        this.apiMetric('Count', 'Sum'),
        { errors: this.apiMetric('5XXError', 'Sum') },
        'API 5xx %',
      ),
      serverErrorRateThreshold,
      cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    );

    // API Gateway counts 504s only within 5XXError: the access log's status tells them apart.
    const timeouts = new logs.MetricFilter(this, 'Api504Filter', {
      logGroup: this.props.accessLogs,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '504'),
      metricNamespace: this.props.metricsNamespace,
      metricName: 'Api504',
      metricValue: '1',
      dimensions: { apiId: '$.apiId' },
    });
    this.alarm(
      'Api504',
      'api-504',
      `API Gateway answered 504 (no answer from a function within 29 s) in 3 of 5 minutes.`,
      runbookSections.api504,
      timeouts.metric({ period, statistic: 'Sum', dimensionsMap: { apiId: api.restApiId }, label: '504 answers' }),
      1,
    );

    // Every route's count in one query (an alarm takes at most 10 plain metrics; there are more routes).
    this.alarm(
      'Responses503',
      'responses-503',
      'Requests were answered 503 because DynamoDB was unavailable or throttled past the retries (any route), in 3 of 5 minutes.',
      runbookSections.responses503,
      new cloudwatch.MathExpression({
        expression: `SELECT SUM(Responses503) FROM SCHEMA("${this.props.metricsNamespace}", operation, service) WHERE service = '${this.props.serviceName}'`,
        period,
        label: '503 answers',
      }),
      1,
    );

    const throttles = Object.fromEntries(
      this.props.tableOperations.map((operation) => [
        operation.charAt(0).toLowerCase() + operation.slice(1),
        this.props.table.metric('ThrottledRequests', {
          dimensionsMap: { TableName: this.props.table.tableName, Operation: operation },
          statistic: 'Sum',
          period,
        }),
      ]),
    );
    // SUM over the list: DynamoDB publishes ThrottledRequests only for operations that were throttled, and `a + b`
    // is missing whenever one of them is.
    this.alarm(
      'TableThrottles',
      'table-throttles',
      `DynamoDB throttled at least ${tableThrottleThreshold} requests a minute (any of ${this.props.tableOperations.join(', ')}) in 3 of 5 minutes.`,
      runbookSections.tableThrottles,
      new cloudwatch.MathExpression({
        expression: `SUM([${Object.keys(throttles).join(', ')}])`,
        usingMetrics: throttles,
        period,
        label: 'throttled requests',
      }),
      tableThrottleThreshold,
    );
  }

  /**
   * An API Gateway metric of the stage (or of one method), its dimensions written out: a Ref to
   * the stage would make a route's alarm depend on the API deployment, which depends on the
   * route's alias, which a gradual deployment makes depend on the alarm (a cycle).
   */
  private apiMetric(metricName: string, statistic: string, method?: apigateway.Method): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName,
      dimensionsMap: {
        ApiName: this.props.api.restApiName,
        Stage: this.props.stage,
        ...(method ? { Method: method.httpMethod, Resource: method.resource.path } : {}),
      },
      statistic,
      period,
    });
  }

  /** A route's 5xx rate and p99 latency at the API, its function's failures, and its command queue's age. */
  private alarmsOfRoute(route: AlarmedRoute): cloudwatch.Alarm[] {
    const { operationId, method } = route;
    const requests = this.apiMetric('Count', 'Sum', method);
    const alarms = [
      this.alarm(
        `${operationId}5xxRate`,
        `${operationId}-5xx-rate`,
        `${operationId}: more than ${serverErrorRateThreshold}% of its answers were 5xx in 3 of 5 minutes (minutes with at least ${this.props.minimumRequests} requests).`,
        runbookSections.route5xxRate,
        this.guarded(
          '100 * errors / requests',
          requests,
          { errors: this.apiMetric('5XXError', 'Sum', method) },
          `${operationId} 5xx %`,
        ),
        serverErrorRateThreshold,
        cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      ),
      this.alarm(
        `${operationId}LatencyP99`,
        `${operationId}-latency-p99`,
        `${operationId}: p99 latency at the API above ${route.latencyThreshold.toMilliseconds()} ms in 3 of 5 minutes (minutes with at least ${this.props.minimumRequests} requests).`,
        runbookSections.routeLatency,
        this.guarded(
          'latency',
          requests,
          { latency: this.apiMetric('Latency', 'p99', method) },
          `${operationId} p99 (ms)`,
        ),
        route.latencyThreshold.toMilliseconds(),
        cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      ),
      this.functionFailures(
        `${operationId}Errors`,
        operationId,
        route.function,
        runbookSections.routeErrors,
        `${operationId}: its function failed or was throttled (timeout, out of memory, crash at start, no concurrency left) in 3 of 5 minutes.`,
      ),
    ];
    if (route.commandQueue) {
      this.alarm(
        `${operationId}CommandAge`,
        `${operationId}-command-age`,
        `${operationId}: the oldest command in its SQS queue waited more than ${commandAgeThreshold.toMinutes()} minutes, in 3 of 5 minutes.`,
        runbookSections.commandAge,
        route.commandQueue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        commandAgeThreshold.toSeconds(),
        cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      );
    }
    return alarms;
  }

  /** Lambda errors and throttles of one function, summed (either means an invocation did not run to an answer). */
  private functionFailures(
    id: string,
    name: string,
    fn: lambda.IFunction,
    section: string,
    description: string,
  ): cloudwatch.Alarm {
    return this.alarm(
      id,
      `${name}-errors`,
      description,
      section,
      new cloudwatch.MathExpression({
        expression: 'SUM([errors, throttles])',
        usingMetrics: {
          errors: fn.metricErrors({ period, statistic: 'Sum' }),
          throttles: fn.metricThrottles({ period, statistic: 'Sum' }),
        },
        period,
        label: `${name} errors + throttles`,
      }),
      1,
    );
  }

  private consumerAlarms(name: string, fn: lambda.IFunction): void {
    this.functionFailures(
      `${name}Errors`,
      name,
      fn,
      runbookSections.consumerErrors,
      `${name}: a batch of table stream records failed or was throttled in 3 of 5 minutes (it is retried).`,
    );
    this.alarm(
      `${name}IteratorAge`,
      `${name}-iterator-age`,
      `${name}: more than ${iteratorAgeThreshold.toMinutes()} minutes behind the table stream in 3 of 5 minutes.`,
      runbookSections.consumerIteratorAge,
      fn.metric('IteratorAge', { statistic: 'Maximum', period }),
      iteratorAgeThreshold.toMilliseconds(),
      cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    );
  }

  private deadLetterAlarms(): void {
    const { stream, commandQueues, commandEvents } = this.props.deadLetters;
    for (const [id, what, queue, section, description] of [
      [
        'StreamDeadLetters',
        'stream-dead-letters',
        stream,
        runbookSections.streamDeadLetters,
        'Table stream records were given up (an event not published or an audit entry not written) and wait in the stream dead-letter queue.',
      ],
      [
        'CommandDeadLetters',
        'command-dead-letters',
        commandQueues,
        runbookSections.commandDeadLetters,
        'Commands from the SQS command queues failed 5 times and wait in their dead-letter queue.',
      ],
      [
        'CommandEventDeadLetters',
        'command-event-dead-letters',
        commandEvents,
        runbookSections.commandEventDeadLetters,
        'Commands sent through EventBridge could not be delivered to their function and wait in their dead-letter queue.',
      ],
    ] as const) {
      this.alarm(
        `${id}NotEmpty`,
        what,
        description,
        section,
        queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period }),
        1,
      );
    }
  }

  /** Lets this stage's alarms publish to the topic and, for a key created here, encrypt for it. */
  private allowCloudWatchToPublish(): void {
    const { topic, topicKey, stage } = this.props;
    const stack = Stack.of(this);
    const alarms = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `${alarmNamePrefix(stage)}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const cloudwatchService = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    if (this.props.ownTopic) {
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'CloudWatchAlarmsOfThisStagePublish',
          principals: [cloudwatchService],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { ArnLike: { 'aws:SourceArn': alarms }, StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      );
    }
    if (topicKey) {
      topicKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'CloudWatchAlarmsOfThisStageEncryptForTheAlarmTopic',
          principals: [cloudwatchService],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          // The topic's own ARN would make the key depend on the topic it encrypts (a cycle): any topic of the
          // account, for this stage's alarms only.
          conditions: {
            ArnLike: {
              'aws:SourceArn': alarms,
              'kms:EncryptionContext:aws:sns:topicArn': stack.formatArn({ service: 'sns', resource: '*' }),
            },
          },
        }),
      );
    } else if (this.props.ownTopic) {
      Annotations.of(this).addWarningV2(
        'flowplane:alarm-topic-key',
        'The alarm topic is encrypted with an imported key whose policy cannot be changed here: it must allow cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt, or no alarm reaches anyone (docs/infra.md, "Alarms").',
      );
    }
  }
}
