/**
 * Issue 12, §2 defect 3: the secrets inside `notification_settings` — every value of a
 * Slack config's `credentials` and of a webhook config's `headers` — are sealed at rest
 * (each bound to its workflow and place), shown as `********` in every answer, event and
 * audit entry, and kept when the mask is sent back; a masked webhook header is kept only
 * while its webhook's URL keeps its origin. Through the real handlers, against DynamoDB
 * Local, with the table stream's consumers for events and audit entries.
 */
import { randomUUID } from 'node:crypto';
import { notificationSecretContext } from '../../../functions/domain/workflow/notifications.js';
import { isSealed, openSecret } from '../../../functions/secrets/envelope.js';
import { workflowKey, workflowVersionKey } from '../../../functions/store/keys.js';
import { newOrganization, type Organization, rawItem } from '../../support/api.js';
import {
  auditEntriesOf,
  organizationRecords,
  runConsumers,
  sinkEventsAbout,
  useEventSink,
} from '../../support/streams.js';
import { createWorkflow, deployWorkflow, getWorkflow, listWorkflows, patchWorkflow } from '../../support/workflows.js';

let org: Organization;
beforeAll(async () => {
  org = await newOrganization();
});

const slackToken = 'xoxb-s3cr3t-slack-token';
const hookSecret = 'Bearer s3cr3t-webhook';

/** Settings with a Slack token and signing secret, and a webhook with two header values. */
const settings = (hook = 'https://hooks.example.com/kyc', authorization = hookSecret, token = slackToken) => ({
  on_success: { slack: [{ channels: ['#kyc'], credentials: { access_token: token, team: 'T123' } }] },
  on_error: {
    webhook: [{ url: hook, headers: { Authorization: authorization, 'X-Trace': 'trace-s3cr3t' } }],
    email: [{ to: ['ops@example.com'] }],
  },
});

const masked = (hook = 'https://hooks.example.com/kyc') => ({
  on_success: { slack: [{ channels: ['#kyc'], credentials: { access_token: '********', team: '********' } }] },
  on_error: {
    webhook: [{ url: hook, headers: { Authorization: '********', 'X-Trace': '********' } }],
    email: [{ to: ['ops@example.com'] }],
  },
});

const places = [
  '/on_success/slack/0/credentials/access_token',
  '/on_success/slack/0/credentials/team',
  '/on_error/webhook/0/headers/Authorization',
  '/on_error/webhook/0/headers/X-Trace',
];

async function created(body: Record<string, unknown> = {}): Promise<string> {
  const reply = await createWorkflow(org, {
    name: `notify-${randomUUID()}`,
    notification_settings: settings(),
    ...body,
  });
  expect(reply.status).toBe(201);
  return reply.body.id;
}

test('sealed at rest, bound to the workflow and place; every answer shows the mask', async () => {
  // Act
  const id = await created();
  const item = await rawItem(workflowKey(org.organizationId, id));
  const snapshot = await rawItem(workflowVersionKey(org.organizationId, id, 1));
  const answers = [
    (await getWorkflow(org, id)).body,
    (await getWorkflow(org, id, { version: '1' })).body,
    (await listWorkflows(org)).body.items.find((w: { id: string }) => w.id === id),
  ];
  // Assess
  for (const answer of answers) expect(answer.notification_settings).toEqual(masked());
  expect(JSON.parse(item?.fields.notification_settings)).toEqual(masked());
  expect(Object.keys(item?.notificationSecrets).sort()).toEqual([...places].sort());
  expect(snapshot?.notificationSecrets).toEqual(item?.notificationSecrets);
  expect(JSON.stringify(item)).not.toContain('s3cr3t');
  for (const place of places) expect(isSealed(item?.notificationSecrets[place])).toBe(true);
  await expect(
    openSecret(item?.notificationSecrets[places[0]], notificationSecretContext(org.organizationId, id, places[0])),
  ).resolves.toBe(JSON.stringify(slackToken));
  await expect(
    openSecret(item?.notificationSecrets[places[2]], notificationSecretContext(org.organizationId, id, places[2])),
  ).resolves.toBe(JSON.stringify(hookSecret));
  // Bound to its place: the same ciphertext does not open as another place's.
  await expect(
    openSecret(item?.notificationSecrets[places[2]], notificationSecretContext(org.organizationId, id, places[3])),
  ).rejects.toThrow();
});

test('the mask sent back keeps every stored value (a GET body sent back changes nothing); with a change, they stay as stored', async () => {
  // Prepare
  const id = await created();
  const read = await getWorkflow(org, id);
  const before = await rawItem(workflowKey(org.organizationId, id));
  // Act
  const unchanged = await patchWorkflow(org, id, read.body);
  const afterNoOp = await rawItem(workflowKey(org.organizationId, id));
  const edited = await patchWorkflow(org, id, {
    description: 'edited',
    notification_settings: masked('https://hooks.example.com/other-path'),
  });
  const deployed = await patchWorkflow(
    org,
    id,
    { notification_settings: masked('https://hooks.example.com/other-path') },
    { deploy: 'true' },
  );
  // Assess
  expect(unchanged).toMatchObject({ status: 200, headers: { etag: read.headers.etag } });
  expect(afterNoOp).toEqual(before);
  expect(edited.status).toBe(200);
  expect(deployed.status).toBe(200);
  expect((await rawItem(workflowKey(org.organizationId, id)))?.notificationSecrets).toEqual(
    before?.notificationSecrets,
  );
  expect((await rawItem(workflowVersionKey(org.organizationId, id, 2)))?.notificationSecrets).toEqual(
    before?.notificationSecrets,
  );
});

test('a new value replaces its place only; dropping a config drops its secrets; null clears them all', async () => {
  // Prepare
  const id = await created();
  const before = (await rawItem(workflowKey(org.organizationId, id)))?.notificationSecrets;
  const withNewToken = masked();
  withNewToken.on_success.slack[0].credentials.access_token = 'xoxb-s3cr3t-rotated';
  // Act
  const replaced = await patchWorkflow(org, id, { notification_settings: withNewToken });
  const afterReplace = (await rawItem(workflowKey(org.organizationId, id)))?.notificationSecrets;
  const dropped = await patchWorkflow(org, id, { notification_settings: { on_error: masked().on_error } });
  const afterDrop = (await rawItem(workflowKey(org.organizationId, id)))?.notificationSecrets;
  const cleared = await patchWorkflow(org, id, { notification_settings: null });
  const afterClear = await rawItem(workflowKey(org.organizationId, id));
  // Assess
  expect([replaced.status, dropped.status, cleared.status]).toEqual([200, 200, 200]);
  expect(afterReplace?.[places[0]]).not.toBe(before?.[places[0]]);
  await expect(
    openSecret(afterReplace?.[places[0]], notificationSecretContext(org.organizationId, id, places[0])),
  ).resolves.toBe(JSON.stringify('xoxb-s3cr3t-rotated'));
  expect({ ...afterReplace, [places[0]]: before?.[places[0]] }).toEqual(before);
  expect(Object.keys(afterDrop ?? {}).sort()).toEqual(places.slice(2).sort());
  expect(afterClear?.notificationSecrets).toBeUndefined();
  expect(cleared.body.notification_settings).toEqual({});
});

test("a rollback brings back the version's sealed secrets, which the mask then keeps", async () => {
  // Prepare
  const id = await created();
  const version1 = (await rawItem(workflowVersionKey(org.organizationId, id, 1)))?.notificationSecrets;
  expect((await patchWorkflow(org, id, { notification_settings: null }, { deploy: 'true' })).status).toBe(200);
  // Act
  const rolledBack = await deployWorkflow(org, id, { from_version: '1' });
  const kept = await patchWorkflow(org, id, { description: 'after the rollback', notification_settings: masked() });
  // Assess
  expect(rolledBack.status).toBe(200);
  expect(rolledBack.body.notification_settings).toEqual(masked());
  expect(kept.status).toBe(200);
  expect((await rawItem(workflowKey(org.organizationId, id)))?.notificationSecrets).toEqual(version1);
  expect((await rawItem(workflowVersionKey(org.organizationId, id, 3)))?.notificationSecrets).toEqual(version1);
});

describe('a mask that cannot keep a stored value: 422 at its place, nothing written', () => {
  test.each([
    ['another host', 'https://attacker.example/kyc', 'secret_same_destination'],
    ['another scheme', 'http://hooks.example.com/kyc', 'secret_same_destination'],
    ['another port', 'https://hooks.example.com:8443/kyc', 'secret_same_destination'],
  ])('the webhook URL moved to %s', async (_what, hook, _rule) => {
    // Prepare
    const id = await created();
    const before = await rawItem(workflowKey(org.organizationId, id));
    // Act
    const staged = await patchWorkflow(org, id, { notification_settings: masked(hook) });
    const deployed = await patchWorkflow(org, id, { notification_settings: masked(hook) }, { deploy: 'true' });
    // Assess
    for (const reply of [staged, deployed]) {
      expect(reply.status).toBe(422);
      expect(reply.body.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([
        ['body', 'notification_settings', 'on_error', 'webhook', 0, 'headers', 'Authorization'],
        ['body', 'notification_settings', 'on_error', 'webhook', 0, 'headers', 'X-Trace'],
      ]);
      expect(reply.body.detail[0].msg).toContain('send this header');
    }
    expect(await rawItem(workflowKey(org.organizationId, id))).toEqual(before);
  });

  test('the webhook moved with its header values sent again: accepted, and bound to the new origin', async () => {
    // Prepare
    const id = await created();
    // Act
    const moved = await patchWorkflow(org, id, {
      notification_settings: settings('https://attacker.example/kyc', 'Bearer s3cr3t-new'),
    });
    const thenMasked = await patchWorkflow(org, id, {
      description: 'kept at the new origin',
      notification_settings: masked('https://attacker.example/other'),
    });
    // Assess
    expect([moved.status, thenMasked.status]).toEqual([200, 200]);
  });

  test('a mask at a place where nothing is stored (a new header, a new Slack config, a new workflow)', async () => {
    // Prepare
    const id = await created();
    const before = await rawItem(workflowKey(org.organizationId, id));
    const newHeader = masked();
    (newHeader.on_error.webhook[0].headers as Record<string, string>)['X-New'] = '********';
    // Act
    const reply = await patchWorkflow(org, id, { notification_settings: newHeader });
    const onCreate = await createWorkflow(org, { name: 'masked from the start', notification_settings: masked() });
    // Assess
    expect(reply.status).toBe(422);
    expect(reply.body.detail).toEqual([
      expect.objectContaining({
        type: 'value_error',
        loc: ['body', 'notification_settings', 'on_error', 'webhook', 0, 'headers', 'X-New'],
        msg: expect.stringContaining('none is stored here'),
      }),
    ]);
    expect(await rawItem(workflowKey(org.organizationId, id))).toEqual(before);
    expect(onCreate.status).toBe(422);
    expect(onCreate.body.detail).toHaveLength(4);
  });
});

test('a too-long header value is refused without echoing it', async () => {
  // Prepare
  const id = await created();
  // Act
  const reply = await patchWorkflow(org, id, {
    notification_settings: settings('https://hooks.example.com/kyc', `s3cr3t-${'x'.repeat(8_000)}`),
  });
  // Assess
  expect(reply.status).toBe(422);
  expect(reply.body.detail[0]).toMatchObject({
    type: 'string_too_long',
    loc: ['body', 'notification_settings', 'on_error', 'webhook', 0, 'headers', 'Authorization'],
  });
  expect(JSON.stringify(reply.body)).not.toContain('s3cr3t');
});

test('events and audit entries show the mask, never a secret or a sealed value', async () => {
  // Prepare
  const sink = useEventSink();
  const id = await created();
  const withNewToken = masked();
  withNewToken.on_success.slack[0].credentials.access_token = 'xoxb-s3cr3t-rotated';
  expect((await patchWorkflow(org, id, { notification_settings: withNewToken })).status).toBe(200);
  expect(
    (
      await patchWorkflow(
        org,
        id,
        { notification_settings: settings('https://hooks.example.com/kyc', 'Bearer s3cr3t-again') },
        { deploy: 'true' },
      )
    ).status,
  ).toBe(200);
  // Act
  await runConsumers(await organizationRecords(org.organizationId));
  // Assess
  const events = sinkEventsAbout(sink, id);
  const audit = await auditEntriesOf(org.organizationId, id);
  expect(events.map((event) => event['detail-type'])).toEqual([
    'WorkflowCreated',
    'WorkflowDeployed',
    'WorkflowUpdated',
    'WorkflowUpdated',
    'WorkflowDeployed',
  ]);
  expect(events[2].detail.changedFields).toEqual(['hasPendingChanges', 'notificationSecrets']);
  const createdEntry = audit.find((entry) => entry.action === 'created');
  expect(createdEntry?.changes.notification_settings.to.on_error.webhook[0].headers).toEqual({
    Authorization: '********',
    'X-Trace': '********',
  });
  expect(audit.find((entry) => entry.action === 'updated')?.changes.notificationSecrets).toBeDefined();
  const text = JSON.stringify({ events, audit });
  expect(text).not.toContain('s3cr3t');
  expect(text).not.toContain('enc:v1');
});
