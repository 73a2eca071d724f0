/**
 * What the on-call engineer relies on, proven on the synthesized template (issue 22): the
 * alarm topic can be published to by CloudWatch; every alarm is named, described with its
 * runbook section, evaluated M-of-N, guarded against quiet minutes, with an OK action;
 * every function logs to an explicit group; route functions are published as versions
 * behind an alias, with an opt-in gradual deployment that rolls back on the route's
 * alarms; concurrency limits; a dead-letter queue per source; an opt-in backup plan; a
 * restored table adopted by its own stream; and settings in cdk.json that every deploy
 * command of the runbook keeps. Bundling is skipped (test/infra/stack.test.ts bundles).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { routeList } from '../../functions/routes.js';
import { streamConsumerList } from '../../functions/streams/consumer-table.js';
import { buildApp, onCallContext } from '../../infra/app.js';
import { identityStatements } from '../support/template.js';
import { runbookSections } from '../../infra/constructs/alarms.js';
import { type FlowplaneProps, flowplanePropsProblems } from '../../infra/constructs/flowplane-props.js';
import { Flowplane } from '../../infra/index.js';
import type { FlowplaneStack } from '../../infra/stack.js';

type Resource = {
  Type: string;
  Properties: Record<string, any>;
  Metadata?: Record<string, any>;
  UpdatePolicy?: Record<string, any>;
  DeletionPolicy?: string;
};
const root = fileURLToPath(new URL('../..', import.meta.url));
const runbook = readFileSync(join(root, 'docs/runbook.md'), 'utf8');
const operationIds = routeList.map((route) => route.operationId);
const commandRoutes = routeList.filter((route) => route.acceptsCommands);
const commandIds = commandRoutes.map((route) => route.operationId);

const noBundling = (context: Record<string, unknown> = {}) =>
  new App({
    outdir: mkdtempSync(join(tmpdir(), 'flowplane-cdk-')),
    context: { 'aws:cdk:bundling-stacks': [], ...context },
  });

const syntheses = new Map<string, { stack: FlowplaneStack; template: Template }>();

/**
 * The default app for `context` (cdk.json's own context underneath, as `cdk` gives it),
 * synthesized once per context: the resource budget reads the same templates the describes do.
 */
function defaultApp(context: Record<string, unknown>): { stack: FlowplaneStack; template: Template } {
  const key = JSON.stringify(context);
  const known = syntheses.get(key);
  if (known) return known;
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const { stack } = buildApp(noBundling({ ...cdkJson.context, ...context }));
  const synthesis = { stack, template: Template.fromStack(stack) };
  syntheses.set(key, synthesis);
  return synthesis;
}

const defaultContext = { stage: 'oncall' };
/** Every option on: gradual deployment, backup and an alarm e-mail. */
const everyOption = {
  stage: 'canary',
  gradualDeployment: 'CANARY_10PERCENT_5MINUTES',
  backup: { deleteAfterDays: 400 },
  alarmEmails: ['oncall@example.com'],
};

const resourcesOf = (template: Template) => template.toJSON().Resources as Record<string, Resource>;
const ofType = (template: Template, type: string) =>
  Object.entries(resourcesOf(template)).filter(([, r]) => r.Type === type);
const idOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as never);

/** A policy's ArnLike pattern (`…:alarm:flowplane-oncall-*`, as a Fn::Join) as a regular expression on alarm names. */
function alarmNamePattern(arnLike: { 'Fn::Join': [string, unknown[]] }): RegExp {
  const last = arnLike['Fn::Join'][1].at(-1) as string;
  const name = last.slice(last.indexOf(':alarm:') + ':alarm:'.length);
  return new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

/** GitHub's anchor of a Markdown heading. */
const anchorOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');

describe('the default app', () => {
  let stack: FlowplaneStack;
  let template: Template;
  let alarms: [string, Resource][];
  const alarmNamed = (name: string) => alarms.find(([, a]) => a.Properties.AlarmName === name)?.[1];

  beforeAll(() => {
    ({ stack, template } = defaultApp(defaultContext));
    alarms = ofType(template, 'AWS::CloudWatch::Alarm');
  }, 120_000);

  test("CloudWatch may publish this stage's alarms to the encrypted topic: topic policy and key policy (aws/aws-cdk#11121)", () => {
    // Prepare
    const [[topicId, topic]] = ofType(template, 'AWS::SNS::Topic');
    const [[, key]] = ofType(template, 'AWS::KMS::Key');
    const [[, topicPolicy]] = ofType(template, 'AWS::SNS::TopicPolicy');
    // Act
    const keyGrant = key.Properties.KeyPolicy.Statement.find(
      (s: { Principal: { Service?: string } }) => s.Principal.Service === 'cloudwatch.amazonaws.com',
    );
    const publishGrant = topicPolicy.Properties.PolicyDocument.Statement.find(
      (s: { Principal: { Service?: string } }) => s.Principal?.Service === 'cloudwatch.amazonaws.com',
    );
    // Assess: the topic is encrypted with this key, which lets CloudWatch make and open data keys for SNS...
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
    expect(keyGrant).toMatchObject({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': expect.anything() } },
    });
    // ...and the topic policy lets it publish: both only for alarms whose names are this stage's
    expect(publishGrant).toMatchObject({
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: { Ref: topicId },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    const fromKey = alarmNamePattern(keyGrant.Condition.ArnLike['aws:SourceArn']);
    const fromTopic = alarmNamePattern(publishGrant.Condition.ArnLike['aws:SourceArn']);
    expect(alarms.length).toBeGreaterThan(0);
    for (const [, alarm] of alarms) {
      expect([alarm.Properties.AlarmName, fromKey.test(alarm.Properties.AlarmName)]).toEqual([
        alarm.Properties.AlarmName,
        true,
      ]);
      expect(fromTopic.test(alarm.Properties.AlarmName)).toBe(true);
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
    expect(fromKey.test('flowplane-other-api-5xx-rate')).toBe(false);
  });

  test('every alarm: flowplane-<stage>-<what>, 3 of 5 one-minute datapoints, missing data is fine, a runbook section that exists', () => {
    const sections = new Set(
      [...runbook.matchAll(/^#{2,4} (.+)$/gm)].map(([, heading]) => anchorOf(heading.replace(/`/g, ''))),
    );
    const names = alarms.map(([, a]) => a.Properties.AlarmName as string);
    expect(new Set(names).size).toBe(names.length);
    for (const [, { Properties: alarm }] of alarms) {
      expect(alarm.AlarmName).toMatch(/^flowplane-oncall-[A-Za-z0-9-]+$/);
      expect([alarm.AlarmName, alarm.DatapointsToAlarm, alarm.EvaluationPeriods]).toEqual([alarm.AlarmName, 3, 5]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
      const periods = alarm.Period
        ? [alarm.Period]
        : alarm.Metrics.map(
            (m: { Period?: number; MetricStat?: { Period: number } }) => m.Period ?? m.MetricStat?.Period,
          );
      expect(periods.filter((p: number | undefined) => p !== undefined && p !== 60)).toEqual([]);
      const section = /Runbook: docs\/runbook\.md#([a-z0-9-]+)$/.exec(alarm.AlarmDescription)?.[1];
      expect([alarm.AlarmName, section && sections.has(section)]).toEqual([alarm.AlarmName, true]);
    }
    for (const section of Object.values(runbookSections))
      expect([section, sections.has(section)]).toEqual([section, true]);
  });

  test('the alarms: the API, each route, each command queue, each consumer, each dead-letter queue', () => {
    const expected = [
      'api-5xx-rate',
      'api-504',
      'responses-503',
      'table-throttles',
      ...operationIds.flatMap((id) => [`${id}-5xx-rate`, `${id}-latency-p99`, `${id}-errors`]),
      ...commandIds.map((id) => `${id}-command-age`),
      ...streamConsumerList.flatMap(({ name }) => [`${name}-errors`, `${name}-iterator-age`]),
      'stream-dead-letters',
      'command-dead-letters',
      'command-event-dead-letters',
    ].map((what) => `flowplane-oncall-${what}`);
    expect(alarms.map(([, a]) => a.Properties.AlarmName).sort()).toEqual(expected.sort());
  });

  test('rates and latencies count only minutes with at least 10 requests; thresholds as docs/infra.md gives them', () => {
    const guard = (name: string) =>
      alarmNamed(name)!.Properties.Metrics.find((m: { Expression?: string }) => m.Expression);
    const requests = (name: string) =>
      alarmNamed(name)!.Properties.Metrics.find((m: { Id: string }) => m.Id === 'requests').MetricStat;
    expect(guard('flowplane-oncall-api-5xx-rate').Expression).toBe('IF(requests >= 10, 100 * errors / requests, 0)');
    expect(requests('flowplane-oncall-api-5xx-rate')).toEqual({
      Metric: {
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Count',
        Dimensions: [
          { Name: 'ApiName', Value: 'flowplane-oncall' },
          { Name: 'Stage', Value: 'oncall' },
        ],
      },
      Period: 60,
      Stat: 'Sum',
    });
    expect(alarmNamed('flowplane-oncall-api-5xx-rate')!.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    for (const route of routeList) {
      const dimensions = [
        { Name: 'ApiName', Value: 'flowplane-oncall' },
        { Name: 'Method', Value: route.method },
        { Name: 'Resource', Value: route.path },
        { Name: 'Stage', Value: 'oncall' },
      ];
      expect(guard(`flowplane-oncall-${route.operationId}-5xx-rate`).Expression).toBe(
        'IF(requests >= 10, 100 * errors / requests, 0)',
      );
      expect(guard(`flowplane-oncall-${route.operationId}-latency-p99`).Expression).toBe(
        'IF(requests >= 10, latency, 0)',
      );
      const latency = alarmNamed(`flowplane-oncall-${route.operationId}-latency-p99`)!.Properties;
      expect(latency.Metrics.find((m: { Id: string }) => m.Id === 'latency').MetricStat).toEqual({
        Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Latency', Dimensions: dimensions },
        Period: 60,
        Stat: 'p99',
      });
      expect(requests(`flowplane-oncall-${route.operationId}-latency-p99`).Metric.Dimensions).toEqual(dimensions);
      expect([route.operationId, latency.Threshold]).toEqual([
        route.operationId,
        route.operationId === 'testExecutorConfiguration' ? 21_000 : 3_000,
      ]);
      expect(alarmNamed(`flowplane-oncall-${route.operationId}-errors`)!.Properties.Metrics[0].Expression).toBe(
        'SUM([errors, throttles])',
      );
    }
  });

  test("504s are counted from the API's access log (status and API id in every line) and alarm", () => {
    const [[, stage]] = ofType(template, 'AWS::ApiGateway::Stage');
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format as string) as Record<string, string>;
    expect(format).toMatchObject({
      status: '$context.status',
      apiId: '$context.apiId',
      requestId: '$context.requestId',
    });
    const [[, filter]] = ofType(template, 'AWS::Logs::MetricFilter');
    expect(filter.Properties).toEqual({
      FilterPattern: '{ $.status = "504" }',
      LogGroupName: { Ref: stage.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0] },
      MetricTransformations: [
        {
          MetricName: 'Api504',
          MetricNamespace: 'flowplane/oncall',
          MetricValue: '1',
          Dimensions: [{ Key: 'apiId', Value: '$.apiId' }],
        },
      ],
    });
    expect(alarmNamed('flowplane-oncall-api-504')!.Properties).toMatchObject({
      Metrics: [
        {
          MetricStat: {
            Metric: {
              Namespace: 'flowplane/oncall',
              MetricName: 'Api504',
              Dimensions: [{ Name: 'apiId', Value: { Ref: expect.stringMatching(/^Api/) } }],
            },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
      Threshold: 1,
    });
  });

  test('each command queue alarms when its oldest command waited 15 minutes (past its 5 × 174 s of redeliveries)', () => {
    for (const route of commandRoutes) {
      const queue = idOf(stack, stack.flowplane.eventsAndAudit.commandQueues.get(route.operationId)!);
      expect(alarmNamed(`flowplane-oncall-${route.operationId}-command-age`)!.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 900,
      });
    }
  });

  test('table throttles: every DynamoDB operation the functions call or are granted, summed even when some have no data', () => {
    // Prepare: the operations in the code (SDK commands) and in the template (granted actions)
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return sources(path);
        return path.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
      });
    const operationOf: Record<string, string> = {
      Get: 'GetItem',
      Put: 'PutItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      Query: 'Query',
      Scan: 'Scan',
      BatchGet: 'BatchGetItem',
      BatchWrite: 'BatchWriteItem',
      TransactWrite: 'TransactWriteItems',
      TransactGet: 'TransactGetItems',
    };
    const inCode = sources(join(root, 'functions')).flatMap((text) =>
      [
        ...text.matchAll(
          /new (Get|Put|Update|Delete|Query|Scan|BatchGet|BatchWrite|TransactWrite|TransactGet)(?:Item)?Command\(/g,
        ),
      ].map(([, verb]) => operationOf[verb]),
    );
    const granted = identityStatements(resourcesOf(template))
      .filter((s: { Effect: string }) => s.Effect === 'Allow')
      .flatMap((s: { Action: string | string[] }) => [s.Action].flat())
      .filter((a: string) => a.startsWith('dynamodb:'))
      .map((a: string) => a.slice('dynamodb:'.length))
      .filter((a: string) => Object.values(operationOf).includes(a));
    // Act
    const alarm = alarmNamed('flowplane-oncall-table-throttles')!.Properties;
    const watched = alarm.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).map(
      (m: { MetricStat: { Metric: { MetricName: string; Dimensions: { Name: string; Value: unknown }[] } } }) => {
        expect(m.MetricStat.Metric.MetricName).toBe('ThrottledRequests');
        return m.MetricStat.Metric.Dimensions.find((d) => d.Name === 'Operation')!.Value;
      },
    );
    // Assess
    expect(inCode).toEqual(expect.arrayContaining(['BatchGetItem', 'BatchWriteItem', 'TransactWriteItems']));
    expect(watched).toEqual(expect.arrayContaining([...new Set([...inCode, ...granted])]));
    expect(alarm.Metrics.find((m: { Expression?: string }) => m.Expression).Expression).toMatch(/^SUM\(\[.+\]\)$/);
    expect(alarm.Threshold).toBe(10);
  });

  test("every function logs to an explicit group with the stage's retention and removal policy, the data key provider, the migration and their framework functions too", () => {
    const functions = ofType(template, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(routeList.length + streamConsumerList.length + 4);
    const groups = new Set<string>();
    for (const [id, fn] of functions) {
      const group = fn.Properties.LoggingConfig?.LogGroup?.Ref as string | undefined;
      expect([id, group && resourcesOf(template)[group]?.Type]).toEqual([id, 'AWS::Logs::LogGroup']);
      expect([id, resourcesOf(template)[group!]]).toEqual([
        id,
        expect.objectContaining({
          Properties: { RetentionInDays: 30 },
          DeletionPolicy: 'Retain',
        }),
      ]);
      groups.add(group!);
    }
    expect(groups.size).toBe(functions.length);
  });

  test('each route function is published as a version behind its live alias; commands reach the alias, capped at 10 concurrent from SQS; no reserved concurrency unless asked; no CodeDeploy unless asked', () => {
    const versions = ofType(template, 'AWS::Lambda::Version');
    for (const route of routeList) {
      const fn = idOf(stack, stack.flowplane.functions.get(route.operationId)!.function);
      const alias = stack.flowplane.aliases.get(route.operationId)!;
      const [version] = versions.filter(([, v]) => v.Properties.FunctionName.Ref === fn);
      expect(version).toBeDefined();
      expect(resourcesOf(template)[idOf(stack, alias)]).toEqual({
        Type: 'AWS::Lambda::Alias',
        Properties: {
          FunctionName: { Ref: fn },
          FunctionVersion: { 'Fn::GetAtt': [version[0], 'Version'] },
          Name: 'live',
        },
      });
      expect(stack.flowplane.routeAlias(route.operationId)).toBe(alias);
      expect(resourcesOf(template)[fn].Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
    expect(versions).toHaveLength(routeList.length);
    const sqsMappings = ofType(template, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => m.Properties.ScalingConfig !== undefined,
    );
    expect(sqsMappings.map(([, m]) => m.Properties.ScalingConfig)).toEqual(
      commandRoutes.map(() => ({ MaximumConcurrency: 10 })),
    );
    expect(ofType(template, 'AWS::CodeDeploy::DeploymentGroup')).toEqual([]);
    expect(ofType(template, 'AWS::Backup::BackupPlan')).toEqual([]);
    for (const [, alias] of ofType(template, 'AWS::Lambda::Alias')) expect(alias.UpdatePolicy).toBeUndefined();
  });

  test('a dead-letter queue per source: SQS commands, EventBridge commands (undelivered or failed in the function), stream records', () => {
    const { eventsAndAudit } = stack.flowplane;
    const arnOf = (queue: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [idOf(stack, queue), 'Arn'] });
    // The queue that held both kinds keeps its id (messages in it stay) and now serves the SQS queues only.
    expect(idOf(stack, eventsAndAudit.commandDeadLetters)).toBe('EventsCommandDeadLetters4BD4E638');
    for (const route of commandRoutes) {
      const queue = resourcesOf(template)[idOf(stack, eventsAndAudit.commandQueues.get(route.operationId)!)];
      expect(queue.Properties.RedrivePolicy.deadLetterTargetArn).toEqual(arnOf(eventsAndAudit.commandDeadLetters));
      const [rule] =
        resourcesOf(template)[idOf(stack, eventsAndAudit.commandRules.get(route.operationId)!)].Properties.Targets;
      expect(rule.DeadLetterConfig.Arn).toEqual(arnOf(eventsAndAudit.commandEventDeadLetters));
      // What Lambda accepted from EventBridge and the function then failed lands in the same queue.
      const fn = resourcesOf(template)[idOf(stack, stack.flowplane.functions.get(route.operationId)!.function)];
      expect(fn.Properties.DeadLetterConfig).toEqual({ TargetArn: arnOf(eventsAndAudit.commandEventDeadLetters) });
    }
    for (const route of routeList.filter((r) => !r.acceptsCommands)) {
      const fn = resourcesOf(template)[idOf(stack, stack.flowplane.functions.get(route.operationId)!.function)];
      expect(fn.Properties.DeadLetterConfig).toBeUndefined();
    }
    for (const [, mapping] of ofType(template, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => m.Properties.StartingPosition,
    ))
      expect(mapping.Properties.DestinationConfig.OnFailure.Destination).toEqual(
        arnOf(eventsAndAudit.streamDeadLetters),
      );
    expect(
      new Set([
        eventsAndAudit.commandDeadLetters,
        eventsAndAudit.commandEventDeadLetters,
        eventsAndAudit.streamDeadLetters,
      ]).size,
    ).toBe(3);
  });
});

describe('opt-in: gradual deployment, backup and an alarm e-mail, from cdk.json', () => {
  let stack: FlowplaneStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = defaultApp(everyOption));
  }, 120_000);

  test("each route's alias moves through its own CodeDeploy group, which rolls back on the route's 5xx rate, p99 latency and errors alarms", () => {
    const groups = ofType(template, 'AWS::CodeDeploy::DeploymentGroup');
    expect(groups).toHaveLength(routeList.length);
    const [[applicationId]] = ofType(template, 'AWS::CodeDeploy::Application');
    const alarmIds = new Map(
      ofType(template, 'AWS::CloudWatch::Alarm').map(([id, a]) => [a.Properties.AlarmName as string, id]),
    );
    for (const route of routeList) {
      const alias = resourcesOf(template)[idOf(stack, stack.flowplane.aliases.get(route.operationId)!)];
      const groupId = alias.UpdatePolicy!.CodeDeployLambdaAliasUpdate.DeploymentGroupName.Ref as string;
      expect(alias.UpdatePolicy!.CodeDeployLambdaAliasUpdate.ApplicationName).toEqual({ Ref: applicationId });
      const group = resourcesOf(template)[groupId];
      expect(group.Properties).toMatchObject({
        ApplicationName: { Ref: applicationId },
        DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM'],
        },
      });
      expect(group.Properties.AlarmConfiguration.Alarms).toEqual(
        ['5xx-rate', 'latency-p99', 'errors'].map((what) => ({
          Name: { Ref: alarmIds.get(`flowplane-canary-${route.operationId}-${what}`) },
        })),
      );
      expect(group.Properties.AlarmConfiguration.Enabled).toBe(true);
    }
    expect(new Set(groups.map(([, g]) => JSON.stringify(g.Properties.ServiceRoleArn))).size).toBe(1);
  });

  test('an AWS Backup plan keeps a daily backup of the table for the days asked, in a vault under the stack key', () => {
    const [[, plan]] = ofType(template, 'AWS::Backup::BackupPlan');
    const [[vaultId, vault]] = ofType(template, 'AWS::Backup::BackupVault');
    expect(plan.Properties.BackupPlan.BackupPlanRule).toEqual([
      expect.objectContaining({
        RuleName: 'Daily',
        ScheduleExpression: 'cron(0 3 * * ? *)',
        Lifecycle: { DeleteAfterDays: 400 },
        TargetBackupVault: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] },
      }),
    ]);
    expect(vault.Properties.EncryptionKeyArn).toEqual({ 'Fn::GetAtt': ['Key961B73FD', 'Arn'] });
    expect(vault.DeletionPolicy).toBe('Retain');
    const [[, selection]] = ofType(template, 'AWS::Backup::BackupSelection');
    expect(selection.Properties.BackupSelection.Resources).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] },
    ]);
  });

  test('cdk-nag clean with every option on, each suppression with a reason', () => {
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    const resources = Object.values(resourcesOf(template));
    for (const s of resources.flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []))
      expect(s.reason.length).toBeGreaterThan(30);
  });
});

describe('the resource budget (docs/infra.md, "Resource budget")', () => {
  test("at most 400 of CloudFormation's 500 resources by default, 450 with every option on", () => {
    // Act
    const count = (context: Record<string, unknown>) => Object.keys(resourcesOf(defaultApp(context).template)).length;
    const counts = { default: count(defaultContext), everyOption: count(everyOption) };
    // Assess
    expect(counts.default).toBeLessThanOrEqual(400);
    expect(counts.everyOption).toBeLessThanOrEqual(450);
    expect(counts.everyOption).toBeGreaterThan(counts.default);
  });
});

describe('the construct with on-call props', () => {
  const team = (props: Partial<FlowplaneProps>) => {
    const stack = new Stack(noBundling(), 'Team');
    const flowplane = new Flowplane(stack, 'Flowplane', { stage: 'team', ...props });
    return { stack, flowplane, template: Template.fromStack(stack) };
  };

  test('reserved concurrency, command concurrency and latency thresholds per route; log groups follow removalPolicy and logRetention', () => {
    // Act
    const { stack, flowplane, template } = team({
      removalPolicy: RemovalPolicy.DESTROY,
      logRetention: logs.RetentionDays.ONE_WEEK,
      commandConcurrency: 4,
      alarmMinimumRequests: 50,
      routes: {
        updateWorkflow: {
          reservedConcurrency: 20,
          commandConcurrency: 5,
          latencyAlarmThreshold: Duration.millis(1500),
        },
      },
      gradualDeployment: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
    });
    // Assess
    const fnOf = (id: string) => resourcesOf(template)[idOf(stack, flowplane.functions.get(id)!.function)];
    expect(fnOf('updateWorkflow').Properties.ReservedConcurrentExecutions).toBe(20);
    expect(fnOf('deployWorkflow').Properties.ReservedConcurrentExecutions).toBeUndefined();
    const concurrency = (id: string) =>
      ofType(template, 'AWS::Lambda::EventSourceMapping').find(
        ([, m]) =>
          m.Properties.EventSourceArn['Fn::GetAtt']?.[0] ===
          idOf(stack, flowplane.eventsAndAudit.commandQueues.get(id)!),
      )![1].Properties.ScalingConfig;
    expect(concurrency('updateWorkflow')).toEqual({ MaximumConcurrency: 5 });
    expect(concurrency('deployWorkflow')).toEqual({ MaximumConcurrency: 4 });
    const alarm = (name: string) =>
      ofType(template, 'AWS::CloudWatch::Alarm').find(([, a]) => a.Properties.AlarmName === name)![1].Properties;
    expect(alarm('flowplane-team-updateWorkflow-latency-p99').Threshold).toBe(1500);
    expect(alarm('flowplane-team-getWorkflow-latency-p99').Threshold).toBe(3000);
    expect(alarm('flowplane-team-api-5xx-rate').Metrics[0].Expression).toBe(
      'IF(requests >= 50, 100 * errors / requests, 0)',
    );
    for (const [, group] of ofType(template, 'AWS::CodeDeploy::DeploymentGroup'))
      expect(group.Properties.DeploymentConfigName).toBe('CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    for (const [id, group] of ofType(template, 'AWS::Logs::LogGroup'))
      expect([id, group.Properties.RetentionInDays, group.DeletionPolicy]).toEqual([id, 7, 'Delete']);
  });

  test("with an imported key the topic's key policy cannot be changed: the synth warns; an imported topic gets no policy", () => {
    // Prepare
    const stack = new Stack(noBundling(), 'Team');
    const encryptionKey = kms.Key.fromKeyArn(
      stack,
      'K',
      'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    );
    // Act
    new Flowplane(stack, 'Flowplane', { stage: 'team', encryptionKey });
    // Assess
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cloudwatch.amazonaws.com'));
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0].entry.data)).toContain('kms:GenerateDataKey*');
  });

  test.each([
    [{ commandConcurrency: 1 }, 'commandConcurrency must be a whole number from 2 to 1000 (got 1)'],
    [{ alarmMinimumRequests: 0 }, 'alarmMinimumRequests must be a whole number of at least 1 (got 0)'],
    [
      { routes: { getWorkflow: { reservedConcurrency: 0 } } },
      'routes.getWorkflow.reservedConcurrency must be a whole number of at least 1 (got 0)',
    ],
    [
      { routes: { getWorkflow: { commandConcurrency: 5 } } },
      'routes.getWorkflow.commandConcurrency: getWorkflow takes no commands',
    ],
    [
      { routes: { updateWorkflow: { reservedConcurrency: 5 } } },
      "routes.updateWorkflow: the command queue's concurrency (10) is above reservedConcurrency (5)",
    ],
    [
      { routes: { updateWorkflow: { latencyAlarmThreshold: Duration.seconds(30) } } },
      'routes.updateWorkflow.latencyAlarmThreshold must be from 1 ms to 29 s',
    ],
    [{ backup: { deleteAfter: Duration.hours(12) } }, 'backup.deleteAfter must be at least 1 day (got 12 hours)'],
  ] as [Partial<FlowplaneProps>, string][])('%j → %s', (props, message) => {
    // Act
    const problems = flowplanePropsProblems({ stage: 'team', ...props }, operationIds, commandIds);
    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  test('a sensible set of on-call props has no problem', () => {
    expect(
      flowplanePropsProblems(
        {
          stage: 'team',
          commandConcurrency: 2,
          alarmMinimumRequests: 1,
          routes: { updateWorkflow: { reservedConcurrency: 10, commandConcurrency: 10 } },
          backup: { deleteAfter: Duration.days(1) },
        },
        operationIds,
        commandIds,
      ),
    ).toEqual([]);
  });
});

describe('a restored table is adopted only with its own stream', () => {
  const restored = {
    tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/flowplane-prod-restored',
    tableStreamArn:
      'arn:aws:dynamodb:eu-west-1:123456789012:table/flowplane-prod-restored/stream/2026-01-02T03:04:05.678',
    encryptionKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555',
  };

  test("the old table's stream with the restored table is refused at synth", () => {
    expect(() =>
      buildApp(
        noBundling({
          stage: 'prod',
          table: {
            ...restored,
            tableStreamArn:
              'arn:aws:dynamodb:eu-west-1:123456789012:table/Flowplane-prod-TableCD117FA1-X/stream/2025-01-01T00:00:00.000',
          },
        }),
      ),
    ).toThrow(
      'table: tableStreamArn arn:aws:dynamodb:eu-west-1:123456789012:table/Flowplane-prod-TableCD117FA1-X/stream/2025-01-01T00:00:00.000 is not a stream of arn:aws:dynamodb:eu-west-1:123456789012:table/flowplane-prod-restored',
    );
  });

  test('context table (what the restore step prints): no table of its own, consumers on the restored stream, grants on its key', () => {
    // Act
    const { template } = defaultApp({ stage: 'prod', table: JSON.stringify(restored) });
    // Assess
    expect(ofType(template, 'AWS::DynamoDB::Table')).toEqual([]);
    for (const [, mapping] of ofType(template, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => m.Properties.StartingPosition,
    ))
      expect(mapping.Properties.EventSourceArn).toBe(restored.tableStreamArn);
    const statements = identityStatements(resourcesOf(template));
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: restored.encryptionKeyArn }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'dynamodb:GetItem', Resource: restored.tableArn }),
    );
  });
});

describe('settings a first deploy makes survive every later deploy (docs/runbook.md)', () => {
  test('-c strings and cdk.json values read alike; a wrong one is refused with the reason', () => {
    const read = (context: Record<string, unknown>) => onCallContext((key) => context[key]);
    expect(read({ alarmEmails: 'a@example.com, b@example.com' }).alarmEmails).toEqual([
      'a@example.com',
      'b@example.com',
    ]);
    expect(read({ alarmEmails: ['a@example.com'] }).alarmEmails).toEqual(['a@example.com']);
    expect(read({ alarmEmails: '["a@example.com"]' }).alarmEmails).toEqual(['a@example.com']);
    expect(read({ backup: 'true' }).backup).toEqual({});
    expect(read({ backup: false }).backup).toBeUndefined();
    expect(read({ commandConcurrency: '4' }).commandConcurrency).toBe(4);
    expect(read({ gradualDeployment: 'LINEAR_10PERCENT_EVERY_1MINUTE' }).gradualDeployment).toBe(
      codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
    );
    expect(() => read({ gradualDeployment: 'CANARY', backup: 'weekly' })).toThrow(
      'flowplane app: invalid context:\n  - context gradualDeployment: "CANARY" is none of ALL_AT_ONCE,',
    );
    expect(() => read({ table: '{"tableArn": 1}' })).toThrow('context table: { "tableArn", "tableStreamArn"');
  });

  test("every cdk deploy and diff command of the runbook, after its first deploy's cdk.json, keeps the alarm e-mails, the gradual deployment and the backup; its test page names a real alarm", () => {
    // Prepare: the first deploy's cdk.json settings, and every later command as written
    const settings = /```json\n(\s*\{\n\s+"context"[\s\S]+?)\n\s*```/.exec(runbook)?.[1];
    expect(settings).toBeDefined();
    const firstDeploy = (JSON.parse(settings!) as { context: Record<string, unknown> }).context;
    expect(firstDeploy).toMatchObject({ alarmEmails: expect.any(Array), gradualDeployment: expect.any(String) });
    const commands = [...runbook.matchAll(/^\s*(npx cdk (?:deploy|diff)\b.*)$/gm)].map(([, command]) => command.trim());
    expect(commands.length).toBeGreaterThanOrEqual(4);
    let alarmNames: string[] = [];
    // A deploy and a diff with the same flags synthesize the same app: one synth per set of flags.
    const byFlags = new Map(
      commands.map((command) => {
        const flags = Object.fromEntries(
          [...command.matchAll(/-c ([A-Za-z]+)=(\S*)/g)].map(([, key, value]) => [key, value]),
        );
        return [JSON.stringify(flags), { command, flags }] as const;
      }),
    );
    for (const { command, flags } of byFlags.values()) {
      // Act
      const { template } = defaultApp({ ...firstDeploy, ...flags });
      // Assess
      const emails = ofType(template, 'AWS::SNS::Subscription').map(([, s]) => s.Properties.Endpoint);
      expect([command, emails]).toEqual([command, firstDeploy.alarmEmails]);
      expect([command, ofType(template, 'AWS::CodeDeploy::DeploymentGroup').length]).toEqual([
        command,
        routeList.length,
      ]);
      expect([command, ofType(template, 'AWS::Backup::BackupPlan').length]).toEqual([command, 1]);
      expect([command, flags.stage]).toEqual([command, 'prod']);
      alarmNames = ofType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties.AlarmName as string);
    }
    // The first deploy's test page fires an alarm of the stage by its name.
    const testPage = /aws cloudwatch set-alarm-state --alarm-name (\S+)/.exec(runbook)?.[1];
    expect(alarmNames).toContain(testPage);
  }, 300_000);
});
