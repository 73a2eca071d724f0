/**
 * Issue 12, §2 defect 1: `?deploy=` means what FastAPI reads it as. `1, true, t, yes, y,
 * on` (any case) deploy; `0, false, f, no, n, off` only stage; anything else is 422 and
 * nothing is written. Through the real PATCH handler, against DynamoDB Local.
 */
import { workflowKey } from '../../../functions/store/keys.js';
import { newOrganization, type Organization, rawItem } from '../../support/api.js';
import { createWorkflow, patchWorkflow } from '../../support/workflows.js';

let org: Organization;
beforeAll(async () => {
  org = await newOrganization();
});

test.each(['1', 'true', 't', 'yes', 'y', 'on', 'TRUE', 'T', 'Yes', 'Y', 'ON', 'tRuE'])(
  'deploy=%s deploys a new version',
  async (spelling) => {
    // Prepare
    const { body: created } = await createWorkflow(org);
    // Act
    const reply = await patchWorkflow(
      org,
      created.id,
      { description: `deployed by ${spelling}` },
      { deploy: spelling },
    );
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      version: 2,
      has_pending_changes: false,
      description: `deployed by ${spelling}`,
    });
  },
);

test.each(['0', 'false', 'f', 'no', 'n', 'off', 'FALSE', 'F', 'No', 'N', 'OFF', 'fAlSe'])(
  'deploy=%s only stages',
  async (spelling) => {
    // Prepare
    const { body: created } = await createWorkflow(org);
    // Act
    const reply = await patchWorkflow(org, created.id, { description: `staged by ${spelling}` }, { deploy: spelling });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ version: 1, has_pending_changes: true, description: `staged by ${spelling}` });
  },
);

test.each(['', 'maybe', 'tru', '2', 'yes please'])(
  'deploy=%j is 422 bool_parsing and nothing is written',
  async (spelling) => {
    // Prepare
    const { body: created } = await createWorkflow(org);
    const before = await rawItem(workflowKey(org.organizationId, created.id));
    // Act
    const reply = await patchWorkflow(org, created.id, { description: 'never' }, { deploy: spelling });
    // Assess
    expect(reply.status).toBe(422);
    expect(reply.body.detail).toEqual([expect.objectContaining({ type: 'bool_parsing', loc: ['query', 'deploy'] })]);
    expect(await rawItem(workflowKey(org.organizationId, created.id))).toEqual(before);
  },
);
