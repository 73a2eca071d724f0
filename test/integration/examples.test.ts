/**
 * Issue 25, "Proof" (no browser): every operation of the route table that takes a body is
 * sent its documented example, unchanged, through the local server (the built bundles, as
 * `npm start` serves them), and answers its documented success status. Each operation runs
 * in an organization of its own, as on a fresh `npm start`; the resources its path names
 * are created first by sending the example of the collection's own POST (`{id}` of
 * `/v1/executors/{id}` by the example of `POST /v1/executors`), and their `id` goes into
 * the path. A route added to the table is covered as it is added: it must carry an example
 * (functions/pipeline/route.ts), and a path whose resources no POST creates fails here.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateApiKey } from '../../functions/domain/api-keys.js';
import type { OpenApiDocument, OpenApiOperation } from '../../functions/openapi.js';
import { routeList } from '../../functions/routes.js';
import { type LocalServer, startLocalServer } from '../../scripts/local/server.js';
import { newOrganization, type Organization } from '../support/api.js';

const functionsDir = fileURLToPath(new URL('../../dist/functions/', import.meta.url));

let server: LocalServer;
let document: OpenApiDocument;

beforeAll(async () => {
  // A table of its own, for the server and the organizations this file creates: the server's stream consumers and
  // migration must not touch other files' items (jest runs two workers on one DynamoDB Local; see test/README.md).
  process.env.TABLE_NAME = `flowplane-examples-${randomUUID()}`;
  server = await startLocalServer({
    port: 0,
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT,
    tableName: process.env.TABLE_NAME,
    apiKey: generateApiKey(),
    organizationId: `examples-${randomUUID()}`,
    functionsDir,
    secretsKeyFile: process.env.SECRETS_KEY_FILE,
    eventsSinkFile: join(mkdtempSync(join(tmpdir(), 'flowplane-examples-')), 'events.ndjson'),
    // The suite's table is shared: only what happens from now on is this server's to consume.
    streamStartingPosition: 'LATEST',
  });
  document = (await (await fetch(`${server.url}/openapi.json`)).json()) as OpenApiDocument;
});

afterAll(async () => {
  await server?.stop();
});

interface Sent {
  status: number;
  body: Record<string, unknown> | undefined;
}

const operationAt = (path: string, method: string): OpenApiOperation | undefined =>
  document.paths[path]?.[method.toLowerCase()];

/** The status the document promises when the operation succeeds: its one 2xx. */
function successOf(operation: OpenApiOperation): number {
  const statuses = Object.keys(operation.responses)
    .map(Number)
    .filter((status) => status >= 200 && status < 300);
  if (statuses.length !== 1) throw new Error(`${operation.operationId} documents ${statuses.length} success statuses`);
  return statuses[0];
}

/** Sends an operation's documented body example, as "Try it out" does, to `path` with its placeholders filled. */
async function sendExample(org: Organization, method: string, template: string, path: string): Promise<Sent> {
  const operation = operationAt(template, method)!;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'X-API-Key': org.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify(operation.requestBody!.content['application/json'].example),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/**
 * `template` with each placeholder replaced by the id of a resource made for it: the POST
 * on the path up to the placeholder, sent its own example (its placeholders filled the same way).
 */
async function pathFor(org: Organization, template: string): Promise<string> {
  let path = template;
  for (const match of template.matchAll(/\{([^}]+)\}/g)) {
    const collection = template.slice(0, match.index - 1);
    const create = operationAt(collection, 'POST');
    if (!create?.requestBody)
      throw new Error(`no POST ${collection} with an example creates the ${match[0]} of ${template}`);
    const created = await sendExample(org, 'POST', collection, path.slice(0, path.indexOf(match[0]) - 1));
    if (created.status !== successOf(create) || typeof created.body?.id !== 'string')
      throw new Error(`POST ${collection} to create ${match[0]}: ${created.status} ${JSON.stringify(created.body)}`);
    path = path.replace(match[0], created.body.id);
  }
  return path;
}

const withBody = routeList.filter((route) => route.request.body);

test('the route table has operations with a body to send', () => {
  // Act / Assess
  expect(withBody.map((route) => route.operationId)).toEqual(
    expect.arrayContaining([
      'createExecutorConfiguration',
      'updateExecutorConfiguration',
      'createWorkflow',
      'updateWorkflow',
    ]),
  );
});

test.each(withBody.map((route) => [`${route.method} ${route.path}`, route] as const))(
  '%s: its documented example, sent unchanged, answers its documented success status',
  async (_name, route) => {
    // Prepare
    const org = await newOrganization();
    const operation = operationAt(route.path, route.method)!;
    const path = await pathFor(org, route.path);
    // Act
    const sent = await sendExample(org, route.method, route.path, path);
    // Assess
    expect({ status: sent.status, answer: sent.body }).toMatchObject({ status: successOf(operation) });
  },
);
