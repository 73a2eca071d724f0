/** GET /v1/workflows/{workflow_id} through the real handler, against DynamoDB Local. */
import { newOrganization } from '../../support/api.js';
import { createWorkflow, getWorkflow, patchWorkflow } from '../../support/workflows.js';

test('a deployed version is read by ?version= or by the x-agent-version header, the latest marked is_latest', async () => {
  // Prepare
  const org = await newOrganization();
  const { body: created } = await createWorkflow(org, { name: 'wf', description: 'kept' });
  await patchWorkflow(org, created.id, { model_name: 'gpt-5' });
  await patchWorkflow(org, created.id, { output_format: 'json' }, { deploy: 'true' });
  // Act
  const v2 = await getWorkflow(org, created.id, { version: '2' });
  const v1 = await getWorkflow(org, created.id, {}, { 'x-agent-version': '1' });
  // Assess
  expect(v2.body).toMatchObject({ version: 2, is_latest: true, model_name: 'gpt-5', output_format: 'json' });
  expect(v1.body).toMatchObject({
    version: 1,
    is_latest: false,
    model_name: 'claude-sonnet-4-6',
    output_format: 'markdown',
  });
});
