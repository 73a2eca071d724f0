/**
 * flowplane as one construct a team drops into its own CDK app: one function per
 * route-table entry behind a REST API, one encrypted table with a stream, wrapped data
 * keys for secrets, the event bus, command queues and audit log, alarms to a topic and a
 * dashboard. Nothing here lists a route: adding one to functions/routes.ts adds its
 * function, its method, its grants, its alarms and its dashboard row.
 *
 * Props (infra/constructs/flowplane-props.ts) are checked before anything is built; a
 * wrong one fails the synth with every problem listed. The routes come from the manifest
 * of the prebuilt bundles (infra/assets.ts), the same build whose code each function runs.
 */
import { CfnOutput, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { oidcEnvironment } from '../../functions/auth/oidc-settings.js';
import { type FunctionsManifest, functionsManifest, type RouteManifest } from '../assets.js';
import { stackOutputs } from '../outputs.js';
import { FlowplaneAlarms } from './alarms.js';
import { type DashboardRoute, FlowplaneDashboard, tableOperations } from './dashboard.js';
import { EventsAndAudit } from './events-and-audit.js';
import { defaultEnvironment, FlowplaneFunction } from './flowplane-function.js';
import {
  type BackupSettings,
  defaultMetricsNamespace,
  flowplaneDefaults,
  type FlowplaneProps,
  flowplanePropsProblems,
  oidcSettingsOf,
  onCallDefaults,
} from './flowplane-props.js';
import { TableMigration } from './migration.js';
import { NagSuppressions } from './nag-suppressions.js';
import { secretsDataKeys } from './secrets-data-keys.js';

const writeActions: readonly string[] = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/** KMS actions DynamoDB needs from a caller of a table encrypted with a customer managed key. */
function tableKeyActions(route: RouteManifest): string[] {
  const writes = route.tableActions.some((a) => writeActions.includes(a));
  return writes
    ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']
    : ['kms:Decrypt', 'kms:DescribeKey'];
}

/** Every route function's alias: what the API, the command rules and queues invoke, and what a deployment moves. */
const liveAlias = 'live';

/**
 * The standard JSON access log fields plus the API's id, which the 504 count is dimensioned
 * by (API Gateway's own metrics have no 504 of their own; infra/constructs/alarms.ts).
 */
function accessLogFormat(): apigateway.AccessLogFormat {
  const standard = JSON.parse(apigateway.AccessLogFormat.jsonWithStandardFields().toString()) as Record<string, string>;
  return apigateway.AccessLogFormat.custom(
    JSON.stringify({ ...standard, apiId: apigateway.AccessLogField.contextApiId() }),
  );
}

export class Flowplane extends Construct {
  /** The REST API (one method per route). */
  readonly api: apigateway.RestApi;
  /**
   * The public base URL: the custom domain's when there is one, else the stage's execute-api URL; no trailing slash.
   */
  readonly apiUrl: string;
  readonly table: dynamodb.ITable;
  /** The key of the table (when created here), the topic, the queues and the secrets data keys. */
  readonly key: kms.IKey;
  /** The domain event and command bus. */
  readonly bus: events.IEventBus;
  readonly alarmTopic: sns.ITopic;
  /** Every route's function by operationId (functions/routes.ts); `routeFunction` for one. */
  readonly functions = new Map<string, FlowplaneFunction>();
  /** Every route function's `live` alias (its current version), by operationId. */
  readonly aliases = new Map<string, lambda.Alias>();
  /** The API method of each route, by operationId. */
  readonly methods = new Map<string, apigateway.Method>();
  /** The event bus, command queues and rules, stream consumers and audit IAM (infra/constructs/events-and-audit.ts). */
  readonly eventsAndAudit: EventsAndAudit;
  /** The migration run on every deploy once the functions are updated (infra/constructs/migration.ts). */
  readonly migration: TableMigration;
  readonly dashboard: cloudwatch.Dashboard;
  /** The custom domain, when `customDomain` is set. */
  readonly domain?: apigateway.DomainName;
  /** Every alarm, named `flowplane-<stage>-<what>` (infra/constructs/alarms.ts). */
  readonly alarms: FlowplaneAlarms;
  /** Each route's CodeDeploy deployment group, by operationId, when `gradualDeployment` is set. */
  readonly deploymentGroups = new Map<string, codedeploy.LambdaDeploymentGroup>();
  /** The table's AWS Backup plan, when `backup` is set. */
  readonly backupPlan?: backup.BackupPlan;
  /** Namespace of the functions' own metrics, which the alarms and the dashboard read. */
  readonly metricsNamespace: string;
  /** What the prebuilt bundles were built from: the routes, the stream consumers, the table's shape. */
  readonly manifest: FunctionsManifest;

  constructor(scope: Construct, id: string, props: FlowplaneProps) {
    super(scope, id);
    this.manifest = functionsManifest();
    const { routes } = this.manifest;
    const problems = flowplanePropsProblems(
      props,
      routes.map((route) => route.operationId),
      routes.filter((route) => route.acceptsCommands).map((route) => route.operationId),
    );
    if (problems.length > 0)
      throw new Error(`Flowplane ${this.node.path}: invalid props:\n  - ${problems.join('\n  - ')}`);

    const { stage } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const sourceMaps = props.sourceMaps ?? flowplaneDefaults.sourceMaps;
    this.metricsNamespace = props.metricsNamespace ?? defaultMetricsNamespace(stage);
    const functionDefaults = {
      architecture: props.architecture,
      logLevel: props.logLevel,
      metricsNamespace: this.metricsNamespace,
      logRetention: props.logRetention,
      sourceMaps,
      removalPolicy,
    };

    const ownKey = props.encryptionKey
      ? undefined
      : new kms.Key(this, 'Key', {
          description: `flowplane ${stage}: table, topic and secrets data key`,
          enableKeyRotation: true,
          removalPolicy,
        });
    this.key = props.encryptionKey ?? ownKey!;
    this.table = props.table ?? this.createTable(removalPolicy);
    const tableKey = props.table ? props.table.encryptionKey : this.key;
    const functionLogRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const dataKeys = secretsDataKeys(
      this,
      this.key,
      props.dataKeyGeneration ?? flowplaneDefaults.dataKeyGeneration,
      { retention: functionLogRetention, removalPolicy },
      props.architecture,
    );

    this.alarmTopic =
      props.alarmTopic ??
      new sns.Topic(this, 'Alarms', {
        masterKey: this.key,
        enforceSSL: true,
        displayName: `flowplane ${stage} alarms`,
      });
    for (const email of props.alarmEmails ?? [])
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(email));

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy,
    });
    this.api = this.createApi(props, accessLogs);
    this.domain = this.createDomain(props);
    const executeApiUrl = `https://${this.api.restApiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${stage}`;
    this.apiUrl = props.customDomain
      ? `https://${props.customDomain.domainName}${props.customDomain.basePath ? `/${props.customDomain.basePath}` : ''}`
      : executeApiUrl;
    if (props.webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
    }

    // Required path parameters are checked at the edge; bodies have no API Gateway model
    // (the functions validate them against the full JSON Schemas, with the contracts'
    // error shapes), so body validation here has nothing to reject.
    const validator = this.api.addRequestValidator('Requests', {
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const oidcVariables = props.auth?.oidc ? oidcEnvironment(oidcSettingsOf(props.auth.oidc)) : {};
    for (const route of routes) {
      const settings = props.routes?.[route.operationId] ?? {};
      const needs = route.permissions;
      const fn = new FlowplaneFunction(this, route.operationId, {
        ...functionDefaults,
        bundle: route.operationId,
        description: `${route.method} ${route.path}${needs.length > 0 ? ` (needs ${needs.join(', ')})` : ''}`,
        memorySize: settings.memorySize ?? props.memorySize ?? flowplaneDefaults.memorySize,
        reservedConcurrentExecutions: settings.reservedConcurrency,
        environment: {
          ...props.environment,
          ...settings.environment,
          TABLE_NAME: this.table.tableName,
          PUBLIC_BASE_URL: this.apiUrl,
          // Only a route that checks credentials reads them.
          ...(route.authenticated ? oidcVariables : {}),
          ...(route.usesSecrets
            ? {
                DATA_KEY_CIPHERTEXT: dataKeys.current,
                ...(dataKeys.previous.length > 0 ? { DATA_KEYS_PREVIOUS: dataKeys.previous.join(',') } : {}),
              }
            : {}),
        },
      });
      this.grant(fn, route, tableKey);
      this.functions.set(route.operationId, fn);
      // A version per deploy (its hash covers code and configuration) behind one alias: the previous
      // versions stay, so an alias can move back in seconds (docs/runbook.md, "Rollback").
      const alias = new lambda.Alias(fn, 'Live', { aliasName: liveAlias, version: fn.function.currentVersion });
      this.aliases.set(route.operationId, alias);

      const resource = this.api.root.resourceForPath(route.path);
      const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      // No test-invoke permission: the console's method test is a development aid, and one permission per method
      // is a resource per route in a template near CloudFormation's limits.
      const integration = new apigateway.LambdaIntegration(alias, { proxy: true, allowTestInvoke: false });
      const method = resource.addMethod(route.method, integration, {
        operationName: route.operationId,
        requestValidator: validator,
        requestParameters: Object.fromEntries(pathParameters.map((p) => [`method.request.path.${p}`, true])),
      });
      this.methods.set(route.operationId, method);
    }

    this.eventsAndAudit = new EventsAndAudit(this, 'Events', {
      ...functionDefaults,
      manifest: this.manifest,
      table: this.table,
      key: this.key,
      tableKey,
      routeFunctions: this.functions,
      routeAliases: this.aliases,
      commandRoutes: routes.filter((route) => route.acceptsCommands),
      commandConcurrency: (operationId) =>
        props.routes?.[operationId]?.commandConcurrency ??
        props.commandConcurrency ??
        onCallDefaults.commandConcurrency,
    });
    this.bus = this.eventsAndAudit.bus;

    this.alarms = new FlowplaneAlarms(this, 'OnCall', {
      stage,
      api: this.api,
      accessLogs,
      routes: routes.map((route) => ({
        operationId: route.operationId,
        method: this.methods.get(route.operationId)!,
        function: this.functions.get(route.operationId)!.function,
        latencyThreshold:
          props.routes?.[route.operationId]?.latencyAlarmThreshold ??
          onCallDefaults.routeLatencyAlarmThresholds[route.operationId] ??
          onCallDefaults.latencyAlarmThreshold,
        commandQueue: this.eventsAndAudit.commandQueues.get(route.operationId),
      })),
      consumers: new Map([...this.eventsAndAudit.consumers].map(([name, fn]) => [name, fn.function])),
      deadLetters: {
        stream: this.eventsAndAudit.streamDeadLetters,
        commandQueues: this.eventsAndAudit.commandDeadLetters,
        commandEvents: this.eventsAndAudit.commandEventDeadLetters,
      },
      table: this.table,
      tableOperations,
      metricsNamespace: this.metricsNamespace,
      serviceName: defaultEnvironment.POWERTOOLS_SERVICE_NAME,
      topic: this.alarmTopic,
      ownTopic: !props.alarmTopic,
      topicKey: ownKey,
      minimumRequests: props.alarmMinimumRequests ?? onCallDefaults.alarmMinimumRequests,
    });
    if (props.gradualDeployment) this.createDeploymentGroups(props.gradualDeployment);
    if (props.backup) this.backupPlan = this.createBackupPlan(props.backup, removalPolicy);
    this.migration = new TableMigration(this, 'Migration', {
      ...functionDefaults,
      manifest: this.manifest.migration,
      logRetention: functionLogRetention,
      table: this.table,
      tableKey,
      key: this.key,
      dataKeys,
      runAfter: [...this.functions.values(), ...this.eventsAndAudit.consumers.values()],
      environment: props.environment,
    });

    const dashboardRoutes: DashboardRoute[] = routes.map((route) => ({
      route,
      method: this.methods.get(route.operationId)!,
      function: this.functions.get(route.operationId)!.function,
    }));
    this.dashboard = new FlowplaneDashboard(this, 'Dashboard', {
      stage,
      api: this.api,
      routes: dashboardRoutes,
      metricsNamespace: this.metricsNamespace,
      serviceName: defaultEnvironment.POWERTOOLS_SERVICE_NAME,
      table: this.table,
      consumers: new Map([...this.eventsAndAudit.consumers].map(([name, fn]) => [name, fn.function])),
      deadLetterQueues: new Map([
        ['StreamDeadLetters', this.eventsAndAudit.streamDeadLetters],
        ['CommandDeadLetters', this.eventsAndAudit.commandDeadLetters],
        ['CommandEventDeadLetters', this.eventsAndAudit.commandEventDeadLetters],
      ]),
      alarms: this.alarms.alarms,
    }).dashboard;
    this.suppress(props, dataKeys.providerScopes);
    if (props.cfnOutputs ?? flowplaneDefaults.cfnOutputs) this.outputs();
    for (const [key, value] of Object.entries(props.tags ?? {})) Tags.of(this).add(key, value);
  }

  /** A route's function by its operationId (functions/routes.ts). */
  routeFunction(operationId: string): lambda.IFunction {
    const fn = this.functions.get(operationId);
    if (!fn)
      throw new Error(`Flowplane: no route "${operationId}" (routes are ${[...this.functions.keys()].join(', ')})`);
    return fn.function;
  }

  /** A route function's `live` alias by its operationId: what to invoke from outside (the current version). */
  routeAlias(operationId: string): lambda.IFunction {
    const alias = this.aliases.get(operationId);
    if (!alias)
      throw new Error(`Flowplane: no route "${operationId}" (routes are ${[...this.aliases.keys()].join(', ')})`);
    return alias;
  }

  /**
   * The opt-in outputs (`cfnOutputs`): what a deploy prints, what the runbook, `flowplane
   * api-key` and `flowplane replay` read.
   */
  private outputs(): void {
    const { streamDeadLetters, commandDeadLetters, commandEventDeadLetters } = this.eventsAndAudit;
    const outputs: Record<string, [string, string]> = {
      [stackOutputs.apiUrl]: [this.apiUrl, 'Base URL of the API (routes start with /v1; /health is public)'],
      [stackOutputs.tableName]: [this.table.tableName, 'The DynamoDB table (TABLE_NAME for flowplane api-key)'],
      [stackOutputs.busName]: [this.bus.eventBusName, 'EventBridge bus of domain events and commands'],
      [stackOutputs.alarmTopic]: [this.alarmTopic.topicArn, 'SNS topic every alarm notifies'],
      [stackOutputs.dashboard]: [this.dashboard.dashboardName, 'CloudWatch dashboard of this stage'],
      [stackOutputs.streamDeadLetters]: [
        streamDeadLetters.queueUrl,
        'Stream records given up (flowplane replay stream)',
      ],
      [stackOutputs.commandDeadLetters]: [
        commandDeadLetters.queueUrl,
        'SQS commands given up (flowplane replay command-queues)',
      ],
      [stackOutputs.commandEventDeadLetters]: [
        commandEventDeadLetters.queueUrl,
        'EventBridge commands given up (flowplane replay command-events)',
      ],
    };
    for (const [key, [value, description]] of Object.entries(outputs)) new CfnOutput(this, key, { value, description });
  }

  /**
   * A CodeDeploy deployment group per route: a new version takes traffic as `config` says,
   * and CodeDeploy moves the alias back (failing the CloudFormation update, which rolls back)
   * when one of the route's alarms goes off, or when the deployment fails or is stopped.
   * One application and one service role serve every route.
   */
  private createDeploymentGroups(config: codedeploy.ILambdaDeploymentConfig): void {
    const application = new codedeploy.LambdaApplication(this, 'Deployments');
    const role = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
      description: 'flowplane: CodeDeploy shifts the route aliases and reads their alarms',
    });
    for (const [operationId, alias] of this.aliases) {
      this.deploymentGroups.set(
        operationId,
        new codedeploy.LambdaDeploymentGroup(this, `${operationId}Deployment`, {
          application,
          alias,
          deploymentConfig: config,
          role,
          alarms: this.alarms.routeAlarms.get(operationId),
          autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
        }),
      );
    }
  }

  /** An AWS Backup plan with one rule for the table, into a vault encrypted with the construct's key. */
  private createBackupPlan(settings: BackupSettings, removalPolicy: RemovalPolicy): backup.BackupPlan {
    const vault =
      settings.vault ?? new backup.BackupVault(this, 'BackupVault', { encryptionKey: this.key, removalPolicy });
    const plan = new backup.BackupPlan(this, 'Backup', {
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: settings.schedule ?? events.Schedule.cron({ minute: '0', hour: '3' }),
          deleteAfter: settings.deleteAfter ?? onCallDefaults.backupDeleteAfter,
        }),
      ],
    });
    // The selection's role may restore too: the runbook's restore job runs with it.
    plan.addSelection('Table', {
      resources: [backup.BackupResource.fromDynamoDbTable(this.table)],
      allowRestores: true,
    });
    return plan;
  }

  private createTable(removalPolicy: RemovalPolicy): dynamodb.Table {
    const tableDefinition = this.manifest.table;
    const table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: tableDefinition.timeToLive,
    });
    // One index per deploy: CloudFormation refuses to create two in one table update (docs/data-model.md).
    for (const index of [tableDefinition.gsi1, tableDefinition.gsi2]) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    return table;
  }

  private createApi(props: FlowplaneProps, accessLogs: logs.LogGroup): apigateway.RestApi {
    const throttling = props.throttling ?? flowplaneDefaults.throttling;
    const methodOptions = Object.fromEntries(
      this.manifest.routes.flatMap((route) => {
        const override = props.routes?.[route.operationId]?.throttling;
        return override
          ? [
              [
                `${route.path}/${route.method}`,
                { throttlingRateLimit: override.rateLimit, throttlingBurstLimit: override.burstLimit },
              ],
            ]
          : [];
      }),
    );
    const api = new apigateway.RestApi(this, 'Api', {
      restApiName: `flowplane-${props.stage}`,
      description: `flowplane ${props.stage}`,
      cloudWatchRole: props.apiGatewayCloudWatchRole ?? flowplaneDefaults.apiGatewayCloudWatchRole,
      deployOptions: {
        stageName: props.stage,
        throttlingRateLimit: throttling.rateLimit,
        throttlingBurstLimit: throttling.burstLimit,
        methodOptions,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: accessLogFormat(),
        loggingLevel: apigateway.MethodLoggingLevel.INFO,
        // Data trace would log bodies and headers, i.e. API keys and secrets.
        dataTraceEnabled: false,
        // Detailed (per-method) metrics: the dashboard's per-route requests and latency.
        metricsEnabled: true,
        tracingEnabled: true,
      },
    });
    // RestApi adds an `Endpoint` output of its own; outputs are the team's choice (`cfnOutputs`, `apiUrl`).
    api.node.tryRemoveChild('Endpoint');
    return api;
  }

  /** The custom domain, its mapping to the stage and its alias records. */
  private createDomain(props: FlowplaneProps): apigateway.DomainName | undefined {
    const custom = props.customDomain;
    if (!custom) return undefined;
    const domain = new apigateway.DomainName(this, 'Domain', {
      domainName: custom.domainName,
      certificate: custom.certificate,
      endpointType: apigateway.EndpointType.REGIONAL,
      securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
    });
    domain.addBasePathMapping(this.api, {
      stage: this.api.deploymentStage,
      ...(custom.basePath ? { basePath: custom.basePath } : {}),
    });
    const target = route53.RecordTarget.fromAlias(new route53Targets.ApiGatewayDomain(domain));
    new route53.ARecord(this, 'DomainA', { zone: custom.hostedZone, recordName: custom.domainName, target });
    new route53.AaaaRecord(this, 'DomainAaaa', { zone: custom.hostedZone, recordName: custom.domainName, target });
    return domain;
  }

  /** Exactly the route's DynamoDB actions on the table (and its index only for Query). */
  private grant(fn: FlowplaneFunction, route: RouteManifest, tableKey: kms.IKey | undefined): void {
    if (route.tableActions.length === 0) return;
    const queries = route.tableActions.includes('dynamodb:Query');
    fn.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [...route.tableActions],
        resources: [
          this.table.tableArn,
          ...(queries
            ? [this.manifest.table.gsi1, this.manifest.table.gsi2].map(
                (index) => `${this.table.tableArn}/index/${index.name}`,
              )
            : []),
        ],
      }),
    );
    if (tableKey)
      fn.role.addToPolicy(new iam.PolicyStatement({ actions: tableKeyActions(route), resources: [tableKey.keyArn] }));
  }

  /** Every cdk-nag suppression, each with its reason. */
  private suppress(props: FlowplaneProps, dataKeyProvider: Construct[]): void {
    NagSuppressions.addResourceSuppressions(
      this.api,
      [
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'Authorization is per-organization API keys (hashed in DynamoDB, constant-time compare, 60 s cache) or OIDC bearer tokens (aws-jwt-verify), with per-route permissions, checked in every function; docs/infra.md says why an API Gateway authorizer is not used.',
        },
        {
          id: 'AwsSolutions-COG4',
          reason:
            'Callers are machine clients with per-organization API keys or tokens of the stage OIDC issuer (Cognito or another), verified in the functions.',
        },
        ...(props.webAclArn
          ? []
          : [
              {
                id: 'AwsSolutions-APIG3',
                reason:
                  "No web ACL was given (webAclArn): WAF is the deploying team's account-level choice; stage throttling limits load.",
              },
            ]),
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'API Gateway account CloudWatch role uses the AWS managed AmazonAPIGatewayPushToCloudWatchLogs policy, the documented way to enable execution logs.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
        },
      ],
      true,
    );
    for (const fn of this.functions.values()) {
      NagSuppressions.addResourceSuppressions(
        fn.role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'Log streams are created at run time under the function\'s own log group; X-Ray segment APIs only accept "*".',
            appliesTo: [{ regex: '/^Resource::<.*Logs.*\\.Arn>:log-stream:\\*$/g' }, 'Resource::*'],
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
    const deploymentRole = this.node.tryFindChild('DeploymentRole');
    if (deploymentRole) {
      NagSuppressions.addResourceSuppressions(deploymentRole, [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'AWSCodeDeployRoleForLambdaLimited is the policy CodeDeploy documents for Lambda deployments: update and read aliases, read the alarms, invoke CodeDeployHook_ functions only.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited'],
        },
      ]);
    }
    if (this.backupPlan) {
      NagSuppressions.addResourceSuppressions(
        this.backupPlan,
        [
          {
            id: 'AwsSolutions-IAM4',
            reason:
              'AWS Backup assumes this role with the service role policies it documents for backing up and restoring a DynamoDB table.',
            appliesTo: [
              'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
              'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
            ],
          },
        ],
        true,
      );
    }
    for (const scope of dataKeyProvider) {
      NagSuppressions.addResourceSuppressions(
        scope,
        [
          {
            id: 'AwsSolutions-IAM4',
            reason:
              'The CDK custom-resource provider framework and its one-shot key generator use AWSLambdaBasicExecutionRole; they run only at deploy time.',
          },
          {
            id: 'AwsSolutions-IAM5',
            reason: 'The provider framework may invoke its own handler versions (":*"), as the CDK generates it.',
          },
          {
            id: 'AwsSolutions-L1',
            reason:
              'The provider framework pins its own runtime; the key generator uses Node.js 22 like every function.',
          },
        ],
        true,
      );
    }
  }
}
