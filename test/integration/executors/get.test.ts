/** GET /v1/executors/{id} through the real handler, against DynamoDB Local. */
import { newOrganization } from '../../support/api.js';
import { completeExecutorBody, createExecutor, getExecutor } from '../../support/executors.js';

test('answers the executor exactly as create returned it, secrets masked', async () => {
  // Prepare
  const org = await newOrganization();
  const created = await createExecutor(org, completeExecutorBody('Serasa KYC'));
  // Act
  const fetched = await getExecutor(org, created.body.id);
  // Assess
  expect(fetched.status).toBe(200);
  expect(fetched.body).toEqual(created.body);
});
