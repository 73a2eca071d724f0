/**
 * The stateful-diff rules on hand-written templates: each way an upgrade could lose data is
 * refused, and the changes an upgrade makes every day pass. The real templates, an earlier
 * release's against today's, are compared in test/upgrade/stateful-diff.test.ts.
 */
import { statefulProblems } from '../../../scripts/stateful-diff.js';

const gsi = (name: string) => ({
  IndexName: name,
  KeySchema: [
    { AttributeName: `${name}pk`, KeyType: 'HASH' },
    { AttributeName: `${name}sk`, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
});

const table = (indexes: string[] = ['gsi1'], overrides: Record<string, unknown> = {}) => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: indexes.map(gsi),
    StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    ...overrides,
  },
});

const stack = (resources: Record<string, unknown>) => ({
  Resources: {
    Key961B73FD: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
    EventsBus45DE4339: { Type: 'AWS::Events::EventBus', Properties: { Name: 'flowplane-test' } },
    EventsStreamDeadLetters145AF669: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1_209_600 } },
    healthLogsE48FA139: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
    SecretsDataKey: {
      Type: 'AWS::CloudFormation::CustomResource',
      Properties: { ServiceToken: 'arn', Generation: '1' },
    },
    TableCD117FA1: table(),
    ...resources,
  },
});

test('the same template, or one that only updates, adds or drops what holds no data, passes', () => {
  // Prepare
  const before = stack({ HealthFunction: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: 256 } } });
  const after = stack({
    TableCD117FA1: table(['gsi1', 'gsi2']),
    healthLogsE48FA139: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 90 } },
    NewQueue: { Type: 'AWS::SQS::Queue', Properties: {} },
  });
  // Act / Assess
  expect(statefulProblems(before, before)).toEqual([]);
  expect(statefulProblems(before, after)).toEqual([]);
});

test("a function's grants moved from its AWS::IAM::Policy into its role's inline policy (InlinePolicyRole) pass", () => {
  // Prepare
  const statement = { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn' };
  const role = (policies?: unknown[]) => ({
    Type: 'AWS::IAM::Role',
    Properties: { AssumeRolePolicyDocument: {}, ...(policies ? { Policies: policies } : {}) },
  });
  const before = stack({
    HealthRole: role(),
    HealthRoleDefaultPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: { PolicyDocument: { Statement: [statement] }, Roles: [{ Ref: 'HealthRole' }] },
    },
  });
  const after = stack({
    HealthRole: role([{ PolicyName: 'access', PolicyDocument: { Statement: [statement] } }]),
  });
  // Act / Assess
  expect(statefulProblems(before, after)).toEqual([]);
});

test('a replaced table, a removed queue, a renamed log group and a key turned into something else are refused', () => {
  // Prepare
  const before = stack({});
  const {
    EventsStreamDeadLetters145AF669: _queue,
    healthLogsE48FA139: logs,
    ...kept
  } = stack({
    TableCD117FA1: table(['gsi1'], {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }),
    Key961B73FD: { Type: 'AWS::KMS::ReplicaKey', Properties: {} },
  }).Resources;
  const after = { Resources: { ...kept, healthLogsRenamed: logs } };
  // Act
  const problems = statefulProblems(before, after);
  // Assess
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^TableCD117FA1 \(AWS::DynamoDB::Table\): (will|may) replace$/),
      'EventsStreamDeadLetters145AF669 (AWS::SQS::Queue) is removed: its logical id is frozen',
      'healthLogsE48FA139 (AWS::Logs::LogGroup) is removed: its logical id is frozen',
      'Key961B73FD (AWS::KMS::Key) becomes AWS::KMS::ReplicaKey',
    ]),
  );
  expect(problems).toHaveLength(4);
});

test('a secrets data key generation removed is refused', () => {
  // Prepare
  const { SecretsDataKey: _key, ...rest } = stack({}).Resources;
  // Act / Assess
  expect(statefulProblems(stack({}), { Resources: rest })).toEqual([
    'SecretsDataKey (AWS::CloudFormation::CustomResource) is removed: its logical id is frozen',
  ]);
});

test('two global secondary indexes created, or one created and one deleted, in one update are refused', () => {
  // Act
  const two = statefulProblems(stack({}), stack({ TableCD117FA1: table(['gsi1', 'gsi2', 'gsi3']) }));
  const swap = statefulProblems(stack({}), stack({ TableCD117FA1: table(['gsi2']) }));
  // Assess
  expect(two).toEqual([expect.stringMatching(/^TableCD117FA1: \+gsi2, \+gsi3 in one update/)]);
  expect(swap).toEqual([expect.stringMatching(/^TableCD117FA1: \+gsi2, -gsi1 in one update/)]);
});

test("a change of the table's stream is refused", () => {
  // Act
  const problems = statefulProblems(
    stack({}),
    stack({ TableCD117FA1: table(['gsi1'], { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } }) }),
  );
  // Assess
  expect(problems).toEqual(['TableCD117FA1: its stream changes (a new stream makes the stream consumers start over)']);
});
