/** DELETE /v1/workflows/{workflow_id} through the real handler, against DynamoDB Local. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getDocumentClient, tableName } from '../../../functions/store/client.js';
import { workflowKey } from '../../../functions/store/keys.js';
import { newOrganization } from '../../support/api.js';
import {
  createWorkflow,
  deleteWorkflow,
  deployWorkflow,
  getWorkflow,
  patchWorkflow,
  workflowVersions,
} from '../../support/workflows.js';

test('DELETE answers 202; afterwards 404 everywhere and every snapshot is gone', async () => {
  // Prepare
  const org = await newOrganization();
  const { body: created } = await createWorkflow(org);
  await deployWorkflow(org, created.id);
  // Act
  const reply = await deleteWorkflow(org, created.id);
  // Assess (the helper checks the reply against the deletion schema)
  expect(reply.status).toBe(202);
  expect((await getWorkflow(org, created.id)).status).toBe(404);
  expect((await getWorkflow(org, created.id, { version: '1' })).status).toBe(404);
  expect((await workflowVersions(org, created.id)).status).toBe(404);
  expect((await deployWorkflow(org, created.id)).status).toBe(404);
  expect((await patchWorkflow(org, created.id, { name: 'x' })).status).toBe(404);
  const left = await getDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': workflowKey(org.organizationId, created.id).pk },
    }),
  );
  expect(left.Items?.map((item) => item.sk)).toEqual(['TOMBSTONE']);
  expect((await deleteWorkflow(org, created.id)).status).toBe(404);
});
