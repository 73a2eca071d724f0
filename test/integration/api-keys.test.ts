/**
 * API keys: the CLI, hashes only at rest, the 60 s cache, revocation, the key header on a request, and the
 * permissions a key is given (all of them for a key stored before they existed).
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { apiKeyCacheMillis, authenticateApiKey, clearApiKeyCache } from '../../functions/auth/api-keys.js';
import { hashApiKey } from '../../functions/domain/api-keys.js';
import { handler as getHandler } from '../../functions/executors/get.js';
import { revokeApiKey } from '../../functions/store/api-keys.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import { apiKeyKey, apiKeysByOrganization, workflowKey } from '../../functions/store/keys.js';
import { tableDefinition } from '../../functions/store/table.js';
import { runApiKeyCommand } from '../../scripts/api-key.js';
import { invoke, newOrganization, type Organization, rawItem, restEvent } from '../support/api.js';
import { completeExecutorBody, createExecutor } from '../support/executors.js';
import { addWorkflowNode, createWorkflow, removeWorkflowNode } from '../support/workflows.js';

async function cli(...args: string[]) {
  const lines: string[] = [];
  const code = await runApiKeyCommand(args, (line) => lines.push(line));
  return { code, lines };
}

test('create prints the key once and stores only its hash', async () => {
  // Prepare
  const org = `cli-${randomUUID()}`;
  // Act
  const created = await cli('create', '--org', org, '--name', 'ci');
  // Assess
  expect(created.code).toBe(0);
  const apiKey = /API key \(shown once, store it now\): (\S+)/.exec(created.lines.join('\n'))?.[1] as string;
  expect(apiKey).toMatch(/^fp_[A-Za-z0-9_-]{43}$/);
  const { Items } = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: tableDefinition.gsi1.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': apiKeysByOrganization(org).gsi1pk },
    }),
  );
  expect(Items).toHaveLength(1);
  expect(JSON.stringify(Items)).not.toContain(apiKey);
  expect(Items?.[0].keyHash).toBe(hashApiKey(apiKey));
  const listed = await cli('list', '--org', org);
  expect(listed.lines.join('\n')).toContain(apiKey.slice(0, 10));
  expect(listed.lines.join('\n')).not.toContain(apiKey);
});

test('a revoked key keeps working from cache for at most 60 s, then gets 401', async () => {
  // Prepare
  const org = `rev-${randomUUID()}`;
  const created = await cli('create', '--org', org);
  const apiKey = /store it now\): (\S+)/.exec(created.lines.join('\n'))?.[1] as string;
  clearApiKeyCache();
  const t0 = Date.now();
  await expect(authenticateApiKey(apiKey, t0)).resolves.toMatchObject({ organizationId: org });
  // Act
  expect((await cli('revoke', '--org', org, '--prefix', apiKey.slice(0, 10))).code).toBe(0);
  // Assess
  await expect(authenticateApiKey(apiKey, t0 + apiKeyCacheMillis - 1_000)).resolves.toMatchObject({
    organizationId: org,
  });
  await expect(authenticateApiKey(apiKey, t0 + apiKeyCacheMillis + 1)).rejects.toThrow('API Key missing or invalid');
  expect((await cli('list', '--org', org)).lines.join('\n')).toContain('revoked');
  clearApiKeyCache();
  const reply = await invoke(
    getHandler,
    restEvent({
      method: 'GET',
      path: `/v1/executors/${randomUUID()}`,
      pathParameters: { id: randomUUID() },
      headers: { 'X-API-Key': apiKey },
    }),
  );
  expect(reply.status).toBe(401);
});

test('usage errors exit non-zero', async () => {
  // Act
  const noOrg = await cli('create');
  const noPrefix = await cli('revoke', '--org', 'x');
  const noSuchKey = await cli('revoke', '--org', `none-${randomUUID()}`, '--prefix', 'fp_nothing');
  // Assess
  expect([noOrg.code, noPrefix.code, noSuchKey.code]).toEqual([2, 2, 1]);
});

test('an organization id outside [A-Za-z0-9._:-]{1,128} is refused, and nothing is stored', async () => {
  for (const org of ['acme#AUDIT#x', '', 'a b', 'x'.repeat(129)]) {
    // Act
    const result = await cli('create', '--org', org);
    // Assess
    expect(result.code).not.toBe(0);
    expect(result.lines.join('\n')).not.toMatch(/shown once/);
  }
  const { Items } = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: tableDefinition.gsi1.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': apiKeysByOrganization('acme#AUDIT#x').gsi1pk },
    }),
  );
  expect(Items).toHaveLength(0);
});

describe('the key on a request', () => {
  let org: Organization;
  let id: string;
  beforeAll(async () => {
    org = await newOrganization();
    id = (await createExecutor(org, completeExecutorBody())).body.id;
  });

  test('the key header is accepted in any letter case', async () => {
    for (const header of ['x-api-key', 'X-API-KEY', 'X-Api-Key']) {
      // Act
      const reply = await invoke(
        getHandler,
        restEvent({
          method: 'GET',
          path: `/v1/executors/${id}`,
          pathParameters: { id },
          headers: { [header]: org.apiKey },
        }),
      );
      // Assess
      expect(reply.status).toBe(200);
    }
  });

  test('a revoked key is refused once the cache is gone', async () => {
    // Prepare
    const victim = await newOrganization();
    await revokeApiKey(victim.organizationId, victim.apiKey.slice(0, 10));
    clearApiKeyCache();
    // Act
    const reply = await invoke(
      getHandler,
      restEvent({
        method: 'GET',
        path: `/v1/executors/${id}`,
        pathParameters: { id },
        headers: { 'X-API-Key': victim.apiKey },
      }),
    );
    // Assess
    expect(reply.status).toBe(401);
  });
});

describe('permissions of a key', () => {
  const getExecutorAs = (apiKey: string, id: string) =>
    invoke(
      getHandler,
      restEvent({
        method: 'GET',
        path: `/v1/executors/${id}`,
        pathParameters: { id },
        headers: { 'X-API-Key': apiKey },
      }),
    );

  test('create --permissions stores them, list shows them, and the key may do exactly that', async () => {
    // Prepare
    const org = `perm-${randomUUID()}`;
    // Act
    const created = await cli(
      'create',
      '--org',
      org,
      '--name',
      'deployer',
      '--permissions',
      'workflows:read,workflows:deploy',
    );
    const everything = await cli('create', '--org', org, '--name', 'admin');
    // Assess
    expect(created.code).toBe(0);
    expect(created.lines).toContain('permissions: workflows:read,workflows:deploy');
    expect(everything.lines).toContain(
      'permissions: executors:read,executors:write,executors:test,workflows:read,workflows:write,workflows:deploy,audit:read',
    );
    const deployer = /store it now\): (\S+)/.exec(created.lines.join('\n'))?.[1] as string;
    const admin = /store it now\): (\S+)/.exec(everything.lines.join('\n'))?.[1] as string;
    const listed = (await cli('list', '--org', org)).lines;
    expect(listed.find((line) => line.startsWith(deployer.slice(0, 10)))).toMatch(/ workflows:read,workflows:deploy$/);
    expect(listed.find((line) => line.startsWith(admin.slice(0, 10)))).toMatch(/ executors:read,.*,audit:read$/);
    const id = (await createExecutor({ organizationId: org, apiKey: admin }, completeExecutorBody())).body.id;
    const refused = await getExecutorAs(deployer, id);
    expect([refused.status, refused.body]).toEqual([
      403,
      { code: 'FORBIDDEN', title: 'Forbidden', message: 'Missing permission executors:read' },
    ]);
    expect((await getExecutorAs(admin, id)).status).toBe(200);
  });

  test('a node added or removed deploys by default, so a key needs workflows:deploy beside workflows:write; deploy=false stages with write alone', async () => {
    // Prepare
    const org = `perm-${randomUUID()}`;
    const keyOf = async (...permissions: string[]) => {
      const created = await cli('create', '--org', org, '--permissions', permissions.join(','));
      return { organizationId: org, apiKey: /store it now\): (\S+)/.exec(created.lines.join('\n'))?.[1] as string };
    };
    const writer = await keyOf('workflows:write');
    const deployer = await keyOf('workflows:write', 'workflows:deploy');
    const id = (await createWorkflow(writer)).body.id;
    const node = { name: 'Billing agent', agent_id: 'agent-billing' };
    // Act
    const addByWriter = await addWorkflowNode(writer, id, node);
    const removeByWriter = await removeWorkflowNode(writer, id, 'none-yet');
    const staged = await addWorkflowNode(writer, id, node, { deploy: 'false' });
    const deployed = await addWorkflowNode(deployer, id, node);
    const removed = await removeWorkflowNode(deployer, id, (deployed.body as { id: string }[])[0].id);
    // Assess
    const forbidden = [403, { detail: 'Missing permission workflows:deploy' }];
    expect([addByWriter.status, addByWriter.body]).toEqual(forbidden);
    expect([removeByWriter.status, removeByWriter.body]).toEqual(forbidden);
    expect([staged.status, deployed.status, removed.status]).toEqual([200, 200, 200]);
    expect(await rawItem(workflowKey(org, id))).toMatchObject({
      version: 3,
      authorizedBy: { principal: `apikey:${deployer.apiKey.slice(0, 10)}`, permission: 'workflows:deploy' },
    });
  });

  test('an unknown permission, or none, is refused with the list of names, and nothing is stored', async () => {
    // Prepare
    const org = `perm-${randomUUID()}`;
    // Act
    const unknown = await cli('create', '--org', org, '--permissions', 'workflows:read,workflows:admin');
    const none = await cli('create', '--org', org, '--permissions', ' , ');
    // Assess
    expect(unknown.code).toBe(2);
    expect(unknown.lines.join('\n')).toContain('unknown permission workflows:admin');
    expect(unknown.lines.join('\n')).toContain('executors:read, executors:write, executors:test');
    expect(none.code).toBe(2);
    expect((await cli('list', '--org', org)).lines).toEqual([`no keys for organization ${org}`]);
  });

  test('a key stored before permissions existed (no permissions attribute) lists them all and may do everything', async () => {
    // Prepare
    const org = await newOrganization();
    const prefix = org.apiKey.slice(0, 10);
    await getDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: apiKeyKey(hashApiKey(org.apiKey)),
        UpdateExpression: 'REMOVE #permissions',
        ExpressionAttributeNames: { '#permissions': 'permissions' },
      }),
    );
    clearApiKeyCache();
    const id = (await createExecutor(org, completeExecutorBody())).body.id;
    // Act
    const listed = (await cli('list', '--org', org.organizationId)).lines;
    const reply = await getExecutorAs(org.apiKey, id);
    // Assess
    expect(listed.find((line) => line.startsWith(prefix))).toMatch(/ executors:read,.*,audit:read$/);
    expect(reply.status).toBe(200);
  });
});
