/**
 * The routes xpander's SDK calls (issue 12 §1), through the real handlers on DynamoDB
 * Local: `Agents.list()` parses a bare JSON array of `AgentsListItem`s, `Agents.get(id)` /
 * `Agent.load(id, version)` read one workflow (the version as header `x-agent-version`).
 * The SDK's models are pydantic models; `sdkAgent` / `sdkListItem` state what they require
 * of a field (the facts), so a null where the SDK wants a string fails here.
 */
import { randomUUID } from 'node:crypto';
import { newOrganization, type Organization } from '../../support/api.js';
import { getAgent, listAgents, sdkNodeProblems } from '../../support/agents.js';
import {
  addWorkflowNode,
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  patchWorkflow,
  removeWorkflowNode,
  seedNode,
} from '../../support/workflows.js';

const isString = (value: unknown) => typeof value === 'string';
const isStringList = (value: unknown) => Array.isArray(value) && value.every(isString);
/**
 * The SDK's `AgentInstructions`: an object whose role and goal are string lists and general a string, each defaulted
 * when missing.
 */
const isInstructions = (value: any) =>
  value !== null &&
  typeof value === 'object' &&
  (value.role === undefined || isStringList(value.role)) &&
  (value.goal === undefined || isStringList(value.goal)) &&
  (value.general === undefined || isString(value.general));
const isDateTime = (value: unknown) => isString(value) && !Number.isNaN(Date.parse(value));

/** The fields of the SDK's `Agent` whose type a flowplane answer could break, each with what the model accepts. */
function sdkAgentProblems(body: any): string[] {
  const rules: Record<string, (value: unknown) => boolean> = {
    id: isString,
    organization_id: isString,
    name: isString,
    unique_name: isString,
    environment_id: isString,
    description: (v) => v === undefined || v === null || isString(v),
    icon: (v) => v === undefined || v === null || isString(v),
    access_scope: (v) => v === undefined || v === null || v === 'personal' || v === 'organizational',
    instructions: (v) => v === undefined || v === null || isInstructions(v),
    status: (v) => v === undefined || v === null || ['DRAFT', 'ACTIVE', 'INACTIVE'].includes(v as string),
    type: (v) =>
      v === undefined || v === null || ['manager', 'regular', 'a2a', 'curl', 'orchestration'].includes(v as string),
    deployment_type: (v) => v === undefined || v === null || ['serverless', 'container'].includes(v as string),
  };
  return Object.entries(rules)
    .filter(([field, fits]) => !fits(body[field]))
    .map(([field]) => `${field}: ${JSON.stringify(body[field])}`);
}

/**
 * The same for `AgentsListItem` (required: id, name, icon, instructions, status, organization_id, created_at; older
 * releases also deployment_provider).
 */
function sdkListItemProblems(item: any): string[] {
  const rules: Record<string, (value: unknown) => boolean> = {
    id: isString,
    name: isString,
    icon: isString,
    instructions: isInstructions,
    status: (v) => ['DRAFT', 'ACTIVE', 'INACTIVE'].includes(v as string),
    organization_id: isString,
    created_at: isDateTime,
    description: (v) => v === undefined || v === null || isString(v),
    deployment_provider: (v) => ['xpander', 'worker', 'gpuCloud', 'k8s'].includes(v as string),
  };
  return Object.entries(rules)
    .filter(([field, fits]) => !fits(item[field]))
    .map(([field]) => `${field}: ${JSON.stringify(item[field])}`);
}

let org: Organization;
beforeEach(async () => {
  org = await newOrganization();
});

test("Agents.list(): a bare array of the organization's workflows as AgentsListItems, each of which loads", async () => {
  // Prepare
  const first = (await createWorkflow(org, { name: 'Serasa KYC', instructions: { role: ['check documents'] } })).body;
  const second = (
    await createWorkflow(org, { name: 'Payroll', description: 'monthly', icon: '💸', access_scope: 'organizational' })
  ).body;
  const stranger = await newOrganization();
  await createWorkflow(stranger, { name: 'not theirs' });
  // Act
  const list = await listAgents(org);
  const loaded = await Promise.all(list.body.map((item: { id: string }) => getAgent(org, item.id)));
  // Assess
  expect(list.status).toBe(200);
  expect(Array.isArray(list.body)).toBe(true);
  expect(list.headers['x-next-cursor']).toBeUndefined();
  expect(list.body.map((item: { id: string }) => item.id)).toEqual([first.id, second.id]);
  expect(list.body.flatMap(sdkListItemProblems)).toEqual([]);
  expect(list.body[0]).toMatchObject({
    name: 'Serasa KYC',
    unique_name: 'serasa-kyc',
    icon: '🚀',
    instructions: { role: ['check documents'], goal: [], general: '' },
    status: 'ACTIVE',
    organization_id: org.organizationId,
    created_at: first.created_at,
    description: '',
    access_scope: 'personal',
    type: 'orchestration',
  });
  expect(list.body[1]).toMatchObject({ description: 'monthly', icon: '💸', access_scope: 'organizational' });
  expect(loaded.map((reply) => reply.status)).toEqual([200, 200]);
  expect(loaded.flatMap((reply) => sdkAgentProblems(reply.body))).toEqual([]);
});

test('an empty organization lists []', async () => {
  // Act
  const list = await listAgents(org);
  // Assess
  expect(list.status).toBe(200);
  expect(list.body).toEqual([]);
});

test('Agents.get(id): the document GET /v1/workflows/{id} answers, ETag included; unique_name and environment_id are strings', async () => {
  // Prepare
  const { body: created } = await createWorkflow(org, { name: 'Serasa KYC' });
  await patchWorkflow(org, created.id, { description: 'staged' });
  // Act
  const agent = await getAgent(org, created.id);
  const workflow = await getWorkflow(org, created.id);
  // Assess
  expect(agent.status).toBe(200);
  expect(agent.body).toEqual(workflow.body);
  expect(agent.headers.ETag ?? agent.headers.etag).toBe(workflow.headers.ETag ?? workflow.headers.etag);
  expect(agent.body).toMatchObject({
    unique_name: 'serasa-kyc',
    environment_id: 'default',
    description: 'staged',
    has_pending_changes: true,
  });
  expect(sdkAgentProblems(agent.body)).toEqual([]);
});

test('Agent.load(id, version): header x-agent-version (or ?version=) reads that deployed version', async () => {
  // Prepare
  const { body: created } = await createWorkflow(org, { name: 'versioned' });
  await patchWorkflow(org, created.id, { model_name: 'gpt-5' }, { deploy: 'true' });
  // Act
  const byHeader = await getAgent(org, created.id, {}, { 'x-agent-version': '1' });
  const byQuery = await getAgent(org, created.id, { version: '2' });
  const missing = await getAgent(org, created.id, {}, { 'x-agent-version': '3' });
  const malformed = await getAgent(org, created.id, {}, { 'x-agent-version': 'latest' });
  // Assess
  expect(byHeader.body).toMatchObject({ version: 1, is_latest: false, model_name: 'claude-sonnet-4-6' });
  expect(byQuery.body).toMatchObject({ version: 2, is_latest: true, model_name: 'gpt-5' });
  expect(sdkAgentProblems(byHeader.body)).toEqual([]);
  expect(missing.status).toBe(404);
  expect(missing.body).toEqual({ detail: expect.any(String) });
  expect(malformed.status).toBe(422);
  expect(malformed.body.detail[0]).toMatchObject({ loc: ['query', 'version'] });
});

test("another organization's agent, a deleted one and an unknown id are 404 {detail}; a malformed id is 422", async () => {
  // Prepare
  const stranger = await newOrganization();
  const theirs = (await createWorkflow(stranger, { name: 'theirs' })).body;
  const gone = (await createWorkflow(org, { name: 'gone' })).body;
  expect((await deleteWorkflow(org, gone.id)).status).toBe(202);
  // Act
  const replies = await Promise.all([getAgent(org, theirs.id), getAgent(org, gone.id), getAgent(org, randomUUID())]);
  const malformed = await getAgent(org, 'list-of-things');
  const listed = await listAgents(org);
  // Assess
  expect(replies.map((reply) => [reply.status, Object.keys(reply.body)])).toEqual([
    [404, ['detail']],
    [404, ['detail']],
    [404, ['detail']],
  ]);
  expect(malformed.status).toBe(422);
  expect(listed.body).toEqual([]);
});

test('a list past about 4 MB ends where it must and names where to go on: x-next-cursor, then ?next= lists the rest', async () => {
  // Prepare: 14 workflows of about 300 kB of instructions each (4.2 MB in all).
  const role = Array.from({ length: 30 }, (_, i) => `${i}`.padEnd(10_000, 'x'));
  const ids: string[] = [];
  for (let i = 0; i < 14; i += 1) {
    const created = await createWorkflow(org, { name: `big ${i}`, instructions: { role } });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  // Act
  const first = await listAgents(org);
  const rest = await listAgents(org, { next: first.headers['x-next-cursor'] });
  const tampered = await listAgents(org, { next: `${first.headers['x-next-cursor']}x` });
  // Assess
  expect(first.status).toBe(200);
  expect(first.body.length).toBe(13);
  expect(Buffer.byteLength(JSON.stringify(first.body))).toBeLessThanOrEqual(4_000_000);
  expect(first.headers['x-next-cursor']).toEqual(expect.any(String));
  expect(rest.body.map((item: { id: string }) => item.id)).toEqual(ids.slice(13));
  expect(rest.headers['x-next-cursor']).toBeUndefined();
  expect([...first.body, ...rest.body].map((item: { id: string }) => item.id)).toEqual(ids);
  expect(tampered.status).toBe(422);
});

test('after node edits (issue 24) the SDK still loads the workflow: every node fits its OrchestrationNode', async () => {
  // Prepare
  const { body: created } = await createWorkflow(org, { name: 'edited', orchestration_nodes: [seedNode()] });
  const agent = (
    await addWorkflowNode(org, created.id, { name: 'Ask', agent_id: 'agent-1', after_node_ids: ['start'] })
  ).body[1].id;
  await addWorkflowNode(
    org,
    created.id,
    { name: 'Send', connection_id: 'mail', operation_id: 'send', instructions: 'Be short', after_node_ids: [agent] },
    { deploy: 'false' },
  );
  await addWorkflowNode(org, created.id, {
    name: 'Gate',
    advanced: { type: 'guardrail', definition: { groups: [{ id: 'pass' }, { id: 'fail' }] } },
    next_node_ids: ['start'],
  });
  await removeWorkflowNode(org, created.id, agent, { deploy: 'false' });
  // Act
  const working = await getAgent(org, created.id);
  const deployed = await getAgent(org, created.id, {}, { 'x-agent-version': '3' });
  // Assess
  expect(working.body.orchestration_nodes.map((node: { name: string }) => node.name)).toEqual([
    'Start',
    'Send',
    'Gate',
  ]);
  expect(deployed.body.orchestration_nodes.map((node: { name: string }) => node.name)).toEqual([
    'Start',
    'Ask',
    'Send',
    'Gate',
  ]);
  for (const reply of [working, deployed]) {
    expect(sdkAgentProblems(reply.body)).toEqual([]);
    expect(reply.body.orchestration_nodes.flatMap(sdkNodeProblems)).toEqual([]);
  }
  // The check reads what the SDK reads: a pointer without its type in the definition does not fit.
  expect(sdkNodeProblems({ type: 'agent', id: 'x', next_node_ids: [], definition: { asset_id: 'a' } })).toHaveLength(1);
});
