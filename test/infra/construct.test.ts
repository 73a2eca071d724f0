/**
 * The `Flowplane` construct as a team uses it: the example app (its own stack, custom
 * domain, WAF, per-route settings) synthesizes offline and cdk-nag clean; props are
 * checked at synth time with clear messages; the data key rotates by generation; an
 * existing table, key and topic are used instead of new ones; source maps only when
 * asked. Bundling is skipped here (test/infra/stack.test.ts bundles the default app).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { routeList } from '../../functions/routes.js';
import { buildApp } from '../../infra/app.js';
import { identityStatements } from '../support/template.js';
import { FlowplaneFunction } from '../../infra/constructs/flowplane-function.js';
import { type FlowplaneProps, flowplanePropsProblems } from '../../infra/constructs/flowplane-props.js';
import { buildTeamApp } from '../../infra/examples/team-app.js';
import { Flowplane } from '../../infra/index.js';

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any> };
const noBundling = () => ({
  outdir: mkdtempSync(join(tmpdir(), 'flowplane-cdk-')),
  context: { 'aws:cdk:bundling-stacks': [] },
});
const operationIds = routeList.map((route) => route.operationId);
const resourcesOf = (template: Template) => template.toJSON().Resources as Record<string, Resource>;
const ofType = (template: Template, type: string) =>
  Object.entries(resourcesOf(template)).filter(([, r]) => r.Type === type);
const variablesOf = (stack: Stack, flowplane: Flowplane, template: Template, operationId: string) =>
  resourcesOf(template)[stack.getLogicalId(flowplane.functions.get(operationId)!.function.node.defaultChild as never)]
    .Properties.Environment.Variables;

describe('the example app (infra/examples/team-app.ts)', () => {
  let built: ReturnType<typeof buildTeamApp>;
  let template: Template;
  beforeAll(() => {
    built = buildTeamApp(new App(noBundling()));
    built.app.synth();
    template = Template.fromStack(built.stack);
  }, 180_000);

  test('synthesizes offline with no lookups, cdk-nag clean, every suppression with a reason', () => {
    expect(built.app.synth().manifest.missing ?? []).toEqual([]);
    expect(Annotations.fromStack(built.stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    expect(Annotations.fromStack(built.stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    const suppressions = Object.values(resourcesOf(template)).flatMap(
      (r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? [],
    );
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) expect(s.reason.length).toBeGreaterThan(30);
    // With a web ACL associated, the WAF finding is not suppressed: it passes.
    expect(suppressions.map((s: { id: string }) => s.id)).not.toContain('AwsSolutions-APIG3');
  });

  test('custom domain at the root (routes keep /v1), alias records, WAF on the stage, API URL on the domain', () => {
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      RegionalCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
      SecurityPolicy: 'TLS_1_2',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    const [[, mapping]] = ofType(template, 'AWS::ApiGateway::BasePathMapping');
    expect(mapping.Properties.BasePath).toBeUndefined();
    for (const type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.example.com.',
        Type: type,
        HostedZoneId: 'Z0123456789EXAMPLE',
        AliasTarget: Match.anyValue(),
      });
    }
    const [[stageId]] = ofType(template, 'AWS::ApiGateway::Stage');
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: { 'Fn::GetAtt': ['WebAcl', 'Arn'] },
      ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: stageId }])] },
    });
    expect(template.toJSON().Outputs.ApiUrl.Value).toBe('https://api.example.com');
    expect(variablesOf(built.stack, built.stack.flowplane, template, 'updateWorkflow').PUBLIC_BASE_URL).toBe(
      'https://api.example.com',
    );
  });

  test('typed props reach the resources: stage and route throttling, route memory, e-mail alarms, log retention', () => {
    const [[, stage]] = ofType(template, 'AWS::ApiGateway::Stage');
    expect(stage.Properties.MethodSettings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 500,
          ThrottlingBurstLimit: 1000,
        }),
        expect.objectContaining({
          HttpMethod: 'PATCH',
          ResourcePath: '/~1v1~1workflows~1{workflow_id}',
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
        expect.objectContaining({
          HttpMethod: 'POST',
          ResourcePath: '/~1v1~1executors~1{id}~1test',
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        }),
      ]),
    );
    expect(stage.Properties.MethodSettings).toHaveLength(3);
    const memory = (operationId: string) =>
      resourcesOf(template)[
        built.stack.getLogicalId(built.stack.flowplane.functions.get(operationId)!.function.node.defaultChild as never)
      ].Properties.MemorySize;
    expect(memory('updateWorkflow')).toBe(1536);
    expect(memory('getWorkflow')).toBe(1024);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    const logGroups = ofType(template, 'AWS::Logs::LogGroup');
    // One per function at least.
    expect(logGroups.length).toBeGreaterThanOrEqual(routeList.length);
    for (const [, group] of logGroups) expect(group.Properties.RetentionInDays).toBe(180);
  });

  test('the construct exposes the API, URL, table, bus, alarm topic and each route function by operationId', () => {
    const { flowplane } = built.stack;
    expect(flowplane.routeFunction('updateWorkflow')).toBe(flowplane.functions.get('updateWorkflow')!.function);
    expect(() => flowplane.routeFunction('nope')).toThrow('Flowplane: no route "nope"');
    const stack = built.stack;
    expect(stack.resolve(flowplane.table.tableName)).toEqual({ Ref: expect.stringMatching(/^FlowplaneTable/) });
    expect(stack.resolve(flowplane.bus.eventBusName)).toEqual({ Ref: expect.stringMatching(/^FlowplaneEventsBus/) });
    expect(stack.resolve(flowplane.alarmTopic.topicArn)).toEqual({ Ref: expect.stringMatching(/^FlowplaneAlarms/) });
    expect(stack.resolve(flowplane.api.restApiId)).toEqual({ Ref: expect.stringMatching(/^FlowplaneApi/) });
    expect(flowplane.apiUrl).toBe('https://api.example.com');
  });

  test('data key generation 2: generation 2 seals, generation 1 still opens (DATA_KEYS_PREVIOUS)', () => {
    const keys = ofType(template, 'AWS::CloudFormation::CustomResource').map(([id, r]) => [
      id,
      r.Properties.Generation,
    ]);
    expect(keys.sort()).toEqual([
      [expect.stringMatching(/^FlowplaneSecretsDataKey2/), '2'],
      [expect.stringMatching(/^FlowplaneSecretsDataKey[A-F0-9]{8}$/), '1'],
    ]);
    const [[first], [second]] = [keys.find(([, g]) => g === '1')!, keys.find(([, g]) => g === '2')!];
    for (const route of routeList.filter((r) => r.usesSecrets)) {
      expect(variablesOf(built.stack, built.stack.flowplane, template, route.operationId)).toMatchObject({
        DATA_KEY_CIPHERTEXT: { 'Fn::GetAtt': [second, 'Ciphertext'] },
        DATA_KEYS_PREVIOUS: { 'Fn::GetAtt': [first, 'Ciphertext'] },
      });
    }
  });
});

describe('props are checked at synth time', () => {
  const fine: FlowplaneProps = { stage: 'dev' };

  test('the defaults and a full set of sensible props have no problem', () => {
    expect(flowplanePropsProblems(fine, operationIds)).toEqual([]);
    expect(
      flowplanePropsProblems(
        {
          stage: 'prod-eu-1',
          throttling: { rateLimit: 10, burstLimit: 10 },
          routes: {
            updateWorkflow: {
              memorySize: 2048,
              throttling: { rateLimit: 0.5, burstLimit: 1 },
              environment: { IDEMPOTENCY_TTL_SECONDS: '3600' },
            },
          },
          memorySize: 512,
          alarmEmails: ['ops@example.com'],
          dataKeyGeneration: 10,
          webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/team/0f1e2d3c-4b5a',
          metricsNamespace: 'flowplane/prod',
          auth: { oidc: { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC', audience: 'api' } },
        },
        operationIds,
      ),
    ).toEqual([]);
  });

  test.each([
    [
      { stage: 'Prod' },
      'stage "Prod" must be lower-case letters, digits and dashes, start with a letter, and be at most 21 characters',
    ],
    [{ stage: 'a-very-long-stage-name-x' }, 'stage "a-very-long-stage-name-x" must be lower-case'],
    [
      { throttling: { rateLimit: 100, burstLimit: 50 } },
      'throttling.burstLimit (50) is below throttling.rateLimit (100): the bucket could never hold one second of traffic',
    ],
    [{ throttling: { rateLimit: 0, burstLimit: 50 } }, 'throttling.rateLimit must be a number above 0 (got 0)'],
    [
      { throttling: { rateLimit: 10, burstLimit: 10.5 } },
      'throttling.burstLimit must be a whole number ≥ 0 (got 10.5)',
    ],
    [
      { routes: { updateWorkfow: { memorySize: 2048 } } },
      'routes.updateWorkfow: no route has this operationId (routes are health, ',
    ],
    [
      { routes: { updateWorkflow: { throttling: { rateLimit: 20, burstLimit: 5 } } } },
      'routes.updateWorkflow.throttling.burstLimit (5) is below routes.updateWorkflow.throttling.rateLimit (20)',
    ],
    [
      { routes: { updateWorkflow: { memorySize: 64 } } },
      'routes.updateWorkflow.memorySize must be a whole number of MiB from 128 to 10240 (got 64)',
    ],
    [{ memorySize: 20000 }, 'memorySize must be a whole number of MiB from 128 to 10240 (got 20000)'],
    [
      { environment: { TABLE_NAME: 'other' } },
      'environment: "TABLE_NAME" is set by flowplane (or by Lambda) and cannot be replaced',
    ],
    [
      { routes: { health: { environment: { 'BAD-NAME': 'x' } } } },
      'routes.health.environment: "BAD-NAME" is not an environment variable name',
    ],
    [{ alarmEmails: ['ops@example.com', 'not an address'] }, 'alarmEmails: "not an address" is not an e-mail address'],
    [{ dataKeyGeneration: 0 }, 'dataKeyGeneration must be a whole number from 1 to 10 (got 0)'],
    [{ dataKeyGeneration: Number('two') }, 'dataKeyGeneration must be a whole number from 1 to 10 (got NaN)'],
    [
      { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc' },
      'must be the ARN of a REGIONAL WAFv2 web ACL',
    ],
    [
      { metricsNamespace: 'AWS/Lambda' },
      'metricsNamespace "AWS/Lambda" must be 1–255 letters, digits or . _ - / # : and not start with AWS/',
    ],
    [
      { auth: { oidc: { issuer: 'http://127.0.0.1:8443', audience: 'api' } } },
      'auth.oidc.issuer "http://127.0.0.1:8443" must be an https:// URL',
    ],
    [{ auth: { oidc: { issuer: 'https://id.example.com', audience: '' } } }, 'auth.oidc.audience must not be empty'],
    [
      { auth: { oidc: { issuer: 'https://id.example.com', audience: 'api', jwksUri: 'http://id.example.com/keys' } } },
      'auth.oidc.jwksUri "http://id.example.com/keys" must be an https:// URL',
    ],
    [
      { environment: { OIDC_ISSUER: 'https://id.example.com' } },
      'environment: "OIDC_ISSUER" is set by flowplane (or by Lambda) and cannot be replaced',
    ],
  ] as [Partial<FlowplaneProps>, string][])('%j → %s', (props, message) => {
    // Act
    const problems = flowplanePropsProblems({ ...fine, ...props }, operationIds);
    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  test('a custom domain outside its zone, with a bad name or with base path v1 is refused', () => {
    const hostedZone = { zoneName: 'example.com' } as never;
    const certificate = {} as never;
    const problems = (domainName: string, basePath?: string) =>
      flowplanePropsProblems(
        {
          ...fine,
          customDomain: { domainName, certificate, hostedZone, ...(basePath !== undefined ? { basePath } : {}) },
        },
        operationIds,
      );
    expect(problems('api.example.com')).toEqual([]);
    expect(problems('api.example.com', 'flowplane')).toEqual([]);
    expect(problems('api.example.org')).toEqual([
      'customDomain.domainName "api.example.org" is not in the hosted zone example.com',
    ]);
    expect(problems('API.example.com')[0]).toContain('must be a lower-case host name');
    expect(problems('api.example.com', 'v1')[0]).toContain('would publish /v1/v1/');
    expect(problems('api.example.com', '/flowplane/')[0]).toContain('must be path segments');
  });

  test('an existing table without a stream is refused', () => {
    const stack = new Stack(new App());
    const table = dynamodb.Table.fromTableName(stack, 'T', 'team-table');
    expect(flowplanePropsProblems({ ...fine, table }, operationIds)).toEqual([
      'table: an existing table must have a NEW_AND_OLD_IMAGES stream; import it with tableStreamArn (Table.fromTableAttributes)',
    ]);
  });

  test('the construct refuses wrong props before creating anything, listing every problem', () => {
    // Prepare
    const stack = new Stack(new App(noBundling()), 'Team');
    // Act
    const attempt = () =>
      new Flowplane(stack, 'Flowplane', { stage: 'Prod', throttling: { rateLimit: 100, burstLimit: 10 } });
    // Assess
    expect(attempt).toThrow(
      'Flowplane Team/Flowplane: invalid props:\n  - stage "Prod" must be lower-case letters, digits and dashes, start with a letter, and be at most 21 characters\n  - throttling.burstLimit (10) is below throttling.rateLimit (100)',
    );
    expect(stack.node.findAll().filter((c) => c !== stack && c.node.id !== 'Flowplane')).toEqual([]);
  });

  test('the default app refuses a stage with capitals from context', () => {
    expect(() =>
      buildApp(new App({ ...noBundling(), context: { stage: 'Dev', 'aws:cdk:bundling-stacks': [] } })),
    ).toThrow('stage "Dev" must be lower-case');
  });
});

describe('bearer tokens of an OIDC issuer (auth.oidc)', () => {
  test("every authenticated route's function gets the issuer's settings, /health none; each says the permission it needs", () => {
    // Prepare
    const { app, stack } = buildApp(
      new App({
        ...noBundling(),
        context: {
          stage: 'oidc',
          oidcIssuer: 'https://id.example.com/tenant',
          oidcAudience: 'flowplane-api',
          oidcPermissionsClaim: 'permissions',
          'aws:cdk:bundling-stacks': [],
        },
      }),
    );
    // Act
    app.synth();
    const template = Template.fromStack(stack);
    // Assess
    for (const route of routeList) {
      const variables = variablesOf(stack, stack.flowplane, template, route.operationId);
      const oidc = Object.fromEntries(Object.entries(variables).filter(([name]) => name.startsWith('OIDC_')));
      expect([route.operationId, oidc]).toEqual([
        route.operationId,
        route.authenticated
          ? {
              OIDC_ISSUER: 'https://id.example.com/tenant',
              OIDC_AUDIENCE: 'flowplane-api',
              OIDC_ORGANIZATION_CLAIM: 'org',
              OIDC_PERMISSIONS_CLAIM: 'permissions',
            }
          : {},
      ]);
    }
    const description = (operationId: string) =>
      resourcesOf(template)[
        stack.getLogicalId(stack.flowplane.functions.get(operationId)!.function.node.defaultChild as never)
      ].Properties.Description as string;
    expect(description('updateWorkflow')).toBe('PATCH /v1/workflows/{workflow_id} (needs workflows:write)');
    expect(description('listAuditEvents')).toBe('GET /v1/audit-events (needs audit:read)');
    expect(description('health')).toBe('GET /health');
  });

  test('without it no function reads an issuer, and an http:// issuer from context fails the synth', () => {
    // Prepare
    const { app, stack } = buildApp(
      new App({ ...noBundling(), context: { stage: 'keys', 'aws:cdk:bundling-stacks': [] } }),
    );
    app.synth();
    const template = Template.fromStack(stack);
    // Act
    const loopback = () =>
      buildApp(
        new App({
          ...noBundling(),
          context: {
            stage: 'dev',
            oidcIssuer: 'http://127.0.0.1:9000',
            oidcAudience: 'a',
            'aws:cdk:bundling-stacks': [],
          },
        }),
      );
    // Assess
    for (const route of routeList) {
      const variables = variablesOf(stack, stack.flowplane, template, route.operationId);
      expect(Object.keys(variables).filter((name) => name.startsWith('OIDC_'))).toEqual([]);
    }
    expect(loopback).toThrow('auth.oidc.issuer "http://127.0.0.1:9000" must be an https:// URL');
  });
});

describe('rotation, existing resources and source maps', () => {
  test('-c dataKeyGeneration=3: generation 3 seals, 2 then 1 still open; generation 1 is the resource it always was', () => {
    // Prepare
    const { app, stack } = buildApp(
      new App({ ...noBundling(), context: { stage: 'rot', dataKeyGeneration: '3', 'aws:cdk:bundling-stacks': [] } }),
    );
    // Act
    app.synth();
    const template = Template.fromStack(stack);
    // Assess
    const generations = Object.fromEntries(
      ofType(template, 'AWS::CloudFormation::CustomResource').map(([id, r]) => [id, r.Properties.Generation]),
    );
    expect(generations).toEqual({ SecretsDataKey: '1', SecretsDataKey2: '2', SecretsDataKey3: '3' });
    for (const route of routeList) {
      const variables = variablesOf(stack, stack.flowplane, template, route.operationId);
      if (!route.usesSecrets) {
        expect(variables.DATA_KEY_CIPHERTEXT).toBeUndefined();
        continue;
      }
      expect(variables.DATA_KEY_CIPHERTEXT).toEqual({ 'Fn::GetAtt': ['SecretsDataKey3', 'Ciphertext'] });
      expect(variables.DATA_KEYS_PREVIOUS).toEqual({
        'Fn::Join': [
          '',
          [
            { 'Fn::GetAtt': ['SecretsDataKey2', 'Ciphertext'] },
            ',',
            { 'Fn::GetAtt': ['SecretsDataKey', 'Ciphertext'] },
          ],
        ],
      });
    }
  }, 180_000);

  test('an existing table, key and alarm topic are used instead of new ones, with grants on them', () => {
    // Prepare
    const app = new App(noBundling());
    const stack = new Stack(app, 'Team');
    const encryptionKey = kms.Key.fromKeyArn(
      stack,
      'K',
      'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    );
    const tableKey = kms.Key.fromKeyArn(
      stack,
      'TK',
      'arn:aws:kms:eu-west-1:123456789012:key/66666666-7777-8888-9999-000000000000',
    );
    const table = dynamodb.Table.fromTableAttributes(stack, 'T', {
      tableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/team-flowplane',
      tableStreamArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/team-flowplane/stream/2025-01-01T00:00:00.000',
      encryptionKey: tableKey,
    });
    const alarmTopic = sns.Topic.fromTopicArn(stack, 'A', 'arn:aws:sns:eu-west-1:123456789012:team-alarms');
    // Act
    const flowplane = new Flowplane(stack, 'Flowplane', {
      stage: 'dev',
      table,
      encryptionKey,
      alarmTopic,
      removalPolicy: RemovalPolicy.DESTROY,
      logRetention: logs.RetentionDays.ONE_WEEK,
    });
    const template = Template.fromStack(stack);
    // Assess
    for (const type of ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::SNS::Topic'])
      expect(ofType(template, type)).toEqual([]);
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm');
    // Every route's 5xx rate, p99 latency and function errors at least.
    expect(alarms.length).toBeGreaterThanOrEqual(3 * routeList.length);
    for (const [, alarm] of alarms)
      expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:eu-west-1:123456789012:team-alarms']);
    const variables = variablesOf(stack, flowplane, template, 'updateExecutorConfiguration');
    expect(variables.TABLE_NAME).toBe('team-flowplane');
    const statements = identityStatements(resourcesOf(template));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'dynamodb:GetItem',
        Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/team-flowplane',
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: tableKey.keyArn,
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'kms:GenerateDataKeyWithoutPlaintext', Resource: encryptionKey.keyArn }),
    );
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: table.tableStreamArn });
  });

  test('sourceMaps: true ships the map and turns on --enable-source-maps; the default ships neither', () => {
    // Prepare: the prebuilt bundle each way
    const outdir = mkdtempSync(join(tmpdir(), 'flowplane-cdk-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Maps');
    const on = new FlowplaneFunction(stack, 'On', { bundle: 'health', description: 'GET /health', sourceMaps: true });
    const off = new FlowplaneFunction(stack, 'Off', { bundle: 'health', description: 'GET /health' });
    // Act
    app.synth();
    const template = Template.fromStack(stack);
    // Assess
    const files = (fn: FlowplaneFunction) => {
      const properties = resourcesOf(template)[stack.getLogicalId(fn.function.node.defaultChild as never)].Properties;
      const asset = join(outdir, `asset.${(properties.Code.S3Key as string).replace(/\.zip$/, '')}`);
      return {
        variables: properties.Environment.Variables,
        files: readdirSync(asset).sort(),
        code: readFileSync(join(asset, 'index.mjs'), 'utf8'),
      };
    };
    const withMaps = files(on);
    expect(withMaps.variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(withMaps.files).toEqual(['index.mjs', 'index.mjs.map']);
    expect(withMaps.code).toContain('sourceMappingURL=index.mjs.map');
    const without = files(off);
    expect(without.variables.NODE_OPTIONS).toBeUndefined();
    expect(without.files).toEqual(['index.mjs']);
    expect(without.code).not.toContain('sourceMappingURL');
  }, 180_000);
});
