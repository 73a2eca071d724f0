/** GET /v1/workflows through the real handler, against DynamoDB Local. */
import { newOrganization } from '../../support/api.js';
import { createWorkflow, listWorkflows } from '../../support/workflows.js';

test('GET /v1/workflows lists only the caller organization, paged by an opaque cursor', async () => {
  // Prepare
  const org = await newOrganization();
  const other = await newOrganization();
  const ids = [];
  for (let i = 0; i < 3; i += 1) ids.push((await createWorkflow(org, { name: `wf-${i}` })).body.id);
  await createWorkflow(other);
  const forged = Buffer.from(
    JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: `ORG#${other.organizationId}#WORKFLOWS`, gsi1sk: 'z' }),
  ).toString('base64url');
  // Act
  const first = await listWorkflows(org, { limit: '2' });
  const second = await listWorkflows(org, { limit: '2', next: first.body.next });
  const exact = await listWorkflows(org, { limit: '3' });
  const refused = await listWorkflows(org, { next: forged });
  const badLimit = await listWorkflows(org, { limit: '0' });
  // Assess
  expect([...first.body.items, ...second.body.items].map((w: { id: string }) => w.id)).toEqual(ids);
  expect(second.body.next).toBeNull();
  expect(exact.body.next).toBeNull();
  expect(refused.status).toBe(422);
  expect(badLimit.status).toBe(422);
});

test('workflows past 1 MB on one page (where DynamoDB ends a Query) are all listed: a shorter page, and a next', async () => {
  // Prepare: 5 workflows of about 300 kB of instructions each, under the default limit of 20.
  const org = await newOrganization();
  const role = Array.from({ length: 30 }, (_, i) => `${i}`.padEnd(10_000, 'x'));
  const ids: string[] = [];
  for (let i = 0; i < 5; i += 1)
    ids.push((await createWorkflow(org, { name: `big ${i}`, instructions: { role } })).body.id);
  // Act
  const listed: string[] = [];
  const pages: number[] = [];
  let next: string | undefined;
  do {
    const page = await listWorkflows(org, next ? { next } : {});
    pages.push(page.body.items.length);
    listed.push(...page.body.items.map((item: { id: string }) => item.id));
    next = page.body.next ?? undefined;
  } while (next && pages.length < 10);
  // Assess
  expect(listed).toEqual(ids);
  expect(pages.length).toBeGreaterThan(1);
});
