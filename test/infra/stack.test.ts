/**
 * What the default app deploys, proven offline: one function per route with exactly its
 * DynamoDB actions, the table's protections, alarms, the dashboard (every metric it plots
 * exists), the outputs, cdk-nag clean with a reason for every suppression, and bundles
 * within their size budget without source maps. One synthesis is shared by every test; it
 * bundles nothing (the functions deploy the prebuilt bundles of dist/functions, which the
 * assembly copies as they are).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { neededPermissions } from '../../functions/auth/permissions.js';
import { currentFormats } from '../../functions/domain/formats.js';
import { migrationFunction } from '../../functions/migrations/function.js';
import { routeList } from '../../functions/routes.js';
import { auditLeadingKeyPattern } from '../../functions/store/keys.js';
import { streamConsumerList } from '../../functions/streams/consumer-table.js';
import { buildApp } from '../../infra/app.js';
import { functionsManifest } from '../../infra/assets.js';
import { identityStatements } from '../support/template.js';
import type { FlowplaneStack } from '../../infra/stack.js';
import { dashboardWidgets, drawDashboard, type TokenValue } from '../../scripts/draw-dashboard.js';
import { invoke, restEvent } from '../support/api.js';
import { esmBuiltinImports } from '../support/bundles.js';
import { structuredLogFile } from '../support/log-capture.js';

let stack: FlowplaneStack;
let template: Template;
let outdir: string;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'flowplane-cdk-'));
  const built = buildApp(new App({ outdir, context: { stage: 'test' } }));
  stack = built.stack;
  built.app.synth();
  template = Template.fromStack(stack);
}, 180_000);

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any> };
const resources = () => template.toJSON().Resources as Record<string, Resource>;

/** The logical id of each route's function, found through the construct. */
function logicalId(operationId: string): string {
  return stack.getLogicalId(stack.flowplane.functions.get(operationId)!.function.node.defaultChild as never);
}

/** The logical id of each route's `live` alias. */
function aliasId(operationId: string): string {
  return stack.getLogicalId(stack.flowplane.aliases.get(operationId)!.node.defaultChild as never);
}

function actionsOf(operationId: string): string[] {
  const role = stack.getLogicalId(stack.flowplane.functions.get(operationId)!.role.node.defaultChild as never);
  return identityStatements(resources(), role).flatMap((s) => [s.Action].flat());
}

test("one Node.js 22 arm64 ESM function per route, wired to its method through the function's live alias, saying the permission it needs", () => {
  for (const route of routeList) {
    const fn = resources()[logicalId(route.operationId)];
    const needs = neededPermissions(route);
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Description: `${route.method} ${route.path}${route.authenticated ? ` (needs ${needs.join(', ')})` : ''}`,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: expect.objectContaining({
          TABLE_NAME: expect.anything(),
          POWERTOOLS_SERVICE_NAME: 'flowplane',
          // Per stage by default (several stages share an account and region).
          POWERTOOLS_METRICS_NAMESPACE: 'flowplane/test',
        }),
      },
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: route.method,
      OperationName: route.operationId,
      Integration: Match.objectLike({
        Type: 'AWS_PROXY',
        Uri: { 'Fn::Join': ['', Match.arrayWith([{ Ref: aliasId(route.operationId) }])] },
      }),
    });
  }
  const routeFunctions = Object.values(resources()).filter(
    (r) => r.Type === 'AWS::Lambda::Function' && / \//.test(r.Properties.Description ?? ''),
  );
  expect(routeFunctions).toHaveLength(routeList.length);
});

test('only the routes that seal or open secrets receive the wrapped data key; none may reach private targets', () => {
  for (const route of routeList) {
    const variables = resources()[logicalId(route.operationId)].Properties.Environment.Variables as Record<
      string,
      unknown
    >;
    expect([route.operationId, 'DATA_KEY_CIPHERTEXT' in variables]).toEqual([
      route.operationId,
      route.usesSecrets === true,
    ]);
    expect(variables.ALLOW_PRIVATE_TARGETS).toBeUndefined();
    // Generation 1 of the data key is the only one: nothing older to open.
    expect(variables.DATA_KEYS_PREVIOUS).toBeUndefined();
    if (route.usesSecrets)
      expect(variables.DATA_KEY_CIPHERTEXT).toEqual({ 'Fn::GetAtt': ['SecretsDataKey', 'Ciphertext'] });
  }
  expect(
    routeList
      .filter((route) => route.usesSecrets)
      .map((route) => route.operationId)
      .sort(),
  ).toEqual([
    'addWorkflowNode',
    'createExecutorConfiguration',
    'createWorkflow',
    'deployWorkflow',
    'removeWorkflowNode',
    'testExecutorConfiguration',
    'updateExecutorConfiguration',
    'updateWorkflow',
  ]);
  for (const resource of Object.values(resources()).filter((r) => r.Type === 'AWS::Lambda::Function')) {
    expect(resource.Properties.Environment?.Variables?.ALLOW_PRIVATE_TARGETS).toBeUndefined();
  }
});

test("each function is granted exactly its route's DynamoDB actions, no wildcard action", () => {
  for (const route of routeList) {
    const actions = actionsOf(route.operationId);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([...route.tableActions].sort());
    expect(actions.some((a) => a.includes('*'))).toBe(false);
    if (route.method === 'GET') {
      expect(actions.filter((a) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
      expect(actions).not.toContain('kms:Encrypt');
    }
  }
});

test('a route that queries reaches the table and both of its indexes; one that does not, neither index', () => {
  for (const route of routeList.filter((r) => r.tableActions.length > 0)) {
    // Act
    const role = stack.getLogicalId(stack.flowplane.functions.get(route.operationId)!.role.node.defaultChild as never);
    const resourcesOfDynamo = identityStatements(resources(), role)
      .filter((statement: { Action: string | string[] }) =>
        [statement.Action].flat().some((action) => action.startsWith('dynamodb:')),
      )
      .flatMap((statement: { Resource: unknown }) => [statement.Resource].flat());
    const indexes = JSON.stringify(resourcesOfDynamo).match(/\/index\/gsi\d/g) ?? [];
    // Assess
    const queries = route.tableActions.includes('dynamodb:Query');
    expect([route.operationId, indexes.sort()]).toEqual([
      route.operationId,
      queries ? ['/index/gsi1', '/index/gsi2'] : [],
    ]);
  }
});

test('the table is on demand, recoverable, protected, CMK-encrypted, streamed, with gsi1 and gsi2 (every attribute projected)', () => {
  template.hasResource('AWS::DynamoDB::Table', {
    DeletionPolicy: 'Retain',
    Properties: Match.objectLike({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'gsi1', Projection: { ProjectionType: 'ALL' } }),
        Match.objectLike({
          IndexName: 'gsi2',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ],
    }),
  });
  template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
});

test('the API stage throttles, logs access and execution, never data traces', () => {
  template.hasResourceProperties('AWS::ApiGateway::Stage', {
    StageName: 'test',
    AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
    MethodSettings: [
      Match.objectLike({
        LoggingLevel: 'INFO',
        DataTraceEnabled: false,
        ThrottlingRateLimit: 100,
        ThrottlingBurstLimit: 200,
      }),
    ],
  });
  template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestParameters: true });
});

test("alarms on the API's 5xx rate, 504s and 503s, table throttles, each route's 5xx rate, p99 latency, errors and command age, the consumers and the dead-letter queues, to SNS", () => {
  const alarms = Object.values(resources()).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  // The API: 5xx rate, 504s, 503s, table throttles; each route: 5xx rate, p99 latency, errors (and throttles); each
  // command queue: its age; each stream consumer: errors and iterator age; the three dead-letter queues.
  // test/infra/on-call.test.ts looks at each of them.
  const commandRoutes = routeList.filter((route) => route.acceptsCommands);
  expect(alarms.length).toBe(4 + 3 * routeList.length + commandRoutes.length + 2 * streamConsumerList.length + 3);
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: 'flowplane-test-responses-503',
    Metrics: [
      Match.objectLike({
        Expression: `SELECT SUM(Responses503) FROM SCHEMA("flowplane/test", operation, service) WHERE service = 'flowplane'`,
        Period: 60,
      }),
    ],
    Threshold: 1,
  });
  for (const alarm of alarms) {
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Alarms/) }]);
    expect(alarm.Properties.OKActions).toEqual([{ Ref: expect.stringMatching(/^Alarms/) }]);
  }
  template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
});

test('no physical names are hard-coded (two stages deploy side by side)', () => {
  for (const r of Object.values(resources())) {
    for (const name of ['TableName', 'FunctionName', 'TopicName', 'LogGroupName', 'RoleName']) {
      // References (Ref / GetAtt) are fine; a literal string would collide across stages.
      expect(typeof r.Properties?.[name]).not.toBe('string');
    }
  }
});

test('cdk-nag AwsSolutions: no unsuppressed error or warning, every suppression has a reason', () => {
  expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  const suppressions = Object.values(resources()).flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
  expect(suppressions.length).toBeGreaterThan(0);
  for (const s of suppressions) expect(s.reason.length).toBeGreaterThan(30);
});

/**
 * KiB per route bundle (docs/performance.md, "Bundle budgets"): 300, plus 30 where the
 * function runs Powertools Idempotency (the idempotent routes and every route that takes
 * commands: 25 KiB measured) and 110 for the three that validate workflow bodies or a node of
 * one (Ajv standalone code, 100 KiB measured; addWorkflowNode's `advanced` is a whole node), and
 * 10 for the two PATCH routes' read-only claims (read-only fields sent back, checked against what
 * is stored: 4.8 KiB measured), 10 for a node removal's graph rules and node edit (the only
 * route running them without a workflow body's allowance), 5 for the sealing of what a
 * release before 0.2.0 left in clear on `PUT` and the node routes (issue 20: 3.6 KiB measured),
 * and 25 for bearer tokens (aws-jwt-verify and the credential and permission checks the one chain
 * carries: 20.9 KiB measured).
 */
function budgetKiB(route: (typeof routeList)[number]): number {
  const idempotency = route.idempotent || route.acceptsCommands ? 30 : 0;
  const workflowBodies = ['createWorkflow', 'updateWorkflow', 'addWorkflowNode'].includes(route.operationId) ? 110 : 0;
  const readOnlyClaims =
    route.operationId === 'updateExecutorConfiguration' || route.operationId === 'updateWorkflow' ? 10 : 0;
  const graphRules = route.operationId === 'removeWorkflowNode' ? 10 : 0;
  const earlierSecrets = ['deployWorkflow', 'addWorkflowNode', 'removeWorkflowNode'].includes(route.operationId)
    ? 5
    : 0;
  const bearerTokens = 25;
  return 300 + idempotency + workflowBodies + readOnlyClaims + graphRules + earlierSecrets + bearerTokens;
}

test('every function bundle exists in the assembly, is within its budget, and ships no source map (sourceMaps defaults to false)', () => {
  for (const route of routeList) {
    const key = resources()[logicalId(route.operationId)].Properties.Code.S3Key as string;
    const asset = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
    const size = statSync(join(asset, 'index.mjs')).size;
    expect([route.operationId, size < budgetKiB(route) * 1024]).toEqual([route.operationId, true]);
    expect(readdirSync(asset)).toEqual(['index.mjs']);
    expect(readFileSync(join(asset, 'index.mjs'), 'utf8')).not.toContain('sourceMappingURL');
    expect(resources()[logicalId(route.operationId)].Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
  }
});

test('every stream consumer bundle exists in the assembly and is under 300 KiB', () => {
  for (const consumer of streamConsumerList) {
    const key = resources()[consumerId(consumer.name)].Properties.Code.S3Key as string;
    const size = statSync(join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs')).size;
    expect(size).toBeLessThan(300 * 1024);
  }
});

test("every deployed bundle went through infra/bundling.ts's built-ins plugin: no ESM import of a built-in but node:module", () => {
  const assets = [
    ...routeList.map((route) => resources()[logicalId(route.operationId)]),
    ...streamConsumerList.map((consumer) => resources()[consumerId(consumer.name)]),
  ].map((fn) => join(outdir, `asset.${(fn.Properties.Code.S3Key as string).replace(/\.zip$/, '')}`, 'index.mjs'));
  expect(assets.map(esmBuiltinImports)).toEqual(assets.map(() => ['node:module']));
});

test('every function deploys the bytes the repository built and tested (dist/functions, as its manifest lists them)', () => {
  const manifest = functionsManifest();
  const built = join(fileURLToPath(new URL('../../dist', import.meta.url)));
  const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  for (const [name, id] of [
    ...routeList.map((route) => [route.operationId, logicalId(route.operationId)]),
    ...streamConsumerList.map((consumer) => [consumer.name, consumerId(consumer.name)]),
    [migrationFunction.name, idOf(stack.flowplane.migration.function.function)],
  ]) {
    const asset = join(outdir, `asset.${(resources()[id].Properties.Code.S3Key as string).replace(/\.zip$/, '')}`);
    expect([name, readdirSync(asset)]).toEqual([name, ['index.mjs']]);
    expect([name, sha256(join(asset, 'index.mjs'))]).toEqual([name, manifest.files[`functions/${name}/index.mjs`]]);
    expect([name, sha256(join(built, 'functions', name, 'index.mjs'))]).toEqual([
      name,
      sha256(join(asset, 'index.mjs')),
    ]);
  }
});

test('every asset of the package is plain JavaScript (or its source map): no native addon, no binary, so arm64 (the default) runs it', () => {
  const built = fileURLToPath(new URL('../../dist', import.meta.url));
  const files = Object.keys(functionsManifest().files);
  // Each route's, stream consumer's and the migration's bundle, and its source-mapped variant with the map.
  expect(files.length).toBe(3 * (routeList.length + streamConsumerList.length + 1));
  const native = files.filter((path) => {
    const bytes = readFileSync(join(built, path));
    const text = bytes.toString('utf8');
    return (
      !/\.(mjs|mjs\.map)$/.test(path) ||
      bytes.includes(0) ||
      // ELF, Mach-O (both byte orders and fat binaries) and PE magic numbers.
      [
        [0x7f, 0x45, 0x4c, 0x46],
        [0xcf, 0xfa, 0xed, 0xfe],
        [0xfe, 0xed, 0xfa, 0xcf],
        [0xca, 0xfe, 0xba, 0xbe],
        [0x4d, 0x5a],
      ].some((magic) => magic.every((byte, i) => bytes[i] === byte)) ||
      /process\.dlopen|require\(\s*["'][^"']+\.node["']\s*\)|node-gyp-build|prebuild-install/.test(text)
    );
  });
  expect(native).toEqual([]);
});

/** The logical id of any construct's CloudFormation resource. */
const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);
const consumerId = (name: string) => idOf(stack.flowplane.eventsAndAudit.consumers.get(name)!.function);
const roleId = (fn: { role: { node: { defaultChild?: unknown } } }) => idOf(fn.role);
const ofType = (type: string) => Object.entries(resources()).filter(([, r]) => r.Type === type);
/** How an event source mapping names a route's alias: `<function name>:live`. */
const aliasArnOf = (operationId: string) => ({
  'Fn::Join': ['', [{ 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: aliasId(operationId) }] }] }, ':live']],
});
const invokes = (functionName: unknown, operationId: string) =>
  JSON.stringify(functionName) === JSON.stringify(aliasArnOf(operationId)) ||
  JSON.stringify(functionName) === JSON.stringify({ Ref: logicalId(operationId) });

test("each command route has its own KMS-encrypted, TLS-only queue with the SQS commands' dead-letter queue, feeding its function's live alias with partial batch responses and a maximum concurrency", () => {
  const commandRoutes = routeList.filter((route) => route.acceptsCommands);
  expect(commandRoutes.length).toBeGreaterThan(0);
  const deadLetters = idOf(stack.flowplane.eventsAndAudit.commandDeadLetters);
  const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);
  for (const route of commandRoutes) {
    const queue = idOf(stack.flowplane.eventsAndAudit.commandQueues.get(route.operationId)!);
    expect(resources()[queue].Properties).toMatchObject({
      KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] }, maxReceiveCount: 5 },
      VisibilityTimeout: 174,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    expect(mappings.filter((m) => invokes(m.FunctionName, route.operationId))).toEqual([
      {
        BatchSize: 10,
        EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
        FunctionName: aliasArnOf(route.operationId),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 10 },
      },
    ]);
  }
  for (const route of routeList.filter((r) => !r.acceptsCommands)) {
    expect(mappings.filter((m) => invokes(m.FunctionName, route.operationId))).toEqual([]);
  }
  expect(resources()[deadLetters].Properties).toMatchObject({
    KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
    MessageRetentionPeriod: 14 * 24 * 3600,
  });
});

test("an EventBridge rule on the bus per command route routes flowplane.command.<operationId> to that function's live alias only, dead letters to the EventBridge commands' queue", () => {
  const bus = idOf(stack.flowplane.eventsAndAudit.bus);
  const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
  const commandRoutes = routeList.filter((route) => route.acceptsCommands);
  expect(rules).toHaveLength(commandRoutes.length);
  for (const route of commandRoutes) {
    expect(
      rules.filter((rule) => rule.EventPattern['detail-type'][0] === `flowplane.command.${route.operationId}`),
    ).toEqual([
      expect.objectContaining({
        EventBusName: { Ref: bus },
        EventPattern: { 'detail-type': [`flowplane.command.${route.operationId}`] },
        State: 'ENABLED',
        Targets: [
          expect.objectContaining({
            Arn: { Ref: aliasId(route.operationId) },
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': [idOf(stack.flowplane.eventsAndAudit.commandEventDeadLetters), 'Arn'] },
            },
            RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 4 },
          }),
        ],
      }),
    ]);
  }
});

test("only API Gateway (its own method) and EventBridge (its own rule) may invoke a route function's live alias; nothing invokes the function unqualified", () => {
  const permissions = ofType('AWS::Lambda::Permission').map(([, r]) => r.Properties);
  for (const route of routeList) {
    expect(permissions.filter((p) => p.FunctionName['Fn::GetAtt']?.[0] === logicalId(route.operationId))).toEqual([]);
    const own = permissions.filter((p) => p.FunctionName.Ref === aliasId(route.operationId));
    expect(own.length).toBeGreaterThan(0);
    for (const permission of own) {
      expect(permission.Action).toBe('lambda:InvokeFunction');
      expect(['apigateway.amazonaws.com', 'events.amazonaws.com']).toContain(permission.Principal);
      expect(permission.SourceArn).toBeDefined();
    }
    const fromEvents = own.filter((p) => p.Principal === 'events.amazonaws.com');
    const rule = stack.flowplane.eventsAndAudit.commandRules.get(route.operationId);
    expect(fromEvents.map((p) => p.SourceArn)).toEqual(rule ? [{ 'Fn::GetAtt': [idOf(rule), 'Arn'] }] : []);
  }
  // Nothing else on the stack grants invoke to anyone, and no permission lacks a source.
  for (const permission of permissions) expect(permission.Principal).not.toBe('*');
});

test('the stream consumers read the table stream from the start: bisect on error, retries, reported failures, a dead-letter queue, resource items only', () => {
  const deadLetters = idOf(stack.flowplane.eventsAndAudit.streamDeadLetters);
  const entities = ['executor', 'workflow', 'workflowVersion'];
  for (const consumer of streamConsumerList) {
    const mappings = ofType('AWS::Lambda::EventSourceMapping')
      .map(([, r]) => r.Properties)
      .filter((m) => m.FunctionName.Ref === consumerId(consumer.name));
    expect(mappings).toEqual([
      {
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLetters, 'Arn'] } } },
        EventSourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'StreamArn'] },
        FilterCriteria: {
          Filters: [
            { Pattern: JSON.stringify({ dynamodb: { NewImage: { entity: { S: entities } } } }) },
            { Pattern: JSON.stringify({ dynamodb: { OldImage: { entity: { S: entities } } } }) },
          ],
        },
        FunctionName: { Ref: consumerId(consumer.name) },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 10,
        StartingPosition: 'TRIM_HORIZON',
      },
    ]);
    expect(resources()[consumerId(consumer.name)].Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Description: consumer.description,
    });
  }
  expect(resources()[consumerId('publishDomainEvents')].Properties.Environment.Variables.EVENT_BUS_NAME).toEqual({
    Ref: idOf(stack.flowplane.eventsAndAudit.bus),
  });
  expect(resources()[deadLetters].Properties).toMatchObject({
    KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
  });
});

/** Every statement of the inline policies on a role. */
function statementsOf(
  role: string,
): { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  return identityStatements(resources(), role);
}

test('the audit writer may write audit partitions only; the publisher may only read tombstones and put events on its bus', () => {
  const writer = statementsOf(roleId(stack.flowplane.eventsAndAudit.consumers.get('writeAuditLog')!));
  const writes = writer.filter((s) =>
    [s.Action].flat().some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)),
  );
  expect(writes).toEqual([
    {
      Effect: 'Allow',
      Action: 'dynamodb:PutItem',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] },
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [auditLeadingKeyPattern] } },
    },
  ]);
  const publisher = statementsOf(roleId(stack.flowplane.eventsAndAudit.consumers.get('publishDomainEvents')!));
  const publisherActions = publisher.flatMap((s) => [s.Action].flat());
  expect(publisherActions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite|Query)/.test(a))).toEqual([]);
  expect(publisher).toContainEqual({
    Effect: 'Allow',
    Action: 'events:PutEvents',
    Resource: { 'Fn::GetAtt': [idOf(stack.flowplane.eventsAndAudit.bus), 'Arn'] },
  });
});

test('every API function (and the publisher) is explicitly denied writes to audit items; the audit writer is not', () => {
  const [[, policy]] = ofType('AWS::IAM::ManagedPolicy').filter(
    ([id]) => id === idOf(stack.flowplane.eventsAndAudit.auditWritesDeny),
  );
  expect(policy.Properties.PolicyDocument.Statement).toEqual([
    {
      Effect: 'Deny',
      Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] },
      Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['ORG#*#AUDIT#*'] } },
    },
  ]);
  const denied = policy.Properties.Roles.map((ref: { Ref: string }) => ref.Ref).sort();
  const expected = [
    ...routeList.map((route) => roleId(stack.flowplane.functions.get(route.operationId)!)),
    roleId(stack.flowplane.eventsAndAudit.consumers.get('publishDomainEvents')!),
  ].sort();
  expect(denied).toEqual(expected);
  expect(denied).not.toContain(roleId(stack.flowplane.eventsAndAudit.consumers.get('writeAuditLog')!));
});

test('stateful resources keep the logical ids they had before the construct existed: an upgrade replaces no table, key, data key, log group or queue', () => {
  // Ids of the stack as it was (commit 65b1521), when it held these resources itself.
  for (const [id, type] of [
    ['Key961B73FD', 'AWS::KMS::Key'],
    ['TableCD117FA1', 'AWS::DynamoDB::Table'],
    ['SecretsDataKey', 'AWS::CloudFormation::CustomResource'],
    ['Alarms04B5A0BF', 'AWS::SNS::Topic'],
    ['ApiF70053CD', 'AWS::ApiGateway::RestApi'],
    ['EventsBus45DE4339', 'AWS::Events::EventBus'],
    ['EventsCommandDeadLetters4BD4E638', 'AWS::SQS::Queue'],
    ['EventsStreamDeadLetters145AF669', 'AWS::SQS::Queue'],
    ['createWorkflowLogs68F2DC65', 'AWS::Logs::LogGroup'],
  ]) {
    expect([id, resources()[id]?.Type]).toEqual([id, type]);
  }
  // Every log group and queue of the stack as it was before versions, aliases and the new alarms (commit f0b665f):
  // a physical name on one, or a new logical id, would replace it (and lose its logs or messages).
  for (const id of [
    'ApiAccessLogsE9DF007D',
    'healthLogsE48FA139',
    'createExecutorConfigurationLogs18C18E63',
    'getExecutorConfigurationLogs5D5A8F2D',
    'updateExecutorConfigurationLogs79E49F29',
    'listExecutorConfigurationsLogsE90C632D',
    'deleteExecutorConfigurationLogs02A075EB',
    'testExecutorConfigurationLogsBF192C8D',
    'activateExecutorConfigurationLogsF304620A',
    'disableExecutorConfigurationLogs024CF9CB',
    'enableExecutorConfigurationLogs4D6C2273',
    'listAuditEventsLogs6EE7DA72',
    'verifyAuditEventLogsFA787B70',
    'createWorkflowLogs68F2DC65',
    'listWorkflowsLogsAE9FA689',
    'getWorkflowLogsD4B64368',
    'listWorkflowVersionsLogs1F2EC04C',
    'updateWorkflowLogs462FA490',
    'deployWorkflowLogs71845B15',
    'deleteWorkflowLogs6243A1C2',
    'listAgentsLogs74203A43',
    'getAgentLogsF5F0B024',
    'EventsCommandDeadLetters4BD4E638',
    'EventsupdateExecutorConfigurationCommandsA0331FC7',
    'EventsdeleteExecutorConfigurationCommands8DF34134',
    'EventstestExecutorConfigurationCommandsB3ECE20D',
    'EventsactivateExecutorConfigurationCommands588F5D3F',
    'EventsdisableExecutorConfigurationCommands18880554',
    'EventsenableExecutorConfigurationCommands39FF7B17',
    'EventsupdateWorkflowCommandsF6C43C4B',
    'EventsdeployWorkflowCommands6761FF3F',
    'EventsdeleteWorkflowCommandsF230FCA9',
    'EventsStreamDeadLetters145AF669',
    'EventspublishDomainEventsLogs56501217',
    'EventswriteAuditLogLogs93F473A1',
  ]) {
    expect([id, resources()[id]?.Type]).toEqual([id, expect.stringMatching(/^AWS::(Logs::LogGroup|SQS::Queue)$/)]);
    expect([id, resources()[id].Properties.LogGroupName ?? resources()[id].Properties.QueueName]).toEqual([
      id,
      undefined,
    ]);
  }
  expect(resources().SecretsDataKey.Properties).toEqual({
    ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^DataKeyProviderFramework/), 'Arn'] },
    KeyId: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] },
    Generation: '1',
  });
});

test("the migration: one custom resource, run after every route function and stream consumer, updated by a new release or new formats; its role holds the table's item actions and nothing of an index", () => {
  // Prepare
  const { version } = JSON.parse(
    readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
  ) as { version: string };
  const idOf = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);
  const runs = Object.entries(resources()).filter(([, r]) => r.Type === 'Custom::FlowplaneMigration');
  const [[runId, run]] = runs;
  const dependsOn = (resources()[runId] as Resource & { DependsOn?: string[] }).DependsOn ?? [];
  const functions = [...stack.flowplane.functions.values(), ...stack.flowplane.eventsAndAudit.consumers.values()];
  const role = idOf(stack.flowplane.migration.function.role);
  // Act
  const statements = identityStatements(resources(), role);
  // Assess
  expect(runs).toHaveLength(1);
  expect(run.Properties).toEqual({
    ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^MigrationProviderframeworkonEvent/), 'Arn'] },
    Release: version,
    Formats: JSON.stringify(currentFormats),
  });
  for (const fn of functions) expect(dependsOn).toContain(idOf(fn.function));
  const tableStatements = statements.filter((s) => [s.Action].flat().some((action) => action.startsWith('dynamodb:')));
  expect(tableStatements.flatMap((s) => [s.Action].flat()).sort()).toEqual(
    [
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Scan',
      'dynamodb:UpdateItem',
    ].sort(),
  );
  expect(tableStatements.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': ['TableCD117FA1', 'Arn'] }]);
  // Its log groups keep their ids from this release on, like every other.
  for (const id of ['MigrationmigrateTableLogs1AFC9655', 'MigrationProviderLogsBD73A776'])
    expect([id, resources()[id]?.Type, resources()[id]?.Properties.LogGroupName]).toEqual([
      id,
      'AWS::Logs::LogGroup',
      undefined,
    ]);
});

test('outputs: API URL, table name, bus name, alarm topic and dashboard', () => {
  const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
  expect(outputs.ApiUrl.Value).toEqual({
    'Fn::Join': [
      '',
      [
        'https://',
        { Ref: 'ApiF70053CD' },
        '.execute-api.',
        { Ref: 'AWS::Region' },
        '.',
        { Ref: 'AWS::URLSuffix' },
        '/test',
      ],
    ],
  });
  expect(outputs.TableName.Value).toEqual({ Ref: 'TableCD117FA1' });
  expect(outputs.BusName.Value).toEqual({ Ref: 'EventsBus45DE4339' });
  expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: 'Alarms04B5A0BF' });
  expect(outputs.DashboardName.Value).toEqual({ Ref: expect.stringMatching(/^Dashboard/) });
});

/** The metric names and dimension names the functions emit, read from their own EMF log lines. */
async function emittedMetrics(): Promise<Map<string, string[]>> {
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  const { handler: health } = await import('../../functions/health/get.js');
  const { handler: getWorkflow } = await import('../../functions/workflows/get.js');
  expect((await invoke(health, restEvent({ method: 'GET', path: '/health' }))).status).toBe(200);
  expect(
    (
      await invoke(
        getWorkflow,
        restEvent({ method: 'GET', path: '/v1/workflows/x', pathParameters: { workflow_id: 'x' } }),
      )
    ).status,
  ).toBe(401);
  const emitted = new Map<string, string[]>();
  for (const line of readFileSync(structuredLogFile(), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{"_aws":'))) {
    const { CloudWatchMetrics } = JSON.parse(line)._aws;
    for (const { Metrics, Dimensions } of CloudWatchMetrics) {
      for (const { Name } of Metrics) emitted.set(Name, [...Dimensions[0]].sort());
    }
  }
  return emitted;
}

const isToken = (value: unknown): value is TokenValue =>
  typeof value === 'object' && value !== null && 'token' in value;
/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` token points at. */
const target = (value: unknown) => {
  const token = isToken(value) ? (value.token as { Ref?: string; 'Fn::GetAtt'?: [string, string] }) : {};
  return token.Ref ?? token['Fn::GetAtt']?.[0];
};

/** Each API method's `METHOD /path`, rebuilt from the template's resources. */
function apiMethods(): Set<string> {
  const pathOf = (id: string): string => {
    const resource = resources()[id];
    if (!resource || resource.Type !== 'AWS::ApiGateway::Resource') return '';
    return `${pathOf(resource.Properties.ParentId.Ref)}/${resource.Properties.PathPart}`;
  };
  return new Set(
    ofType('AWS::ApiGateway::Method').map(
      ([, m]) => `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId.Ref) || '/'}`,
    ),
  );
}

test('the dashboard: per route requests, 4xx/5xx/503, p50/p99 and cold starts; table, stream and dead-letter widgets; every metric exists in the template', async () => {
  // Prepare
  const widgets = dashboardWidgets(template.toJSON() as never);
  const emitted = await emittedMetrics();
  // The response classes come from one template (functions/observability/metrics.ts: `Responses${class}xx`); 503 is the
  // DynamoDB-unavailable count announced with Idempotency (docs/infra.md): same namespace and dimensions.
  for (const name of ['Responses5xx', 'Responses503']) emitted.set(name, emitted.get('Responses2xx')!);
  const methods = apiMethods();
  const [[, api]] = ofType('AWS::ApiGateway::RestApi');
  const [[stageId]] = ofType('AWS::ApiGateway::Stage');
  const functionOf = new Map(routeList.map((route) => [route.operationId, logicalId(route.operationId)]));
  const metrics = widgets
    .filter((w) => w.type === 'metric')
    .flatMap((w) => (w.properties.metrics ?? []).map((m) => ({ widget: w.properties.title, m })));
  // Act: check every plotted metric against what the template and the functions really have
  const missing = metrics.filter(({ m }) => {
    const [namespace, name, ...rest] = m as [string, string, ...unknown[]];
    const pairs = rest.filter((x) => typeof x === 'string' || isToken(x));
    const dims = Object.fromEntries(
      Array.from({ length: pairs.length / 2 }, (_, i) => [pairs[2 * i] as string, pairs[2 * i + 1]]),
    );
    const typeOf = (value: unknown) => resources()[target(value) ?? '']?.Type;
    switch (namespace) {
      case 'AWS/ApiGateway':
        return !(
          dims.ApiName === api.Properties.Name &&
          target(dims.Stage) === stageId &&
          ['Count', '4XXError', '5XXError', 'Latency'].includes(name) &&
          (dims.Method === undefined || methods.has(`${dims.Method} ${dims.Resource}`))
        );
      case 'AWS/Lambda':
        return !(typeOf(dims.FunctionName) === 'AWS::Lambda::Function' && ['Errors', 'IteratorAge'].includes(name));
      case 'AWS/DynamoDB':
        return !(
          typeOf(dims.TableName) === 'AWS::DynamoDB::Table' &&
          ['ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits', 'ThrottledRequests'].includes(name)
        );
      case 'AWS/SQS':
        return !(typeOf(dims.QueueName) === 'AWS::SQS::Queue' && name === 'ApproximateNumberOfMessagesVisible');
      case 'flowplane/test':
        return !(
          JSON.stringify(Object.keys(dims).sort()) === JSON.stringify(emitted.get(name)) &&
          dims.service === 'flowplane' &&
          functionOf.has(dims.operation as string) &&
          (dims.function_name === undefined || target(dims.function_name) === functionOf.get(dims.operation as string))
        );
      default:
        return true;
    }
  });
  // Assess
  expect(missing).toEqual([]);
  expect(emitted.get('ColdStart')).toEqual(['function_name', 'operation', 'service']);
  for (const route of routeList) {
    const row = widgets.filter((w) => w.properties.title?.startsWith(`${route.method} ${route.path} · `));
    const plotted = (suffix: string) =>
      row
        .find((w) => w.properties.title!.endsWith(suffix))
        ?.properties.metrics?.map((m) => `${m[0]}:${m[1]}:${(m.at(-1) as { stat?: string }).stat}`);
    expect(plotted('requests')).toEqual(['AWS/ApiGateway:Count:SampleCount']);
    expect(plotted('4xx / 5xx / 503')).toEqual([
      'flowplane/test:Responses4xx:Sum',
      'flowplane/test:Responses5xx:Sum',
      'flowplane/test:Responses503:Sum',
    ]);
    expect(plotted('latency')).toEqual(['AWS/ApiGateway:Latency:p50', 'AWS/ApiGateway:Latency:p99']);
    expect(plotted('cold starts')).toEqual(['flowplane/test:ColdStart:Sum']);
  }
  const titles = widgets.map((w) => w.properties.title);
  for (const title of [
    'Alarms',
    'DynamoDB consumed capacity',
    'DynamoDB throttled requests',
    'Stream consumers: iterator age (ms)',
    'Stream consumers: errors',
    'Dead-letter queue depth',
  ]) {
    expect(titles).toContain(title);
  }
  // The alarm widget shows exactly the template's alarms.
  const alarmWidget = widgets.find((w) => w.type === 'alarm')!;
  expect(alarmWidget.properties.alarms!.map(target).sort()).toEqual(
    ofType('AWS::CloudWatch::Alarm')
      .map(([id]) => id)
      .sort(),
  );
  // No two widgets overlap on the 24-column grid.
  const cells = new Set<string>();
  for (const w of widgets) {
    expect(w.x + w.width).toBeLessThanOrEqual(24);
    for (let x = w.x; x < w.x + w.width; x += 1)
      for (let y = w.y; y < w.y + w.height; y += 1) {
        expect(cells.has(`${x},${y}`)).toBe(false);
        cells.add(`${x},${y}`);
      }
  }
});

test('docs/dashboard.svg is the layout of this template (npm run draw:dashboard redraws it)', () => {
  const picture = fileURLToPath(new URL('../../docs/dashboard.svg', import.meta.url));
  expect(existsSync(picture)).toBe(true);
  expect(drawDashboard(dashboardWidgets(template.toJSON() as never), 'test')).toBe(readFileSync(picture, 'utf8'));
});
