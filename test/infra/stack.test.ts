/**
 * What the stack deploys, proven offline: one function per route with exactly its
 * DynamoDB actions, the table's protections, alarms, cdk-nag clean with a reason for
 * every suppression, and bundles under 300 KiB. One synthesis (with real bundling) is
 * shared by every test.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { routeList } from '../../functions/routes.js';
import { buildApp } from '../../infra/app.js';
import type { FlowplaneStack } from '../../infra/stack.js';

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
  return stack.getLogicalId(stack.functions.get(operationId)!.function.node.defaultChild as never);
}

function actionsOf(operationId: string): string[] {
  const role = stack.getLogicalId(stack.functions.get(operationId)!.role.node.defaultChild as never);
  return Object.values(resources())
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: { Ref: string }) => ref.Ref === role))
    .flatMap((r) => r.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()));
}

test('one Node.js 22 arm64 ESM function per route, wired to its method', () => {
  for (const route of routeList) {
    const fn = resources()[logicalId(route.operationId)];
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Description: `${route.method} ${route.path}`,
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: expect.objectContaining({ TABLE_NAME: expect.anything(), POWERTOOLS_SERVICE_NAME: 'flowplane', NODE_OPTIONS: '--enable-source-maps' }) },
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: route.method,
      OperationName: route.operationId,
      Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
  }
  const routeFunctions = Object.values(resources()).filter((r) => r.Type === 'AWS::Lambda::Function' && / \//.test(r.Properties.Description ?? ''));
  expect(routeFunctions).toHaveLength(routeList.length);
});

test('each function is granted exactly its route\'s DynamoDB actions, no wildcard action', () => {
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

test('the table is on demand, recoverable, protected, CMK-encrypted, streamed, with gsi1', () => {
  template.hasResource('AWS::DynamoDB::Table', {
    DeletionPolicy: 'Retain',
    Properties: Match.objectLike({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gsi1' })],
    }),
  });
  template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
});

test('the API stage throttles, logs access and execution, never data traces', () => {
  template.hasResourceProperties('AWS::ApiGateway::Stage', {
    StageName: 'test',
    AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
    MethodSettings: [Match.objectLike({ LoggingLevel: 'INFO', DataTraceEnabled: false, ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 })],
  });
  template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestParameters: true });
});

test('alarms on API 5xx, every function\'s errors and throttles, and table throttles, to SNS', () => {
  const alarms = Object.values(resources()).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  expect(alarms.length).toBe(2 + 2 * routeList.length);
  for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Alarms/) }]);
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

test('every function bundle exists in the assembly and is under 300 KiB', () => {
  for (const route of routeList) {
    const key = resources()[logicalId(route.operationId)].Properties.Code.S3Key as string;
    const size = statSync(join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs')).size;
    expect(size).toBeLessThan(300 * 1024);
  }
});
