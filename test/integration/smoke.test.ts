import { handler as create } from '../../functions/executors/create.js';
import { countDynamoRequests, invoke, newOrganization, restEvent } from '../support/api.js';

test('create works end to end', async () => {
  const { apiKey } = await newOrganization();
  const counter = countDynamoRequests();
  const reply = await invoke(create, restEvent({ method: 'POST', path: '/v1/executors', headers: { 'X-API-Key': apiKey }, body: { name: 'a' } }));
  console.log(reply, counter.sent);
  expect(reply.status).toBe(201);
});
