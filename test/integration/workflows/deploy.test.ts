/**
 * PUT /v1/workflows/{workflow_id} (deploy, and roll back with from_version) through the real handler, against DynamoDB
 * Local.
 */
import { randomUUID } from 'node:crypto';
import { getDocumentClient } from '../../../functions/store/client.js';
import { countDynamoRequests, newOrganization } from '../../support/api.js';
import { createWorkflow, deployWorkflow, getWorkflow, patchWorkflow, seedNode } from '../../support/workflows.js';

test('PUT deploys the working copy; from_version rolls back as a new version', async () => {
  // Prepare
  const org = await newOrganization();
  const { body: created } = await createWorkflow(org, {
    name: 'original',
    llm_credentials: { name: 'k', value: 'first-secret-value' },
  });
  await patchWorkflow(org, created.id, { name: 'second', orchestration_nodes: [seedNode()], llm_credentials: null });
  // Act
  const v2 = await deployWorkflow(org, created.id);
  // Assess
  expect(v2.body).toMatchObject({ version: 2, name: 'second', has_pending_changes: false, llm_credentials: null });
  expect(v2.body.orchestration_nodes).toHaveLength(1);
  // Act
  await patchWorkflow(org, created.id, { name: 'staged, then discarded' });
  const v3 = await deployWorkflow(org, created.id, { from_version: '1' });
  // Assess
  expect(v3.body).toMatchObject({
    version: 3,
    name: 'original',
    orchestration_nodes: [],
    has_pending_changes: false,
    is_latest: true,
  });
  expect(v3.body.llm_credentials).toEqual({ name: 'k', value: '********', description: null });
  expect((await deployWorkflow(org, created.id, { from_version: '9' })).status).toBe(404);
});

test('two DynamoDB requests to deploy, two to roll back (key cached)', async () => {
  // Prepare
  const org = await newOrganization();
  const { body: created } = await createWorkflow(org);
  await getWorkflow(org, created.id);
  await patchWorkflow(org, created.id, { description: 'deployed' }, { deploy: 'true' });
  const counter = countDynamoRequests();
  try {
    counter.reset();
    // Act
    const deployed = await deployWorkflow(org, created.id);
    // Assess
    expect(deployed.status).toBe(200);
    expect(counter.sent).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    counter.reset();
    // Act
    const rolledBack = await deployWorkflow(org, created.id, { from_version: '1' });
    // Assess
    expect(rolledBack.status).toBe(200);
    expect(counter.sent).toEqual(['BatchGetItemCommand', 'TransactWriteItemsCommand']);
  } finally {
    counter.stop();
  }
});

/**
 * Runs `overtake` (another writer) just before the first `TransactWriteItems` leaves, and
 * records every request the document client sends, by command name.
 */
function overtakeFirstDeploy(overtake: () => Promise<unknown>) {
  const sent: string[] = [];
  const name = `overtake-${randomUUID()}`;
  let overtaken = false;
  getDocumentClient().middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      if (context.commandName === 'TransactWriteItemsCommand' && !overtaken) {
        overtaken = true;
        await overtake();
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { sent, stop: () => getDocumentClient().middlewareStack.remove(name) };
}

test('a deploy another write overtakes deploys again on the working copy its failed transaction returned: no read again, nothing lost', async () => {
  // Prepare
  const org = await newOrganization();
  const { body: created } = await createWorkflow(org);
  await patchWorkflow(org, created.id, { name: 'staged before the deploy' });
  const race = overtakeFirstDeploy(() => patchWorkflow(org, created.id, { description: 'staged meanwhile' }));
  try {
    // Act
    const deployed = await deployWorkflow(org, created.id);
    // Assess
    expect(deployed.status).toBe(200);
    expect(deployed.body).toMatchObject({
      version: 2,
      name: 'staged before the deploy',
      description: 'staged meanwhile',
      has_pending_changes: false,
    });
    expect(deployed.headers.etag).toBe('"4"');
    expect(race.sent).toEqual([
      'GetItemCommand',
      'TransactWriteItemsCommand',
      'UpdateItemCommand',
      'TransactWriteItemsCommand',
    ]);
    const v2 = await getWorkflow(org, created.id, { version: '2' });
    expect(v2.body).toMatchObject({ name: 'staged before the deploy', description: 'staged meanwhile' });
  } finally {
    race.stop();
  }
});

test('with If-Match, a deploy another write overtakes is 412 at once and deploys nothing', async () => {
  // Prepare
  const org = await newOrganization();
  const { body: created } = await createWorkflow(org);
  const race = overtakeFirstDeploy(() => patchWorkflow(org, created.id, { description: 'staged meanwhile' }));
  try {
    // Act
    const refused = await deployWorkflow(org, created.id, {}, { 'if-match': '"1"' });
    // Assess
    expect(refused.status).toBe(412);
    expect(race.sent).toEqual(['GetItemCommand', 'TransactWriteItemsCommand', 'UpdateItemCommand']);
    expect((await getWorkflow(org, created.id)).body).toMatchObject({ version: 1, has_pending_changes: true });
  } finally {
    race.stop();
  }
});
