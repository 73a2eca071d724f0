/**
 * Issue 12: a workflow's `unique_name` is always a string — a slug of its name at
 * creation, unique within the organization (a numbered suffix on a clash, race-proof
 * through a claim item written with the workflow), the same for every spelling of the
 * same name, stable when the name changes, freed when the workflow is deleted. Through
 * the real handlers, against DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { workflowUniqueNameKey } from '../../../functions/store/keys.js';
import { newOrganization, rawItem } from '../../support/api.js';
import { createWorkflow, deleteWorkflow, getWorkflow, listWorkflows, patchWorkflow } from '../../support/workflows.js';

test('Serasa KYC is serasa-kyc; it stays when the name changes; GET, list and a deployed version all show it', async () => {
  // Prepare
  const org = await newOrganization();
  // Act
  const created = await createWorkflow(org, { name: 'Serasa KYC' });
  const renamed = await patchWorkflow(org, created.body.id, { name: 'Serasa KYC (v2)' }, { deploy: 'true' });
  const read = await getWorkflow(org, created.body.id);
  const version1 = await getWorkflow(org, created.body.id, { version: '1' });
  const listed = await listWorkflows(org);
  // Assess
  expect(created.body.unique_name).toBe('serasa-kyc');
  expect(renamed.body).toMatchObject({ name: 'Serasa KYC (v2)', unique_name: 'serasa-kyc' });
  expect(read.body.unique_name).toBe('serasa-kyc');
  expect(version1.body).toMatchObject({ name: 'Serasa KYC', unique_name: 'serasa-kyc' });
  expect(listed.body.items.map((item: { unique_name: string }) => item.unique_name)).toEqual(['serasa-kyc']);
  expect(await rawItem(workflowUniqueNameKey(org.organizationId, 'serasa-kyc'))).toMatchObject({
    workflowId: created.body.id,
  });
});

test('case, blanks, NFD/NFC and invisible characters make the same slug, so each later spelling gets the next suffix', async () => {
  // Prepare
  const org = await newOrganization();
  const spellings = ['Café Pay', 'CAFÉ PAY', ' Cafe\u0301 Pay\t', 'café\u200b\u00a0pay'];
  // Act
  const uniqueNames: string[] = [];
  for (const name of spellings) uniqueNames.push((await createWorkflow(org, { name })).body.unique_name);
  // Assess
  expect(uniqueNames).toEqual(['cafe-pay', 'cafe-pay-2', 'cafe-pay-3', 'cafe-pay-4']);
});

test('10 concurrent creates with one name get 10 distinct unique names, each claimed by its own workflow', async () => {
  // Prepare
  const org = await newOrganization();
  // Act
  const replies = await Promise.all(Array.from({ length: 10 }, () => createWorkflow(org, { name: 'Serasa KYC' })));
  // Assess
  expect(replies.map((reply) => reply.status)).toEqual(Array(10).fill(201));
  const uniqueNames = replies.map((reply) => reply.body.unique_name as string);
  expect(new Set(uniqueNames).size).toBe(10);
  for (const name of uniqueNames) expect(name).toMatch(/^serasa-kyc(-([2-9]|10|[0-9a-f]{6}))?$/);
  for (const reply of replies) {
    expect(await rawItem(workflowUniqueNameKey(org.organizationId, reply.body.unique_name))).toMatchObject({
      workflowId: reply.body.id,
    });
  }
});

test('a deleted workflow frees its unique name; another organization has its own', async () => {
  // Prepare
  const org = await newOrganization();
  const other = await newOrganization();
  const name = `Fraud Check ${randomUUID().slice(0, 8)}`;
  const first = await createWorkflow(org, { name });
  // Act
  const elsewhere = await createWorkflow(other, { name });
  await deleteWorkflow(org, first.body.id);
  const claimAfterDelete = await rawItem(workflowUniqueNameKey(org.organizationId, first.body.unique_name));
  const again = await createWorkflow(org, { name });
  // Assess
  expect(elsewhere.body.unique_name).toBe(first.body.unique_name);
  expect(claimAfterDelete).toBeUndefined();
  expect(again.body.unique_name).toBe(first.body.unique_name);
});
