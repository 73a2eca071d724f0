/**
 * `npm run api-key -- create --org ORG --stage dev` finds the table in the deployed
 * stack's outputs with one CloudFormation DescribeStacks — here a stand-in CloudFormation
 * on 127.0.0.1 (AWS_ENDPOINT_URL_CLOUDFORMATION, the SDK's own override) answering the
 * AWS Query protocol, whose TableName output is DynamoDB Local's table. TABLE_NAME, when
 * set, still wins and no DescribeStacks is sent.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient } from '../../functions/store/client.js';
import { apiKeysByOrganization } from '../../functions/store/keys.js';
import { tableDefinition } from '../../functions/store/table.js';
import { runApiKeyCommand } from '../../scripts/api-key.js';

const saved = { ...process.env };
const table = process.env.TABLE_NAME as string;
const requests: { action: string | null; stack: string | null; authorization: string }[] = [];
let server: Server;

/** Stacks the stand-in knows, with their outputs. */
const stacks: Record<string, Record<string, string>> = {
  'Flowplane-dev': { ApiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev', TableName: table, BusName: 'bus' },
  'Flowplane-half': { ApiUrl: 'https://x' },
  // A team's stack with the construct's outputs (cfnOutputs: true): CDK prefixes the path and suffixes a hash.
  TeamPlatform: { FlowplaneApiUrl1A2B3C4D: 'https://api.example.com', FlowplaneTableName0F1E2D3C: table, Url: 'x' },
};

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      const stack = form.get('StackName');
      requests.push({ action: form.get('Action'), stack, authorization: String(request.headers.authorization ?? '') });
      response.setHeader('content-type', 'text/xml');
      const outputs = stack ? stacks[stack] : undefined;
      if (!outputs) {
        response
          .writeHead(400)
          .end(
            `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${stack} does not exist</Message></Error><RequestId>r1</RequestId></ErrorResponse>`,
          );
        return;
      }
      const members = Object.entries(outputs)
        .map(([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${value}</OutputValue></member>`)
        .join('');
      response
        .writeHead(200)
        .end(
          `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${stack}</StackName><StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/${stack}/1</StackId><CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></DescribeStacksResponse>`,
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_CLOUDFORMATION: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'api-key-test-secret',
  });
});

beforeEach(() => {
  requests.length = 0;
  delete process.env.TABLE_NAME;
});

afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});

async function cli(...args: string[]) {
  const lines: string[] = [];
  const code = await runApiKeyCommand(args, (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

const keysOf = async (org: string) =>
  (
    await getDocumentClient().send(
      new QueryCommand({
        TableName: table,
        IndexName: tableDefinition.gsi1.name,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': apiKeysByOrganization(org).gsi1pk },
      }),
    )
  ).Items ?? [];

test('create --stage dev reads TableName from Flowplane-dev with one signed DescribeStacks and stores the key there', async () => {
  // Prepare
  const org = `stage-${randomUUID()}`;
  // Act
  const created = await cli('create', '--org', org, '--stage', 'dev');
  // Assess
  expect(created.code).toBe(0);
  expect(created.text).toMatch(/API key \(shown once, store it now\): fp_/);
  expect(requests).toEqual([
    {
      action: 'DescribeStacks',
      stack: 'Flowplane-dev',
      authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//),
    },
  ]);
  expect(await keysOf(org)).toHaveLength(1);
});

test('TABLE_NAME wins: no DescribeStacks is sent', async () => {
  // Prepare
  process.env.TABLE_NAME = table;
  const org = `env-${randomUUID()}`;
  // Act
  const created = await cli('create', '--org', org, '--stage', 'nowhere');
  // Assess
  expect(created.code).toBe(0);
  expect(requests).toEqual([]);
  expect(await keysOf(org)).toHaveLength(1);
});

test("--stack names a team's own stack", async () => {
  const org = `stack-${randomUUID()}`;
  expect((await cli('create', '--org', org, '--stack', 'Flowplane-dev')).code).toBe(0);
  expect(requests.map((r) => r.stack)).toEqual(['Flowplane-dev']);
  expect(await keysOf(org)).toHaveLength(1);
});

test("--stack finds the construct's own table output in a team's stack", async () => {
  // Prepare
  const org = `construct-${randomUUID()}`;
  // Act
  const created = await cli('create', '--org', org, '--stack', 'TeamPlatform');
  // Assess
  expect(created.code).toBe(0);
  expect(requests.map((r) => r.stack)).toEqual(['TeamPlatform']);
  expect(await keysOf(org)).toHaveLength(1);
});

test('a missing stack, a stack without TableName, or no table named at all: a clear message, exit 2, nothing written', async () => {
  // Prepare
  const org = `none-${randomUUID()}`;
  // Act
  const missing = await cli('create', '--org', org, '--stage', 'nope');
  const half = await cli('create', '--org', org, '--stage', 'half');
  const unnamed = await cli('create', '--org', org);
  const both = await cli('create', '--org', org, '--stage', 'dev', '--stack', 'x');
  // Assess
  expect(missing).toEqual({
    code: 2,
    text: 'could not read the outputs of stack Flowplane-nope: ValidationError: Stack with id Flowplane-nope does not exist',
  });
  expect(half).toEqual({
    code: 2,
    text: 'stack Flowplane-half has no TableName output (is it a flowplane stack, fully deployed?)',
  });
  expect(unnamed.code).toBe(2);
  expect(unnamed.text).toContain('name the table: --stage STAGE');
  expect(both).toEqual({ code: 2, text: 'give --stage or --stack, not both' });
  expect(await keysOf(org)).toEqual([]);
});
