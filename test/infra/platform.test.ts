/**
 * What a platform team sets on the construct beyond the API itself (issue 21): tags on
 * every resource, the functions' log level and architecture, opt-in outputs, several
 * stages in one account and region, and a new CDK app's feature flags — none, and every
 * flag `cdk init` turns on — each cdk-nag clean with the stateful resources' ids kept.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { routeList } from '../../functions/routes.js';
import { streamConsumerList } from '../../functions/streams/consumer-table.js';
import { Flowplane, FlowplaneStack, type FlowplaneProps } from '../../infra/index.js';
import { tableOutputKey } from '../../scripts/api-key.js';

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any> };
const resourcesOf = (template: Template) => template.toJSON().Resources as Record<string, Resource>;
const ofType = (template: Template, type: string) =>
  Object.entries(resourcesOf(template)).filter(([, r]) => r.Type === type);
const outdir = () => mkdtempSync(join(tmpdir(), 'flowplane-cdk-'));
const env = { account: '123456789012', region: 'eu-west-1' };

/** A team's stack holding one Flowplane construct with these props. */
function teamStack(props: FlowplaneProps, app = new App({ outdir: outdir() }), id = 'Team') {
  const stack = new Stack(app, id, { env });
  const flowplane = new Flowplane(stack, 'Flowplane', props);
  return { app, stack, flowplane, template: () => Template.fromStack(stack) };
}

/** The functions that run a flowplane bundle (every route and stream consumer), by logical id. */
const bundleFunctions = (template: Template) =>
  ofType(template, 'AWS::Lambda::Function').filter(
    ([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
  );

test('tags reach every resource CloudFormation can tag', () => {
  // Act
  const { stack, template: synth } = teamStack({ stage: 'dev', tags: { team: 'payments', 'cost-center': '4711' } });
  const template = synth();
  // Assess
  const taggable = stack.node
    .findAll()
    .filter((c): c is CfnResource => c instanceof CfnResource && TagManager.isTaggable(c))
    .map((resource) => stack.getLogicalId(resource));
  const tagsOf = (id: string): Record<string, string> => {
    const tags = resourcesOf(template)[id].Properties?.Tags as
      { Key: string; Value: string }[] | Record<string, string>;
    return Array.isArray(tags) ? Object.fromEntries(tags.map((t) => [t.Key, t.Value])) : (tags ?? {});
  };
  expect(taggable.filter((id) => tagsOf(id).team !== 'payments' || tagsOf(id)['cost-center'] !== '4711')).toEqual([]);
  const types = new Set(taggable.map((id) => resourcesOf(template)[id].Type));
  for (const type of [
    'AWS::DynamoDB::Table',
    'AWS::KMS::Key',
    'AWS::Lambda::Function',
    'AWS::IAM::Role',
    'AWS::Logs::LogGroup',
    'AWS::SQS::Queue',
    'AWS::SNS::Topic',
    'AWS::ApiGateway::RestApi',
    'AWS::ApiGateway::Stage',
  ])
    expect([type, types.has(type)]).toEqual([type, true]);
});

test('log level and architecture reach every function that runs a bundle, and the data key generator', () => {
  // Act
  const chosen = teamStack({ stage: 'dev', logLevel: 'DEBUG', architecture: lambda.Architecture.X86_64 }).template();
  const defaults = teamStack({ stage: 'dev' }).template();
  // Assess
  const settings = (template: Template) =>
    bundleFunctions(template).map(([, r]) => [
      r.Properties.Environment.Variables.POWERTOOLS_LOG_LEVEL,
      r.Properties.Architectures,
    ]);
  // The routes, the stream consumers and the migration.
  const count = routeList.length + streamConsumerList.length + 1;
  expect(settings(chosen)).toEqual(Array.from({ length: count }, () => ['DEBUG', ['x86_64']]));
  expect(settings(defaults)).toEqual(Array.from({ length: count }, () => ['INFO', ['arm64']]));
  const generator = (template: Template) =>
    ofType(template, 'AWS::Lambda::Function').find(
      ([id]) => id.startsWith('FlowplaneDataKeyProvider') && !id.includes('Framework'),
    )![1].Properties.Architectures;
  expect([generator(chosen), generator(defaults)]).toEqual([['x86_64'], ['arm64']]);
});

test('CfnOutputs only when asked; the table output is the one `flowplane api-key --stack` reads', () => {
  // Act
  const without = teamStack({ stage: 'dev' });
  const withOutputs = teamStack({ stage: 'dev', cfnOutputs: true });
  // Assess
  expect(without.template().toJSON().Outputs ?? {}).toEqual({});
  const outputs = withOutputs.template().toJSON().Outputs as Record<string, { Value: unknown }>;
  const keys = Object.keys(outputs).sort();
  expect(keys).toEqual(
    [
      'AlarmTopicArn',
      'ApiUrl',
      'BusName',
      'CommandDeadLettersUrl',
      'CommandEventDeadLettersUrl',
      'DashboardName',
      'StreamDeadLettersUrl',
      'TableName',
    ].map((name) => expect.stringMatching(new RegExp(`^Flowplane${name}[0-9A-F]{8}$`))),
  );
  const tableKey = tableOutputKey(keys);
  expect(typeof tableKey).toBe('string');
  const { stack, flowplane } = withOutputs;
  expect(outputs[tableKey as string].Value).toEqual(stack.resolve(flowplane.table.tableName));
  // The same values, as properties, for a team's own outputs.
  expect(stack.resolve(flowplane.bus.eventBusName)).toEqual({ Ref: expect.stringMatching(/^FlowplaneEventsBus/) });
  expect(stack.resolve(flowplane.alarmTopic.topicArn)).toEqual({ Ref: expect.stringMatching(/^FlowplaneAlarms/) });
  expect(stack.resolve(flowplane.dashboard.dashboardName)).toEqual({
    Ref: expect.stringMatching(/^FlowplaneDashboard/),
  });
});

test('two stages in one account and region: one API Gateway CloudWatch role, metrics and alarms apart', () => {
  // Prepare
  const app = new App({ outdir: outdir() });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  // Act
  const dev = teamStack({ stage: 'dev' }, app, 'Dev');
  const staging = teamStack({ stage: 'staging', apiGatewayCloudWatchRole: false }, app, 'Staging');
  app.synth();
  // Assess
  const [devTemplate, stagingTemplate] = [dev.template(), staging.template()];
  expect([devTemplate, stagingTemplate].map((t) => ofType(t, 'AWS::ApiGateway::Account').length)).toEqual([1, 0]);
  expect(ofType(stagingTemplate, 'AWS::IAM::Role').length).toBe(ofType(devTemplate, 'AWS::IAM::Role').length - 1);
  for (const [template, { stack }, stage] of [
    [devTemplate, dev, 'dev'],
    [stagingTemplate, staging, 'staging'],
  ] as const) {
    const namespaces = new Set(
      bundleFunctions(template).map(([, r]) => r.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE),
    );
    expect([...namespaces]).toEqual([`flowplane/${stage}`]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [Match.objectLike({ Expression: Match.stringLikeRegexp(`SCHEMA\\("flowplane/${stage}",`) })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `flowplane-${stage}-api-5xx-rate`,
      Metrics: Match.arrayWith([
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: '5XXError',
              Dimensions: Match.arrayWith([{ Name: 'ApiName', Value: `flowplane-${stage}` }]),
            }),
          }),
        }),
      ]),
    });
    const other = stage === 'dev' ? 'staging' : 'dev';
    expect(JSON.stringify(template.toJSON())).not.toContain(`flowplane/${other}`);
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    // Execution logs stay on: the account's role (set by the dev stage) serves every stage.
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ LoggingLevel: 'INFO' })]),
    });
  }
});

test('metricsNamespace replaces the per-stage default everywhere it is read', () => {
  // Act
  const template = teamStack({ stage: 'dev', metricsNamespace: 'payments/flowplane' }).template();
  // Assess
  for (const [, r] of bundleFunctions(template))
    expect(r.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe('payments/flowplane');
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Metrics: [Match.objectLike({ Expression: Match.stringLikeRegexp('SCHEMA\\("payments/flowplane",') })],
  });
  expect(JSON.stringify(template.toJSON())).not.toContain('flowplane/dev');
});

/** The context `cdk init` writes into a new app's cdk.json: every recommended feature flag. */
const newAppFlags = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'),
) as Record<string, unknown>;

test.each([
  ['no feature flags', {}],
  ['every flag a new CDK app turns on', newAppFlags],
])('%s: the stack synthesizes cdk-nag clean and the stateful resources keep their logical ids', (_, context) => {
  // Prepare
  const app = new App({ outdir: outdir(), context });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  // Act
  const stack = new FlowplaneStack(app, 'Flowplane-flags', { stage: 'flags' });
  app.synth();
  // Assess
  const template = Template.fromStack(stack);
  expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  // The ids test/infra/stack.test.ts pins: an upgrade (or turning the flags on) replaces nothing stateful.
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
    ['MigrationmigrateTableLogs1AFC9655', 'AWS::Logs::LogGroup'],
    ['MigrationProviderLogsBD73A776', 'AWS::Logs::LogGroup'],
  ])
    expect([id, resourcesOf(template)[id]?.Type]).toEqual([id, type]);
  // The routes, the stream consumers and the migration.
  expect(bundleFunctions(template)).toHaveLength(routeList.length + streamConsumerList.length + 1);
});
