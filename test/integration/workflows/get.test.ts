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

test('x-agent-version sent beside ?version= is still checked: an empty or malformed one is 422 at the header (issue 25)', async () => {
  // Prepare
  const org = await newOrganization();
  const { body: created } = await createWorkflow(org);
  // Act
  const empty = await getWorkflow(org, created.id, { version: '1' }, { 'x-agent-version': '' });
  const object = await getWorkflow(org, created.id, { version: '1' }, { 'x-agent-version': '{}' });
  const valid = await getWorkflow(org, created.id, { version: '1' }, { 'x-agent-version': '1' });
  // Assess
  expect(empty.status).toBe(422);
  expect(empty.body.detail).toEqual([
    { type: 'int_parsing', loc: ['header', 'x-agent-version'], msg: 'Input should be a positive integer', input: '' },
  ]);
  expect(object.status).toBe(422);
  expect(object.body.detail[0]).toMatchObject({ loc: ['header', 'x-agent-version'], input: '{}' });
  expect(valid.status).toBe(200);
  expect(valid.body.version).toBe(1);
});
