/**
 * Event-driven invocations, domain events and the audit log, in AWS terms:
 *
 * - an EventBridge bus: the stream's domain events are published to it, and a rule per
 *   command route (`acceptsCommands` in functions/routes.ts) routes the events whose
 *   detail-type is `flowplane.command.<operationId>` to that route's function;
 * - an SQS queue per command route (KMS-encrypted, TLS only) feeding its function's `live`
 *   alias, with partial batch responses and a maximum concurrency; a dead-letter queue per
 *   source, so each can be redriven its own way (docs/runbook.md, "Replay"): one behind the
 *   SQS queues (SQS redrives to the source queue), one for the EventBridge commands that
 *   could not be delivered or failed in the function (sent again to the bus), one for the
 *   stream consumers;
 * - the table stream's consumers (functions/streams/consumer-table.ts), each fed only resource
 *   items (filtered on `entity`), from the start of the stream, bisecting a failing batch,
 *   retrying, reporting the failed record and dead-lettering what never succeeds;
 * - IAM: the functions' resource policies allow only API Gateway (from the stack) and
 *   each route's own rule to invoke; every function but the audit writer is explicitly
 *   denied writes to audit partitions, and the audit writer may write nothing else.
 */
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ConsumerManifest, FunctionsManifest, RouteManifest } from '../assets.js';
import { FlowplaneFunction } from './flowplane-function.js';
import { NagSuppressions } from './nag-suppressions.js';

export interface EventsAndAuditProps {
  /** The prebuilt bundles' manifest: the stream consumers, the audit key pattern, the resource entities. */
  manifest: FunctionsManifest;
  /** The table; it must have a stream. */
  table: dynamodb.ITable;
  /** The key of the queues (and of EventBridge's sends to the command dead-letter queue). */
  key: kms.IKey;
  /** The table's customer managed key, if it has one (the consumers read and write through it). */
  tableKey?: kms.IKey;
  /** Every route's function, by operationId (all get the audit Deny). */
  routeFunctions: ReadonlyMap<string, FlowplaneFunction>;
  /** Every route's `live` alias, by operationId: what the commands invoke. */
  routeAliases: ReadonlyMap<string, lambda.IFunction>;
  /** The routes that also take commands; their functions get a queue and a rule. */
  commandRoutes: readonly RouteManifest[];
  /** A command route's SQS event source maximum concurrency. */
  commandConcurrency: (operationId: string) => number;
  removalPolicy: RemovalPolicy;
  /** Stream consumers' function settings (FlowplaneFunction's defaults otherwise). */
  logRetention?: logs.RetentionDays;
  sourceMaps?: boolean;
  architecture?: lambda.Architecture;
  logLevel?: string;
  metricsNamespace?: string;
}

/** The stream consumer of the manifest with this name. */
function consumerNamed(manifest: FunctionsManifest, name: string): ConsumerManifest {
  const consumer = manifest.consumers.find((c) => c.name === name);
  if (!consumer) throw new Error(`flowplane: the prebuilt bundles have no stream consumer ${name}`);
  return consumer;
}

/** The EventBridge detail-type that sends a command to a route's function. */
export function commandDetailType(operationId: string): string {
  return `flowplane.command.${operationId}`;
}

/** Functions time out at 29 s; SQS should hide a message for six times that while one works on it. */
const commandVisibility = Duration.seconds(6 * 29);

export class EventsAndAudit extends Construct {
  readonly bus: events.EventBus;
  /** The stream consumers' functions, by consumer name. */
  readonly consumers = new Map<string, FlowplaneFunction>();
  readonly streamDeadLetters: sqs.Queue;
  readonly commandQueues = new Map<string, sqs.Queue>();
  /** Behind the SQS command queues: its messages redrive to the queue each came from. */
  readonly commandDeadLetters: sqs.Queue;
  /** Commands EventBridge could not deliver to a function: replayed onto the bus. */
  readonly commandEventDeadLetters: sqs.Queue;
  readonly commandRules = new Map<string, events.Rule>();
  /** Attached to every function's role but the audit writer's. */
  readonly auditWritesDeny: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: EventsAndAuditProps) {
    super(scope, id);
    const { table, key, removalPolicy, manifest } = props;
    const { auditLeadingKeyPattern } = manifest;
    const queueDefaults = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      removalPolicy,
    };

    this.bus = new events.EventBus(this, 'Bus', { description: 'flowplane domain events and commands' });

    // Commands: a queue per command route, and a rule on the bus per command route. The queue
    // that was the one dead-letter queue of both keeps its id and serves the SQS queues.
    this.commandDeadLetters = new sqs.Queue(this, 'CommandDeadLetters', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    this.commandEventDeadLetters = new sqs.Queue(this, 'CommandEventDeadLetters', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    // EventBridge sends undeliverable commands to the (KMS-encrypted) dead-letter queue itself.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    for (const route of props.commandRoutes) {
      const fn = props.routeAliases.get(route.operationId);
      if (!fn) throw new Error(`no function for command route ${route.operationId}`);
      const queue = new sqs.Queue(this, `${route.operationId}Commands`, {
        ...queueDefaults,
        visibilityTimeout: commandVisibility,
        deadLetterQueue: { queue: this.commandDeadLetters, maxReceiveCount: 5 },
      });
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: 10,
          reportBatchItemFailures: true,
          maxConcurrency: props.commandConcurrency(route.operationId),
        }),
      );
      this.commandQueues.set(route.operationId, queue);
      const rule = new events.Rule(this, `${route.operationId}CommandRule`, {
        eventBus: this.bus,
        description: `Commands for ${route.operationId}`,
        eventPattern: { detailType: [commandDetailType(route.operationId)] },
      });
      // Adds the alias's only EventBridge permission: this rule, by ARN.
      rule.addTarget(
        new targets.LambdaFunction(fn, {
          deadLetterQueue: this.commandEventDeadLetters,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      );
      this.commandRules.set(route.operationId, rule);
      this.deadLetterAsyncFailures(props.routeFunctions.get(route.operationId)!, key);
    }

    // The table stream's consumers.
    this.streamDeadLetters = new sqs.Queue(this, 'StreamDeadLetters', {
      ...queueDefaults,
      retentionPeriod: Duration.days(14),
    });
    const publisher = this.consumer(consumerNamed(manifest, 'publishDomainEvents'), props, {
      EVENT_BUS_NAME: this.bus.eventBusName,
    });
    this.bus.grantPutEventsTo(publisher.function);
    const auditWriter = this.consumer(consumerNamed(manifest, 'writeAuditLog'), props, {});
    auditWriter.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [auditLeadingKeyPattern] } },
      }),
    );
    auditWriter.role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [table.tableArn] }));
    if (props.tableKey)
      auditWriter.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [props.tableKey.keyArn],
        }),
      );

    this.auditWritesDeny = new iam.ManagedPolicy(this, 'AuditWritesDeny', {
      description: 'flowplane: audit items are written by the audit writer only',
      statements: [
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
          resources: [table.tableArn],
          conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [auditLeadingKeyPattern] } },
        }),
      ],
      roles: [...props.routeFunctions.values(), publisher].map((fn) => fn.role),
    });

    this.suppress();
  }

  /**
   * EventBridge's dead-letter queue only takes what it could not hand to Lambda; a command
   * Lambda accepted and the function then failed (3 attempts, Lambda's asynchronous retries)
   * would be dropped. The function's own dead-letter queue for asynchronous invocations is
   * the same queue: its messages are the EventBridge events as sent, replayed alike
   * (docs/runbook.md). Set on the CloudFormation resource, granting exactly SendMessage and
   * the two KMS actions the encrypted queue needs (the CDK prop would grant KMS wildcards).
   */
  private deadLetterAsyncFailures(fn: FlowplaneFunction, key: kms.IKey): void {
    (fn.function.node.defaultChild as lambda.CfnFunction).deadLetterConfig = {
      targetArn: this.commandEventDeadLetters.queueArn,
    };
    fn.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.commandEventDeadLetters.queueArn] }),
    );
    fn.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }),
    );
  }

  /** A stream consumer: fed resource items from the table's stream, reading tombstones (GetItem). */
  private consumer(
    definition: ConsumerManifest,
    props: EventsAndAuditProps,
    environment: Record<string, string>,
  ): FlowplaneFunction {
    const fn = new FlowplaneFunction(this, definition.name, {
      bundle: definition.name,
      description: definition.description,
      environment: { TABLE_NAME: props.table.tableName, ...environment },
      timeout: Duration.seconds(60),
      removalPolicy: props.removalPolicy,
      logRetention: props.logRetention,
      sourceMaps: props.sourceMaps,
      architecture: props.architecture,
      logLevel: props.logLevel,
      metricsNamespace: props.metricsNamespace,
    });
    fn.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.streamDeadLetters),
        // Name claims, API keys, tombstones and audit items never invoke the consumers.
        filters: [
          lambda.FilterCriteria.filter({
            dynamodb: { NewImage: { entity: { S: [...props.manifest.resourceEntities] } } },
          }),
          lambda.FilterCriteria.filter({
            dynamodb: { OldImage: { entity: { S: [...props.manifest.resourceEntities] } } },
          }),
        ],
      }),
    );
    fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [props.table.tableArn] }));
    if (props.tableKey)
      fn.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [props.tableKey.keyArn] }),
      );
    this.consumers.set(definition.name, fn);
    return fn;
  }

  /** Every cdk-nag suppression of this construct, each with its reason. */
  private suppress(): void {
    NagSuppressions.addResourceSuppressions(this.streamDeadLetters, [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is the dead-letter queue of the table stream consumers (their on-failure destination); it has no queue of its own behind it.',
      },
    ]);
    NagSuppressions.addResourceSuppressions(this.commandEventDeadLetters, [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          "This queue is the dead-letter queue of the EventBridge command rules (their targets' DeadLetterConfig); it has no queue of its own behind it.",
      },
    ]);
    for (const fn of this.consumers.values()) {
      NagSuppressions.addResourceSuppressions(
        fn.role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'Log streams are created at run time under the function\'s own log group; X-Ray segment APIs and dynamodb:ListStreams (granted by the stream event source) only accept "*".',
            appliesTo: [{ regex: '/^Resource::<.*Logs.*\\.Arn>:log-stream:\\*$/g' }, 'Resource::*'],
          },
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'kms:GenerateDataKey* and kms:ReEncrypt* on the stack key only, as CDK grants them for sending to the KMS-encrypted stream dead-letter queue (on-failure destination).',
            appliesTo: ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
          },
        ],
        true,
      );
      NagSuppressions.addResourceSuppressions(fn.function, [
        {
          id: 'AwsSolutions-L1',
          reason:
            'Node.js 22 is the runtime flowplane is built and tested for (Node 24 exists; moving is a measured change, not a default).',
        },
      ]);
    }
  }
}
