/** POST /v1/workflows through the real handler, against DynamoDB Local. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { handler as createHandler } from '../../../functions/workflows/create.js';
import { getDocumentClient, tableName } from '../../../functions/store/client.js';
import { workflowKey } from '../../../functions/store/keys.js';
import { invoke, newOrganization, restEvent } from '../../support/api.js';
import { assertWorkflowReply } from '../../support/schemas.js';
import { createWorkflow, workflowHeaders } from '../../support/workflows.js';

test('creates a workflow deployed as version 1, every response field at its documented default', async () => {
  // Prepare
  const org = await newOrganization();
  // Act
  const reply = await createWorkflow(org, { name: 'Support triage' });
  // Assess
  expect(reply.status).toBe(201);
  expect(reply.headers.etag).toBe('"1"');
  expect(reply.body).toMatchObject({
    name: 'Support triage',
    organization_id: org.organizationId,
    type: 'orchestration',
    version: 1,
    is_latest: true,
    has_pending_changes: false,
    icon: '🚀',
    avatar: 'male-avatar',
    model_provider: 'anthropic',
    model_name: 'claude-sonnet-4-6',
    llm_reasoning_effort: 'medium',
    output_format: 'markdown',
    framework: 'agno',
    status: 'ACTIVE',
    description: '',
    deployment_type: 'serverless',
    access_scope: 'personal',
    llm_credentials_key_type: 'xpander',
    instructions: { role: [], goal: [], general: '' },
    orchestration_nodes: [],
    created_by: 'test',
  });
  expect(reply.body.webhook_url).toMatch(new RegExp(`/v1/workflows/${reply.body.id}/invoke$`));
  const snapshots = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: { ':pk': workflowKey(org.organizationId, reply.body.id).pk, ':v': 'VERSION#' },
    }),
  );
  expect(snapshots.Items?.map((item) => item.version)).toEqual([1]);
});

test('requires a name, refuses another type and unknown fields (FastAPI 422, every problem)', async () => {
  // Prepare
  const org = await newOrganization();
  // Act
  const reply = await invoke(
    createHandler,
    restEvent({
      method: 'POST',
      path: '/v1/workflows',
      headers: workflowHeaders(org),
      body: { type: 'manager', colour: 'red', status: 'ON' },
    }),
  );
  // Assess
  assertWorkflowReply(reply);
  expect(reply.status).toBe(422);
  const found = reply.body.detail.map((d: { type: string; loc: unknown[] }) => [d.type, d.loc]);
  expect(found).toEqual(
    expect.arrayContaining([
      ['missing', ['body', 'name']],
      ['extra_forbidden', ['body', 'colour']],
      ['enum', ['body', 'type']],
      ['enum', ['body', 'status']],
    ]),
  );
});
