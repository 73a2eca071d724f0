/**
 * flowplane's stack: one function per route-table entry behind a REST API, one
 * encrypted table with a stream, a data key for secrets wrapped by the stack's KMS key,
 * and alarms to an SNS topic. Nothing here lists a route: adding one to
 * functions/routes.ts adds its function, its method and its grants.
 */
import { CustomResource, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { RouteDefinition, TableAction } from '../functions/core/route.js';
import { routeList } from '../functions/routes.js';
import { tableDefinition } from '../functions/store/table.js';
import { routeBundleAliases } from './bundling.js';
import { EventsAndAudit } from './constructs/events-and-audit.js';
import { FlowplaneFunction } from './constructs/flowplane-function.js';

export interface FlowplaneStackProps extends StackProps {
  stage: string;
  /** RETAIN (default) keeps the table and key when the stack goes; DESTROY is for throwaway stages. */
  removalPolicy?: RemovalPolicy;
}

const writeActions: readonly TableAction[] = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/** KMS actions DynamoDB needs from a caller of a table encrypted with a customer managed key. */
function tableKeyActions(route: RouteDefinition): string[] {
  const writes = route.tableActions.some((a) => writeActions.includes(a));
  return writes ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt', 'kms:DescribeKey'];
}


export class FlowplaneStack extends Stack {
  readonly table: dynamodb.Table;
  readonly api: apigateway.RestApi;
  readonly functions = new Map<string, FlowplaneFunction>();
  readonly alarms: sns.Topic;
  /** The event bus, command queues and rules, stream consumers and audit IAM (infra/constructs/events-and-audit.ts). */
  readonly eventsAndAudit: EventsAndAudit;

  constructor(scope: Construct, id: string, props: FlowplaneStackProps) {
    super(scope, id, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const key = new kms.Key(this, 'Key', {
      description: `flowplane ${props.stage}: table, topic and secrets data key`,
      enableKeyRotation: true,
      removalPolicy,
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: 'expiresAt',
    });
    this.table.addGlobalSecondaryIndex({
      indexName: tableDefinition.gsi1.name,
      partitionKey: { name: tableDefinition.gsi1.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableDefinition.gsi1.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    const dataKey = this.secretsDataKey(key);
    this.alarms = new sns.Topic(this, 'Alarms', { masterKey: key, enforceSSL: true, displayName: `flowplane ${props.stage} alarms` });
    const action = new SnsAction(this.alarms);

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy });
    this.api = new apigateway.RestApi(this, 'Api', {
      description: `flowplane ${props.stage}`,
      cloudWatchRole: true,
      deployOptions: {
        stageName: props.stage,
        throttlingRateLimit: 100,
        throttlingBurstLimit: 200,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.INFO,
        // Data trace would log bodies and headers, i.e. API keys and secrets.
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
      },
    });
    // Required path parameters are checked at the edge; bodies have no API Gateway model
    // (the functions validate them against the full JSON Schemas, with the contracts'
    // error shapes), so body validation here has nothing to reject.
    const validator = this.api.addRequestValidator('Requests', { validateRequestParameters: true, validateRequestBody: true });
    const publicBaseUrl = `https://${this.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${props.stage}`;

    for (const route of routeList) {
      const fn = new FlowplaneFunction(this, route.operationId, {
        entry: route.entry,
        description: `${route.method} ${route.path}`,
        aliases: routeBundleAliases(route.operationId),
        environment: {
          TABLE_NAME: this.table.tableName,
          PUBLIC_BASE_URL: publicBaseUrl,
          ...(route.usesSecrets ? { DATA_KEY_CIPHERTEXT: dataKey } : {}),
        },
        removalPolicy,
      });
      this.grant(fn, route, key);
      this.functions.set(route.operationId, fn);

      const resource = this.api.root.resourceForPath(route.path);
      const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      resource.addMethod(route.method, new apigateway.LambdaIntegration(fn.function, { proxy: true }), {
        operationName: route.operationId,
        requestValidator: validator,
        requestParameters: Object.fromEntries(pathParameters.map((p) => [`method.request.path.${p}`, true])),
      });
      this.functionAlarms(route.operationId, fn.function, action);
    }

    this.eventsAndAudit = new EventsAndAudit(this, 'Events', {
      table: this.table,
      key,
      routeFunctions: this.functions,
      commandRoutes: routeList.filter((route) => route.acceptsCommands),
      alarmAction: action,
      removalPolicy,
    });
    for (const [name, fn] of this.eventsAndAudit.consumers) this.functionAlarms(name, fn.function, action);

    new cloudwatch.Alarm(this, 'Api5xxRate', {
      alarmDescription: 'More than 1% of API requests answered 5xx over 5 minutes',
      metric: this.api.metricServerError({ statistic: 'Average', period: Duration.minutes(5) }),
      threshold: 0.01,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);
    // Every 503 (a dependency throttled, failed or did not answer after the retries), from
    // every function, counted by functions/core/metrics.ts under operation and service.
    new cloudwatch.Alarm(this, 'Responses503', {
      alarmDescription: 'Requests or commands answered 503: DynamoDB or EventBridge could not serve them after the retries',
      metric: new cloudwatch.MathExpression({
        expression: 'SELECT SUM(Responses503) FROM SCHEMA(flowplane, operation, service)',
        label: 'Responses503',
        period: Duration.minutes(5),
        usingMetrics: {},
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);
    new cloudwatch.Alarm(this, 'TableThrottles', {
      alarmDescription: 'DynamoDB throttled requests',
      metric: this.table.metricThrottledRequestsForOperations({
        operations: [
          dynamodb.Operation.GET_ITEM,
          dynamodb.Operation.PUT_ITEM,
          dynamodb.Operation.UPDATE_ITEM,
          dynamodb.Operation.DELETE_ITEM,
          dynamodb.Operation.QUERY,
          dynamodb.Operation.TRANSACT_WRITE_ITEMS,
        ],
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);
    this.suppress();
  }


  /** Exactly the route's DynamoDB actions on the table (and its index only for Query). */
  private grant(fn: FlowplaneFunction, route: RouteDefinition, key: kms.Key): void {
    if (route.tableActions.length === 0) return;
    const queries = route.tableActions.includes('dynamodb:Query');
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [...route.tableActions],
        resources: [this.table.tableArn, ...(queries ? [`${this.table.tableArn}/index/${tableDefinition.gsi1.name}`] : [])],
      }),
    );
    fn.role.addToPolicy(new iam.PolicyStatement({ actions: tableKeyActions(route), resources: [key.keyArn] }));
  }

  private functionAlarms(name: string, fn: lambda.IFunction, action: SnsAction): void {
    for (const [metricName, metric] of [
      ['Errors', fn.metricErrors({ period: Duration.minutes(5) })],
      ['Throttles', fn.metricThrottles({ period: Duration.minutes(5) })],
    ] as const) {
      const alarm = new cloudwatch.Alarm(this, `${name}${metricName}`, {
        alarmDescription: `${name}: Lambda ${metricName.toLowerCase()}`,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
    }
  }

  /**
   * A 256-bit data key generated by KMS at deploy time, stored only wrapped (the
   * functions unwrap it once per cold start). It is made once per stack: nothing here
   * rotates it (docs/security.md, Limits).
   */
  private secretsDataKey(key: kms.Key): string {
    const onEvent = new lambda.Function(this, 'DataKeyProvider', {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      description: 'Generates the wrapped secrets data key (GenerateDataKeyWithoutPlaintext)',
      timeout: Duration.seconds(30),
      code: lambda.Code.fromInline(`
const { KMSClient, GenerateDataKeyWithoutPlaintextCommand } = require('@aws-sdk/client-kms');
exports.handler = async (event) => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  if (event.RequestType === 'Update') return { PhysicalResourceId: event.PhysicalResourceId };
  const out = await new KMSClient({}).send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: event.ResourceProperties.KeyId, KeySpec: 'AES_256' }));
  const ciphertext = Buffer.from(out.CiphertextBlob).toString('base64');
  return { PhysicalResourceId: 'data-key-' + ciphertext.slice(-16).replace(/[^A-Za-z0-9]/g, ''), Data: { Ciphertext: ciphertext } };
};`),
    });
    onEvent.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:GenerateDataKeyWithoutPlaintext'], resources: [key.keyArn] }));
    const provider = new cr.Provider(this, 'DataKeyProviderFramework', { onEventHandler: onEvent });
    const resource = new CustomResource(this, 'SecretsDataKey', {
      serviceToken: provider.serviceToken,
      properties: { KeyId: key.keyArn, Generation: '1' },
    });
    return resource.getAttString('Ciphertext');
  }

  /** Every cdk-nag suppression, each with its reason. */
  private suppress(): void {
    NagSuppressions.addResourceSuppressions(
      this.api,
      [
        { id: 'AwsSolutions-APIG4', reason: 'Authorization is per-organization API keys checked in every function (hashed in DynamoDB, constant-time compare, 60 s cache); docs/infra.md says why an API Gateway authorizer is not used.' },
        { id: 'AwsSolutions-COG4', reason: 'Callers are machine clients with per-organization API keys, not Cognito users.' },
        { id: 'AwsSolutions-APIG3', reason: 'WAF is an account-level decision left to the deploying team; stage throttling limits load.' },
        { id: 'AwsSolutions-IAM4', reason: 'API Gateway account CloudWatch role uses the AWS managed AmazonAPIGatewayPushToCloudWatchLogs policy, the documented way to enable execution logs.', appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'] },
      ],
      true,
    );
    for (const fn of this.functions.values()) {
      NagSuppressions.addResourceSuppressions(
        fn.role,
        [
          { id: 'AwsSolutions-IAM5', reason: 'Log streams are created at run time under the function\'s own log group; X-Ray segment APIs only accept "*".', appliesTo: [{ regex: '/^Resource::<.*Logs.*\\.Arn>:log-stream:\\*$/g' }, 'Resource::*'] },
        ],
        true,
      );
    }
    NagSuppressions.addResourceSuppressionsByPath(
      this,
      [`/${this.stackName}/DataKeyProviderFramework`, `/${this.stackName}/DataKeyProvider`],
      [
        { id: 'AwsSolutions-IAM4', reason: 'The CDK custom-resource provider framework and its one-shot key generator use AWSLambdaBasicExecutionRole; they run only at deploy time.' },
        { id: 'AwsSolutions-IAM5', reason: 'The provider framework may invoke its own handler versions (":*"), as the CDK generates it.' },
        { id: 'AwsSolutions-L1', reason: 'The provider framework pins its own runtime; the key generator uses Node.js 22 like every function.' },
      ],
      true,
    );
    for (const fn of this.functions.values()) {
      NagSuppressions.addResourceSuppressions(fn.function, [
        { id: 'AwsSolutions-L1', reason: 'Node.js 22 is the runtime flowplane is built and tested for (Node 24 exists; moving is a measured change, not a default).' },
      ]);
    }
  }
}
