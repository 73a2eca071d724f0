/**
 * The realistic data set an earlier release writes through its own server before an
 * upgrade: executors of every authentication type in every lifecycle status, secrets of
 * every kind (executor authentication secrets, `llm_credentials.value`, webhook headers,
 * Slack credentials), graphs, deployed versions, a rollback, staged changes, renames,
 * deletes, metadata, names that differ only by case, API keys of two organizations (one
 * revoked), idempotency records where the release has them, and, through its stream
 * consumers, domain events and audit entries. What was written is returned, so the checks
 * after the upgrade know every id, name, status and plaintext secret to look for.
 */
import { type Client, clientOf, expectStatus, send } from './http.js';

/** Every plaintext secret the data set sends, by what it is; none may ever be seen again. */
export const secrets = {
  apiKeyKey: 'sk-upgrade-api-key-s3cr3t-0001',
  bearerToken: 'bearer-upgrade-token-s3cr3t-0002',
  basicPassword: 'basic-upgrade-password-s3cr3t-0003',
  oidcClientSecret: 'oidc-client-secret-s3cr3t-0004',
  oidcUserPassword: 'oidc-user-password-s3cr3t-0005',
  oidcUserSecret: 'oidc-user-secret-s3cr3t-0006',
  renamedToken: 'bearer-renamed-token-s3cr3t-0007',
  globexToken: 'globex-bearer-token-s3cr3t-0008',
  llmValue: 'sk-llm-credential-s3cr3t-0101',
  webhookAuthorization: 'Bearer webhook-secret-s3cr3t-0102',
  webhookTrace: 'webhook-trace-secret-s3cr3t-0103',
  slackToken: 'xoxb-slack-secret-s3cr3t-0104',
  notifyHeader: 'notify-header-secret-s3cr3t-0105',
  rollbackLlmValue: 'sk-llm-rollback-s3cr3t-0106',
  globexLlmValue: 'sk-llm-globex-s3cr3t-0107',
} as const;

export interface WrittenExecutor {
  id: string;
  name: string;
  status: string;
  authType?: string;
  /** The version (ETag) after the last write. */
  version: number;
  /** The config as sent (secrets in clear), to compare with what is shown after the upgrade. */
  config?: Record<string, unknown>;
  baseUrl?: string;
}

export interface WrittenWorkflow {
  id: string;
  name: string;
  /** The latest deployed version. */
  version: number;
  hasPendingChanges: boolean;
  /** The revision (ETag) after the last write. */
  revision: number;
}

export interface DataSet {
  release: string;
  organizationId: string;
  otherOrganizationId: string;
  executors: Record<string, WrittenExecutor>;
  workflows: Record<string, WrittenWorkflow>;
  deletedExecutors: string[];
  deletedWorkflows: string[];
  /** The other organization's key (made by the release's CLI) and one it revoked. */
  otherApiKey: string;
  revokedApiKey: string;
  /** Executor names a release before 0.2.0 let two executors share (they differ only by case). */
  sharedNames: string[];
  /** List cursors the release handed out, to be used after the upgrade: a page in flight across it. */
  cursors: { executors: string; workflows: string };
}

const etagOf = (headers: Record<string, string>) => Number(JSON.parse(headers.etag ?? '"0"'));

const endpoints = [{ name: 'ping', path: '/ping', method: 'GET' }];

/** An executor created with a whole configuration, then moved through `steps` of its lifecycle. */
async function executor(
  client: Client,
  body: { name: string; baseUrl: string; authentication: { type: string; config: Record<string, unknown> } },
  steps: ('test' | 'activate' | 'disable')[] = [],
  metadata?: Record<string, unknown>,
): Promise<WrittenExecutor> {
  const created = await expectStatus(client, 201, 'POST', '/v1/executors', {
    body: {
      ...body,
      endpoints,
      description: `${body.name}, written before the upgrade`,
      ...(metadata && { metadata }),
    },
  });
  for (const step of steps) await expectStatus(client, 200, 'POST', `/v1/executors/${created.body.id}/${step}`);
  const shown = await expectStatus(client, 200, 'GET', `/v1/executors/${created.body.id}`);
  return {
    id: created.body.id,
    name: shown.body.name,
    status: shown.body.status,
    authType: body.authentication.type,
    version: etagOf(shown.headers),
    config: body.authentication.config,
    baseUrl: body.baseUrl,
  };
}

/** Waits until the release's stream consumers have written an audit entry for each resource. */
async function auditCaughtUp(client: Client, resourceIds: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const id of resourceIds) {
    for (;;) {
      const answer = await send(client, 'GET', `/v1/audit-events?resourceId=${id}&limit=1`);
      if (answer.status === 200 && answer.body.items.length > 0) break;
      if (Date.now() > deadline) throw new Error(`no audit entry for ${id} after 30 s: ${answer.text}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Writes the data set through a running release's server. `stubUrl` is an executor
 * stand-in the connectivity tests can pass against; `cli` runs the release's
 * `npm run api-key` on the same table.
 */
export async function writeDataSet(options: {
  release: string;
  url: string;
  apiKey: string;
  organizationId: string;
  stubUrl: string;
  cli: (args: string[]) => string;
}): Promise<DataSet> {
  const { release, stubUrl } = options;
  const acme = clientOf(options.url, options.apiKey);
  const hasIdempotency = release !== '0.1.0';

  // Executors: every authentication type, every status.
  const executors: Record<string, WrittenExecutor> = {};
  executors.apiKey = await executor(
    acme,
    {
      name: 'Upgrade API Key',
      baseUrl: stubUrl,
      authentication: { type: 'api_key', config: { key: secrets.apiKeyKey, header: 'X-API-Key' } },
    },
    ['test', 'activate'],
    { team: 'payments', tier: 1, nested: { list: [1, 2.5, 'three'] } },
  );
  const draft = await expectStatus(acme, 201, 'POST', '/v1/executors', {
    body: { name: 'Bearer Service' },
    ...(hasIdempotency ? { headers: { 'idempotency-key': 'upgrade-create-bearer' } } : {}),
  });
  const bearerBody = {
    name: 'Bearer Service',
    baseUrl: stubUrl,
    endpoints,
    authentication: { type: 'bearer', config: { token: secrets.bearerToken } },
  };
  await expectStatus(acme, 200, 'PATCH', `/v1/executors/${draft.body.id}`, {
    body: bearerBody,
    headers: { 'if-match': '"1"' },
  });
  const tested = await expectStatus(acme, 200, 'POST', `/v1/executors/${draft.body.id}/test`);
  executors.bearer = {
    id: draft.body.id,
    name: 'Bearer Service',
    status: tested.body.status,
    authType: 'bearer',
    version: etagOf(tested.headers),
    config: bearerBody.authentication.config,
    baseUrl: stubUrl,
  };
  executors.basic = await executor(
    acme,
    {
      name: 'Basic Ledger',
      baseUrl: stubUrl,
      authentication: { type: 'basic', config: { username: 'ledger', password: secrets.basicPassword } },
    },
    ['test', 'activate', 'disable'],
  );
  executors.oidcClient = await executor(acme, {
    name: 'Ledger OIDC',
    baseUrl: 'https://ledger.example.com/api/',
    authentication: {
      type: 'oidc_client_credentials',
      config: {
        issuer_url: 'https://login.example.com/realms/ledger',
        client_id: 'ledger-client',
        client_secret: secrets.oidcClientSecret,
        token_endpoint_auth_method: 'client_secret_post',
        scopes: ['ledger.read', 'ledger.write'],
        audience: 'ledger-api',
      },
    },
  });
  executors.oidcUser = await executor(acme, {
    name: 'Portal OIDC User',
    baseUrl: 'https://portal.example.com',
    authentication: {
      type: 'oidc_user',
      config: {
        issuer_url: 'https://login.example.com/realms/portal',
        client_id: 'portal-client',
        username: 'portal-bot',
        password: secrets.oidcUserPassword,
        client_secret: secrets.oidcUserSecret,
      },
    },
  });
  executors.none = await executor(acme, {
    name: 'Public Status',
    baseUrl: stubUrl,
    authentication: { type: 'none', config: {} },
  });
  const unconfigured = await expectStatus(acme, 201, 'POST', '/v1/executors', { body: { name: 'Draft Executor' } });
  executors.unconfigured = {
    id: unconfigured.body.id,
    name: 'Draft Executor',
    status: 'unconfigured',
    version: etagOf(unconfigured.headers),
  };
  // Renamed: the old name's claim released, the new one taken.
  const renamed = await executor(acme, {
    name: 'Billing Old',
    baseUrl: 'https://billing.example.com',
    authentication: { type: 'bearer', config: { token: secrets.renamedToken } },
  });
  const afterRename = await expectStatus(acme, 200, 'PATCH', `/v1/executors/${renamed.id}`, {
    body: {
      name: 'Billing New',
      baseUrl: 'https://billing.example.com',
      endpoints,
      authentication: { type: 'bearer', config: { token: '********' } },
    },
    headers: { 'if-match': `"${renamed.version}"` },
  });
  executors.renamed = { ...renamed, name: 'Billing New', version: etagOf(afterRename.headers) };
  // Deleted: a tombstone, its name free again.
  const temporary = await expectStatus(acme, 201, 'POST', '/v1/executors', { body: { name: 'Temporary Executor' } });
  await expectStatus(acme, 204, 'DELETE', `/v1/executors/${temporary.body.id}`);
  // Names that differ only by case: two executors before 0.2.0 (claims keyed by the bytes), a 409 since.
  const sharedNames: string[] = [];
  const sameName = await send(acme, 'POST', '/v1/executors', { body: { name: 'upgrade api key' } });
  if (release === '0.1.0') {
    if (sameName.status !== 201) throw new Error(`0.1.0 refused a name differing by case: ${sameName.text}`);
    executors.sameName = {
      id: sameName.body.id,
      name: 'upgrade api key',
      status: 'unconfigured',
      version: etagOf(sameName.headers),
    };
    sharedNames.push('Upgrade API Key', 'upgrade api key');
  } else if (sameName.status !== 409) {
    throw new Error(`${release} accepted a name differing by case: ${sameName.text}`);
  }

  // Workflows: graphs, every secret kind, deployed versions, staged changes, a rollback, renames, deletes.
  const workflows: Record<string, WrittenWorkflow> = {};
  const triage = await expectStatus(acme, 201, 'POST', '/v1/workflows', {
    body: {
      name: 'Support triage',
      description: 'Routes support tickets',
      llm_credentials: { name: 'openai', value: secrets.llmValue, description: 'team key' },
      llm_api_base: 'https://llm.example.com/v1',
      notification_settings: {
        on_error: {
          webhook: [
            {
              url: 'https://hooks.example.com/flowplane',
              headers: { Authorization: secrets.webhookAuthorization, 'X-Trace': secrets.webhookTrace },
            },
          ],
          slack: [{ channels: ['#ops'], credentials: { token: secrets.slackToken } }],
        },
        on_success: { email: [{ to: ['ops@example.com'] }] },
      },
    },
  });
  const triageId = triage.body.id as string;
  await expectStatus(acme, 200, 'PATCH', `/v1/workflows/${triageId}?deploy=true`, {
    body: {
      model_name: 'gpt-5',
      orchestration_nodes: [
        {
          type: 'classifier',
          id: 'triage',
          next_node_ids: ['billing', 'tech'],
          definition: { groups: [{ id: 'billing' }, { id: 'tech' }] },
        },
        {
          type: 'agent',
          id: 'billing',
          definition: { asset_id: 'agent-billing' },
          condition: { type: 'contains', term: 'invoice', group_id: 'billing' },
        },
        {
          type: 'custom_function',
          id: 'tech',
          definition: { code: 'return input' },
          condition: { type: 'contains', term: 'error', group_id: 'tech' },
        },
      ],
    },
    ...(hasIdempotency ? { headers: { 'idempotency-key': 'upgrade-deploy-triage' } } : {}),
  });
  const staged = await expectStatus(acme, 200, 'PATCH', `/v1/workflows/${triageId}`, {
    body: { description: 'Routes support tickets (staged, not deployed)' },
  });
  workflows.triage = {
    id: triageId,
    name: 'Support triage',
    version: staged.body.version,
    hasPendingChanges: true,
    revision: etagOf(staged.headers),
  };

  const notify = await expectStatus(acme, 201, 'POST', '/v1/workflows', {
    body: {
      name: 'Notify only',
      notification_settings: {
        on_error: {
          webhook: [{ url: 'https://hooks.example.com/notify', headers: { 'X-Token': secrets.notifyHeader } }],
        },
      },
    },
  });
  workflows.notify = {
    id: notify.body.id,
    name: 'Notify only',
    version: 1,
    hasPendingChanges: false,
    revision: etagOf(notify.headers),
  };

  const billing = await expectStatus(acme, 201, 'POST', '/v1/workflows', {
    body: {
      name: 'Billing assistant',
      model_provider: 'openai',
      llm_credentials: { name: 'billing', value: secrets.rollbackLlmValue },
    },
  });
  await expectStatus(acme, 200, 'PATCH', `/v1/workflows/${billing.body.id}?deploy=true`, {
    body: { model_provider: 'anthropic', instructions: { role: ['answer billing questions'] } },
  });
  const rolledBack = await expectStatus(acme, 200, 'PUT', `/v1/workflows/${billing.body.id}?from_version=1`);
  workflows.rolledBack = {
    id: billing.body.id,
    name: 'Billing assistant',
    version: rolledBack.body.version,
    hasPendingChanges: false,
    revision: etagOf(rolledBack.headers),
  };

  const renamedWorkflow = await expectStatus(acme, 201, 'POST', '/v1/workflows', { body: { name: 'Old name' } });
  const afterWorkflowRename = await expectStatus(
    acme,
    200,
    'PATCH',
    `/v1/workflows/${renamedWorkflow.body.id}?deploy=true`,
    { body: { name: 'New name' } },
  );
  workflows.renamed = {
    id: renamedWorkflow.body.id,
    name: 'New name',
    version: afterWorkflowRename.body.version,
    hasPendingChanges: false,
    revision: etagOf(afterWorkflowRename.headers),
  };
  const twin = await expectStatus(acme, 201, 'POST', '/v1/workflows', { body: { name: 'Support triage' } });
  workflows.twin = {
    id: twin.body.id,
    name: 'Support triage',
    version: 1,
    hasPendingChanges: false,
    revision: etagOf(twin.headers),
  };
  const shortLived = await expectStatus(acme, 201, 'POST', '/v1/workflows', { body: { name: 'Short lived' } });
  await expectStatus(acme, 202, 'DELETE', `/v1/workflows/${shortLived.body.id}`);

  // A second organization, its keys made by the release's own CLI: one in use, one revoked.
  const otherOrganizationId = 'globex';
  const keyOf = (output: string) => {
    // The whole key, not the prefix the same output shows.
    const match = /(fp_[A-Za-z0-9_-]{40,})/.exec(output);
    if (!match) throw new Error(`the release's api-key CLI printed no key: ${output}`);
    return match[1];
  };
  const otherApiKey = keyOf(options.cli(['create', '--org', otherOrganizationId, '--name', 'globex-ci']));
  const revokedApiKey = keyOf(options.cli(['create', '--org', otherOrganizationId, '--name', 'globex-old']));
  options.cli(['revoke', '--org', otherOrganizationId, '--prefix', revokedApiKey.slice(0, 10)]);
  const globex = clientOf(options.url, otherApiKey);
  executors.globex = await executor(globex, {
    name: 'Upgrade API Key',
    baseUrl: 'https://globex.example.com',
    authentication: { type: 'bearer', config: { token: secrets.globexToken } },
  });
  const globexWorkflow = await expectStatus(globex, 201, 'POST', '/v1/workflows', {
    body: { name: 'Support triage', llm_credentials: { name: 'globex', value: secrets.globexLlmValue } },
  });
  workflows.globex = {
    id: globexWorkflow.body.id,
    name: 'Support triage',
    version: 1,
    hasPendingChanges: false,
    revision: etagOf(globexWorkflow.headers),
  };

  const executorPage = await expectStatus(acme, 200, 'GET', '/v1/executors?limit=3');
  const workflowPage = await expectStatus(acme, 200, 'GET', '/v1/workflows?limit=2');
  await auditCaughtUp(acme, [
    ...Object.values(executors)
      .filter((written) => written !== executors.globex)
      .map((written) => written.id),
    ...[triageId, notify.body.id, billing.body.id, renamedWorkflow.body.id, twin.body.id, shortLived.body.id],
    temporary.body.id,
  ]);
  await auditCaughtUp(globex, [executors.globex.id, globexWorkflow.body.id]);

  return {
    release,
    organizationId: options.organizationId,
    otherOrganizationId,
    executors,
    workflows,
    deletedExecutors: [temporary.body.id],
    deletedWorkflows: [shortLived.body.id],
    otherApiKey,
    revokedApiKey,
    sharedNames,
    cursors: { executors: executorPage.body.nextCursor, workflows: workflowPage.body.next },
  };
}
