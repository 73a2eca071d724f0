/**
 * Writes that meet what release 0.1.0 left in clear before the migration reaches it (issue 20:
 * writers write the current format). With the migration off, a node added and deployed, a
 * `PUT` deploy of the working copy and a rollback to a version 0.1.0 deployed each seal the
 * notification secrets they copy, as the migration would, and stamp the new version's format:
 * no item holds a secret in clear that 0.1.0 did not leave there.
 */
import { currentFormats } from '../../functions/domain/formats.js';
import { expectStatus } from '../support/upgrade/http.js';
import { type Item, secretsIn, type Upgrade, upgradeFrom } from '../support/upgrade/scenario.js';

const mask = '********';

/** The items holding a secret of the data set in clear, by entity and key. */
const inClear = (items: Item[]) =>
  items
    .filter((item) => secretsIn(JSON.stringify(item)).length > 0)
    .map((item) => `${item.entity} ${item.pk} ${item.sk}`)
    .sort();

describe('writes on a table release 0.1.0 wrote, the migration switched off', () => {
  let upgrade: Upgrade;

  beforeAll(async () => {
    upgrade = await upgradeFrom('0.1.0', { migrate: false });
    await upgrade.server.streamsDrained();
  }, 600_000);

  afterAll(async () => {
    await upgrade?.stop();
  });

  test('a node deploy, a PUT deploy and a rollback seal what they copy in clear and write the current format', async () => {
    // Prepare
    const { triage, notify } = upgrade.data.workflows;
    const touched = new Set([triage.id, notify.id]);
    const workingCopies = upgrade.before.filter((item) => item.entity === 'workflow' && touched.has(item.id));
    expect(inClear(workingCopies)).toHaveLength(2);
    const leftByTheRelease = inClear(upgrade.before.filter((item) => !workingCopies.includes(item)));
    // Act
    const added = await expectStatus(upgrade.client, 200, 'POST', `/v1/workflows/${notify.id}/nodes`, {
      body: { name: 'Escalate', agent_id: 'agent-escalation' },
    });
    const deployed = await expectStatus(upgrade.client, 200, 'PUT', `/v1/workflows/${triage.id}`);
    const rolledBack = await expectStatus(upgrade.client, 200, 'PUT', `/v1/workflows/${triage.id}?from_version=1`);
    const kept = await expectStatus(upgrade.client, 200, 'PATCH', `/v1/workflows/${triage.id}?deploy=true`, {
      body: { notification_settings: rolledBack.body.notification_settings, description: 'after the rollback' },
    });
    const items = await upgrade.scan();
    // Assess
    expect(added.body.map((node: any) => node.name)).toEqual(['Escalate']);
    expect([deployed.body.version, rolledBack.body.version, kept.body.version]).toEqual(
      [1, 2, 3].map((n) => triage.version + n),
    );
    expect(rolledBack.body.notification_settings.on_error.slack[0].credentials).toEqual({ token: mask });
    expect(inClear(items)).toEqual(leftByTheRelease);
    const newVersions = items.filter(
      (item) =>
        item.entity === 'workflowVersion' &&
        item.version >
          (item.workflowId === notify.id ? notify.version : item.workflowId === triage.id ? triage.version : Infinity),
    );
    expect(newVersions.map((item) => [item.workflowId, item.version, item.formatVersion]).sort()).toEqual(
      [[notify.id, notify.version + 1], ...[1, 2, 3].map((n) => [triage.id, triage.version + n])]
        .map(([id, version]) => [id, version, currentFormats.workflowVersion])
        .sort(),
    );
  });
});
