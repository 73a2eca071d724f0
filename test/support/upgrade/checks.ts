/**
 * What must hold after an upgrade from an earlier release (issue 20): every item it wrote
 * readable and writable through every route, both stream consumers at work, no secret in
 * clear anywhere (answers, table items, events, audit entries, logs), audit chains that
 * verify with nothing replayed, names and slugs unique. One `describe` per earlier
 * release; the steps run in order on one table and share what they learn.
 */
import { currentFormats } from '../../../functions/domain/formats.js';
import { migrateTable } from '../../../functions/migrations/run.js';
import { routeList } from '../../../functions/routes.js';
import { runApiKeyCommand } from '../../../scripts/api-key.js';
import { type Answer, expectStatus, send } from './http.js';
import { secrets } from './dataset.js';
import { type Item, secretsIn, type Upgrade, upgradeFrom } from './scenario.js';

const mask = '********';
const etagOf = (answer: Answer) => Number(JSON.parse(answer.headers.etag ?? '"0"'));

/** Every page of a list route, through its cursor parameter. */
async function everyPage(
  upgrade: Upgrade,
  path: string,
  cursor: { param: string; field: string },
  apiKey?: string,
): Promise<any[]> {
  const client = apiKey ? { ...upgrade.client, apiKey } : upgrade.client;
  const items: any[] = [];
  let next: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await expectStatus(
      client,
      200,
      'GET',
      next ? `${path}${separator}${cursor.param}=${encodeURIComponent(next)}` : path,
    );
    items.push(...page.body.items);
    next = page.body[cursor.field] ?? null;
  } while (next);
  return items;
}

/** The audit chain of a resource through the API, oldest first. */
const auditChain = (upgrade: Upgrade, resourceId: string, apiKey?: string) =>
  everyPage(
    upgrade,
    `/v1/audit-events?resourceId=${resourceId}&limit=100`,
    { param: 'cursor', field: 'nextCursor' },
    apiKey,
  );

/** Declares the upgrade tests from `release` (`MIGRATE=off` runs them without the migration, to show it matters). */
export function describeUpgradeFrom(release: string): void {
  describe(`upgrade from ${release}`, () => {
    let upgrade: Upgrade;

    beforeAll(async () => {
      upgrade = await upgradeFrom(release, { migrate: process.env.MIGRATE !== 'off' });
      await upgrade.server.streamsDrained();
    }, 600_000);

    afterAll(async () => {
      await upgrade?.stop();
    });

    const executors = () => upgrade.data.executors;
    const workflows = () => upgrade.data.workflows;
    const acmeExecutors = () => Object.entries(executors()).filter(([role]) => role !== 'globex');
    const acmeWorkflows = () => Object.entries(workflows()).filter(([role]) => role !== 'globex');

    test('the earlier release wrote what the data set says: executors, workflows, snapshots, claims, keys, audit', () => {
      // Act
      const entities = new Set(upgrade.before.map((item) => item.entity));
      // Assess
      for (const entity of ['executor', 'executorName', 'executorTombstone', 'workflow', 'workflowVersion'])
        expect(entities).toContain(entity);
      for (const entity of ['workflowTombstone', 'apiKey', 'auditEntry']) expect(entities).toContain(entity);
      expect(upgrade.releaseOutput).toMatch(/listening on/);
    });

    test('the migration brought every item to the current format and found what it had to', async () => {
      // Prepare
      const report = upgrade.server.migration;
      // Act
      const items = await upgrade.scan();
      // Assess
      // Every item it found (claims it moved may be met again at their new keys), none failed.
      expect(report).toMatchObject({ status: 'complete', failed: 0 });
      expect(report?.seen).toBeGreaterThan(upgrade.before.length);
      expect(report?.findings.map((finding) => finding.kind)).toEqual(
        upgrade.data.sharedNames.length > 0 ? ['name_shared'] : [],
      );
      const behind = items
        .filter((item) => item.entity in currentFormats)
        .filter((item) => item.formatVersion !== currentFormats[item.entity as keyof typeof currentFormats])
        .map((item) => `${item.entity} ${item.pk} ${item.sk}: ${item.formatVersion}`);
      expect(behind).toEqual([]);
    });

    test('defect 1: no secret is in clear in any table item (working copies and deployed snapshots included)', async () => {
      // Act
      const items = await upgrade.scan();
      const inClear = items.flatMap((item: Item) =>
        secretsIn(JSON.stringify(item)).map((secret) => `${item.entity} ${item.pk} ${item.sk}: ${secret}`),
      );
      // Assess
      expect(inClear).toEqual([]);
    });

    test('defect 1: workflows show every notification secret masked, working copy and every deployed version', async () => {
      // Act
      const triage = await expectStatus(upgrade.client, 200, 'GET', `/v1/workflows/${workflows().triage.id}`);
      const first = await expectStatus(upgrade.client, 200, 'GET', `/v1/workflows/${workflows().triage.id}?version=1`);
      const notify = await expectStatus(upgrade.client, 200, 'GET', `/v1/workflows/${workflows().notify.id}`);
      const agent = await expectStatus(upgrade.client, 200, 'GET', `/v1/agents/${workflows().triage.id}`);
      // Assess
      for (const answer of [triage, first, agent]) {
        expect(answer.body.notification_settings.on_error.webhook[0].headers).toEqual({
          Authorization: mask,
          'X-Trace': mask,
        });
        expect(answer.body.notification_settings.on_error.slack[0].credentials).toEqual({ token: mask });
        expect(answer.body.llm_credentials).toEqual({ name: 'openai', value: mask, description: 'team key' });
      }
      expect(notify.body.notification_settings.on_error.webhook[0].headers).toEqual({ 'X-Token': mask });
    });

    test('defect 2: every executor shows what was written, secrets masked and nothing sealed', async () => {
      for (const [role, written] of Object.entries(executors())) {
        // Act
        const apiKey = role === 'globex' ? upgrade.data.otherApiKey : upgrade.client.apiKey;
        const shown = await expectStatus({ ...upgrade.client, apiKey }, 200, 'GET', `/v1/executors/${written.id}`);
        // Assess
        expect([role, shown.body.name, shown.body.status]).toEqual([role, written.name, written.status]);
        expect([role, shown.text]).not.toEqual([role, expect.stringContaining('enc:v1:')]);
        if (!written.config) continue;
        const expected = Object.fromEntries(
          Object.entries(written.config).map(([key, value]) => [
            key,
            ['key', 'token', 'password', 'client_secret'].includes(key) ? mask : value,
          ]),
        );
        expect([role, shown.body.authentication]).toEqual([role, { type: written.authType, config: expected }]);
      }
    });

    test('defect 3: every configured executor is bound to where its secrets go, and takes its own GET body back unchanged (masks keep the secrets, version kept)', async () => {
      const stored = await upgrade.scan();
      for (const [role, written] of acmeExecutors().filter(([, written]) => written.authType)) {
        const item = stored.find((candidate) => candidate.entity === 'executor' && candidate.id === written.id);
        expect([role, item?.secretsBoundTo]).toEqual([role, expect.stringContaining(written.authType!)]);
      }
      for (const [role, written] of acmeExecutors()) {
        // Prepare
        const shown = await expectStatus(upgrade.client, 200, 'GET', `/v1/executors/${written.id}`);
        if (shown.body.authentication === undefined) continue;
        // Act
        const patched = await send(upgrade.client, 'PATCH', `/v1/executors/${written.id}`, {
          body: shown.body,
          headers: { 'if-match': shown.headers.etag },
        });
        // Assess
        expect([role, patched.status, patched.text]).toEqual([role, 200, shown.text]);
        expect([role, etagOf(patched)]).toEqual([role, etagOf(shown)]);
      }
    });

    test('masked secrets written before the upgrade still open and go where they went: the connectivity test sends them', async () => {
      // Prepare
      const { apiKey, bearer } = executors();
      upgrade.stub.requests.length = 0;
      // Act
      const apiKeyTest = await expectStatus(upgrade.client, 200, 'POST', `/v1/executors/${apiKey.id}/test`);
      const bearerTest = await expectStatus(upgrade.client, 200, 'POST', `/v1/executors/${bearer.id}/test`);
      // Assess
      expect([apiKeyTest.body.overall, bearerTest.body.overall]).toEqual(['passed', 'passed']);
      const headers = upgrade.stub.requests.map((request) => request.headers);
      expect(headers.some((h) => h['x-api-key'] === secrets.apiKeyKey)).toBe(true);
      expect(headers.some((h) => h.authorization === `Bearer ${secrets.bearerToken}`)).toBe(true);
    });

    test('an executor PATCH that changes something keeps the masked secrets and bumps the version', async () => {
      for (const role of ['oidcClient', 'oidcUser', 'renamed', 'none']) {
        // Prepare
        const written = executors()[role];
        const shown = await expectStatus(upgrade.client, 200, 'GET', `/v1/executors/${written.id}`);
        const { id: _id, status: _status, createdAt: _c, updatedAt: _u, lastTestedAt: _t, ...body } = shown.body;
        // Act
        const patched = await send(upgrade.client, 'PATCH', `/v1/executors/${written.id}`, {
          body: { ...body, description: `${written.name}, changed after the upgrade` },
          headers: { 'if-match': shown.headers.etag },
        });
        // Assess
        expect([role, patched.status, patched.text]).toEqual([role, 200, expect.any(String)]);
        expect([role, etagOf(patched)]).toEqual([role, etagOf(shown) + 1]);
        expect([role, patched.body.authentication]).toEqual([role, shown.body.authentication]);
      }
    });

    test('defect 4: names earlier releases claimed stay unique as people read them', async () => {
      // Act
      const upper = await send(upgrade.client, 'POST', '/v1/executors', { body: { name: 'UPGRADE API KEY' } });
      const spaced = await send(upgrade.client, 'POST', '/v1/executors', { body: { name: ' basic  ledger ' } });
      const released = await send(upgrade.client, 'POST', '/v1/executors', { body: { name: 'Billing Old' } });
      const deleted = await send(upgrade.client, 'POST', '/v1/executors', { body: { name: 'Temporary Executor' } });
      // Assess
      expect([upper.status, spaced.status]).toEqual([409, 409]);
      expect([released.status, deleted.status]).toEqual([201, 201]);
    });

    test('executors move through their lifecycle after the upgrade, and a delete frees the name', async () => {
      // Prepare
      const { apiKey, bearer, basic, none } = executors();
      // Act
      const disabled = await expectStatus(upgrade.client, 200, 'POST', `/v1/executors/${apiKey.id}/disable`);
      const enabled = await expectStatus(upgrade.client, 200, 'POST', `/v1/executors/${basic.id}/enable`);
      const activated = await expectStatus(upgrade.client, 200, 'POST', `/v1/executors/${bearer.id}/activate`);
      await expectStatus(upgrade.client, 204, 'DELETE', `/v1/executors/${none.id}`);
      const gone = await send(upgrade.client, 'GET', `/v1/executors/${none.id}`);
      const again = await send(upgrade.client, 'POST', '/v1/executors', { body: { name: 'public status' } });
      // Assess
      expect([disabled.body.status, enabled.body.status, activated.body.status]).toEqual([
        'disabled',
        'active',
        'active',
      ]);
      expect([gone.status, again.status]).toEqual([404, 201]);
    });

    test('names two executors shared before 0.2.0 are both kept, and neither lets a third in', async () => {
      for (const name of upgrade.data.sharedNames) {
        // Act
        const listed = (await everyPage(upgrade, '/v1/executors?limit=100', { param: 'cursor', field: 'nextCursor' }))
          .map((item) => item.name)
          .filter((shown: string) => shown === name);
        // Assess
        expect(listed).toEqual([name]);
      }
      if (upgrade.data.sharedNames.length === 0) return;
      // Act: the second holder goes, and the name stays taken by the first.
      await expectStatus(upgrade.client, 204, 'DELETE', `/v1/executors/${executors().sameName.id}`);
      const third = await send(upgrade.client, 'POST', '/v1/executors', { body: { name: 'Upgrade Api Key' } });
      // Assess
      expect(third.status).toBe(409);
    });

    test('every workflow reads as written and takes its own GET body back unchanged', async () => {
      for (const [role, written] of acmeWorkflows()) {
        // Prepare
        const shown = await expectStatus(upgrade.client, 200, 'GET', `/v1/workflows/${written.id}`);
        // Act
        const patched = await send(upgrade.client, 'PATCH', `/v1/workflows/${written.id}`, { body: shown.body });
        // Assess
        expect([role, shown.body.name, shown.body.version, shown.body.has_pending_changes]).toEqual([
          role,
          written.name,
          written.version,
          written.hasPendingChanges,
        ]);
        expect([role, patched.status, etagOf(patched)]).toEqual([role, 200, etagOf(shown)]);
      }
    });

    test('a staged change with every secret sent back masked keeps them all, llm_api_base unmoved', async () => {
      // Prepare
      const { triage } = workflows();
      const shown = await expectStatus(upgrade.client, 200, 'GET', `/v1/workflows/${triage.id}`);
      // Act
      const staged = await send(upgrade.client, 'PATCH', `/v1/workflows/${triage.id}`, {
        body: {
          description: 'Changed after the upgrade',
          llm_api_base: shown.body.llm_api_base,
          llm_credentials: shown.body.llm_credentials,
          notification_settings: shown.body.notification_settings,
        },
        headers: { 'if-match': shown.headers.etag },
      });
      // Assess
      expect([staged.status, staged.text]).toEqual([200, expect.any(String)]);
      expect(staged.body.notification_settings).toEqual(shown.body.notification_settings);
      expect(etagOf(staged)).toBe(etagOf(shown) + 1);
    });

    test('the node routes, new since, edit a workflow the earlier release wrote: listed, added and deployed, removed and staged', async () => {
      // Prepare
      const { triage, notify } = workflows();
      const before = await expectStatus(upgrade.client, 200, 'GET', `/v1/workflows/${notify.id}`);
      const working = await expectStatus(upgrade.client, 200, 'GET', `/v1/workflows/${triage.id}`);
      // Act
      const listed = await expectStatus(upgrade.client, 200, 'GET', `/v1/workflows/${triage.id}/nodes`);
      const added = await expectStatus(upgrade.client, 200, 'POST', `/v1/workflows/${notify.id}/nodes`, {
        body: { name: 'Escalate', agent_id: 'agent-escalation' },
      });
      const nodeId = added.body[0].id as string;
      const removed = await expectStatus(
        upgrade.client,
        200,
        'DELETE',
        `/v1/workflows/${notify.id}/nodes/${nodeId}?deploy=false`,
      );
      const after = await expectStatus(upgrade.client, 200, 'GET', `/v1/workflows/${notify.id}`);
      const deployed = await expectStatus(
        upgrade.client,
        200,
        'GET',
        `/v1/workflows/${notify.id}?version=${after.body.version}`,
      );
      // Assess
      expect(listed.body.map((node: any) => node.id)).toEqual(
        working.body.orchestration_nodes.map((node: any) => node.id),
      );
      expect(listed.body.map((node: any) => node.id)).toEqual(expect.arrayContaining(['triage', 'billing', 'tech']));
      expect(added.body.map((node: any) => [node.name, node.target_agent_id])).toEqual([
        ['Escalate', 'agent-escalation'],
      ]);
      expect(removed.body).toEqual([]);
      expect([after.body.version, after.body.has_pending_changes]).toEqual([before.body.version + 1, true]);
      for (const shown of [after, deployed])
        expect(shown.body.notification_settings.on_error.webhook[0].headers).toEqual({ 'X-Token': mask });
      expect(deployed.body.orchestration_nodes.map((node: any) => node.id)).toEqual([nodeId]);
      const items = await upgrade.scan();
      expect(items.flatMap((item) => secretsIn(JSON.stringify(item)))).toEqual([]);
    });

    test('deploy, then roll back to a version deployed before the upgrade; its secrets come back and a mask keeps them', async () => {
      // Prepare
      const { triage } = workflows();
      // Act
      const deployed = await expectStatus(upgrade.client, 200, 'PUT', `/v1/workflows/${triage.id}`);
      const rolledBack = await expectStatus(upgrade.client, 200, 'PUT', `/v1/workflows/${triage.id}?from_version=1`);
      const kept = await send(upgrade.client, 'PATCH', `/v1/workflows/${triage.id}?deploy=true`, {
        body: { notification_settings: rolledBack.body.notification_settings, description: 'after the rollback' },
      });
      // Assess
      expect(deployed.body.version).toBe(triage.version + 1);
      expect(rolledBack.body.version).toBe(triage.version + 2);
      expect(rolledBack.body.notification_settings.on_error.webhook[0].headers.Authorization).toBe(mask);
      expect([kept.status, kept.text]).toEqual([200, expect.any(String)]);
    });

    test('unique names: every workflow has one, no two share it, and a new workflow never takes an old one', async () => {
      // Prepare
      const created = await expectStatus(upgrade.client, 201, 'POST', '/v1/workflows', {
        body: { name: 'Support triage' },
      });
      // Act
      const listed = await everyPage(upgrade, '/v1/workflows?limit=100', { param: 'next', field: 'next' });
      const agents = await expectStatus(upgrade.client, 200, 'GET', '/v1/agents/list');
      // Assess
      const uniqueNames = listed.map((item) => item.unique_name);
      expect(new Set(uniqueNames).size).toBe(uniqueNames.length);
      expect(uniqueNames).toContain(created.body.unique_name);
      expect(agents.body.map((agent: any) => agent.id).sort()).toEqual(listed.map((item) => item.id).sort());
      const claims = (await upgrade.scan()).filter((item) => item.entity === 'workflowUniqueName');
      for (const item of listed)
        expect([item.id, claims.filter((claim) => claim.workflowId === item.id).map((c) => c.uniqueName)]).toEqual([
          item.id,
          [item.unique_name],
        ]);
    });

    test('deleted resources stay deleted, and renamed ones keep their new names', async () => {
      // Act
      const executor = await send(upgrade.client, 'GET', `/v1/executors/${upgrade.data.deletedExecutors[0]}`);
      const workflow = await send(upgrade.client, 'GET', `/v1/workflows/${upgrade.data.deletedWorkflows[0]}`);
      const renamed = await expectStatus(upgrade.client, 200, 'GET', `/v1/workflows/${workflows().renamed.id}`);
      const versions = await expectStatus(
        upgrade.client,
        200,
        'GET',
        `/v1/workflows/${workflows().renamed.id}/versions`,
      );
      // Assess
      expect([executor.status, workflow.status]).toEqual([404, 404]);
      expect(renamed.body.name).toBe('New name');
      expect(versions.body.items.map((item: any) => item.version)).toEqual([2, 1]);
    });

    test('a workflow the earlier release wrote is deleted today: gone, its unique name freed; health answers', async () => {
      // Prepare
      const { twin } = workflows();
      const shown = await expectStatus(upgrade.client, 200, 'GET', `/v1/workflows/${twin.id}`);
      // Act
      const deleted = await send(upgrade.client, 'DELETE', `/v1/workflows/${twin.id}`);
      const gone = await send(upgrade.client, 'GET', `/v1/workflows/${twin.id}`);
      const health = await send(upgrade.client, 'GET', '/health');
      // Assess
      expect([deleted.status, gone.status, health.status]).toEqual([202, 404, 200]);
      const claims = (await upgrade.scan()).filter((item) => item.entity === 'workflowUniqueName');
      expect(claims.filter((claim) => claim.uniqueName === shown.body.unique_name)).toEqual([]);
    });

    test('API keys: the other organization sees only its own, a revoked key stays revoked, the CLI lists both', async () => {
      // Prepare
      const printed: string[] = [];
      // Act
      const globex = await everyPage(
        upgrade,
        '/v1/executors?limit=100',
        { param: 'cursor', field: 'nextCursor' },
        upgrade.data.otherApiKey,
      );
      const revoked = await send({ ...upgrade.client, apiKey: upgrade.data.revokedApiKey }, 'GET', '/v1/executors');
      const code = await runApiKeyCommand(['list', '--org', upgrade.data.otherOrganizationId], (line) =>
        printed.push(line),
      );
      // Assess
      expect(globex.map((item) => item.id)).toEqual([executors().globex.id]);
      expect(revoked.status).toBe(401);
      expect(code).toBe(0);
      expect(printed.filter((line) => line.includes('revoked'))).toHaveLength(1);
      expect(printed).toHaveLength(2);
    });

    test('cursors handed out before the upgrade go on paging', async () => {
      // Act
      const executorPage = await send(
        upgrade.client,
        'GET',
        `/v1/executors?limit=3&cursor=${encodeURIComponent(upgrade.data.cursors.executors)}`,
      );
      const workflowPage = await send(
        upgrade.client,
        'GET',
        `/v1/workflows?limit=2&next=${encodeURIComponent(upgrade.data.cursors.workflows)}`,
      );
      // Assess
      expect([executorPage.status, executorPage.body.items.length]).toEqual([200, 3]);
      expect([workflowPage.status, workflowPage.body.items.length]).toEqual([200, 2]);
    });

    test('an idempotency key used before the upgrade still answers its first result', async () => {
      if (release === '0.1.0') return;
      // Act
      const repeated = await send(upgrade.client, 'POST', '/v1/executors', {
        body: { name: 'Bearer Service' },
        headers: { 'idempotency-key': 'upgrade-create-bearer' },
      });
      // Assess
      expect([repeated.status, repeated.body.id]).toEqual([201, executors().bearer.id]);
    });

    test('audit chains verify across the upgrade, every write since has its entry, and no record is appended twice', async () => {
      // Prepare
      await upgrade.server.streamsDrained();
      const resources = [
        ...acmeExecutors().map(([, written]) => written.id),
        ...acmeWorkflows().map(([, written]) => written.id),
        ...upgrade.data.deletedExecutors,
        ...upgrade.data.deletedWorkflows,
      ];
      for (const id of resources) {
        // Act
        const chain = await auditChain(upgrade, id);
        const last = chain.at(-1);
        const verified = await expectStatus(upgrade.client, 200, 'GET', `/v1/audit-events/${last.id}/verify`);
        // Assess
        expect([id, verified.body.valid, verified.body.firstBrokenLink]).toEqual([id, true, null]);
        const records = chain.map((entry) => entry.streamEventId);
        expect([id, records.length]).toEqual([id, new Set(records).size]);
        expect([id, secretsIn(JSON.stringify(chain))]).toEqual([id, []]);
        // The migration rewrites how items are stored, which is no change of the resource: no entry of its own.
        expect([id, chain.filter((entry) => entry.changedFields.includes('formatVersion'))]).toEqual([id, []]);
      }
      const triage = await auditChain(upgrade, workflows().triage.id);
      expect(
        triage
          .slice(-2)
          .map((entry) => [entry.action, entry.actor])
          .sort(),
      ).toEqual([
        ['deployed', 'local'],
        ['updated', 'local'],
      ]);
    });

    test('domain events: published for the writes since the upgrade, each id once, none with a secret', async () => {
      // Prepare
      await upgrade.server.streamsDrained();
      // Act
      const events = upgrade.events();
      // Assess
      const ids = events.map((event) => event.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(secretsIn(JSON.stringify(events))).toEqual([]);
      expect(secretsIn(JSON.stringify(upgrade.releaseEvents))).toEqual([]);
      const changedSince = events.filter(
        (event) => event.detail.resourceId === workflows().triage.id && event['detail-type'] === 'WorkflowDeployed',
      );
      expect(changedSince.length).toBeGreaterThanOrEqual(3);
      const earlier = new Map(upgrade.releaseEvents.map((event) => [event.id, event.detail]));
      for (const event of events.filter((e) => earlier.has(e.id))) expect(event.detail).toEqual(earlier.get(event.id));
    });

    // Last of the writes: run before them, it would repair the table MIGRATE=off leaves for the checks above.
    test("a second migration run, after every write of today's code, changes nothing: today writes the current format", async () => {
      // Act
      const again = await migrateTable();
      // Assess
      expect(again).toMatchObject({ status: 'complete', changed: 0, failed: 0, findings: [] });
    });

    test('every route of the route table was sent a request on the upgraded table', () => {
      // Prepare
      const sent = new Set(upgrade.client.sent);
      // Act
      const missed = routeList
        .filter((route) => {
          const pattern = new RegExp(`^${route.method} ${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
          return ![...sent].some((request) => pattern.test(request));
        })
        .map((route) => `${route.method} ${route.path}`);
      // Assess
      expect(missed).toEqual([]);
    });

    test('no answer of today’s server and no line the earlier release logged holds a secret in clear or a sealed value', () => {
      // Act
      const answers = upgrade.client.answers.map((answer) => answer.text).join('\n');
      // Assess
      expect(secretsIn(answers)).toEqual([]);
      expect(answers).not.toContain('enc:v1:');
      expect(secretsIn(upgrade.releaseOutput)).toEqual([]);
    });
  });
}
