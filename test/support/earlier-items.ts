/**
 * Items as release 0.1.0 wrote them (docs/upgrading.md, "Items by release"), put straight
 * into the table: executors whose secrets carry no binding and whose
 * `token_endpoint_auth_method` is sealed, name claims keyed by the name's bytes, workflows
 * without a unique name or a credential binding whose notification secrets sit in clear
 * in their settings and snapshots, and audit chains ended by an entry with a receipt.
 * The upgrade tests (test/upgrade/) write the same through 0.1.0's own server; these let
 * the suite check each repair on its own.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { secretContext } from '../../functions/domain/executor/model.js';
import { credentialContext } from '../../functions/domain/workflow/model.js';
import { sealSecret } from '../../functions/secrets/envelope.js';
import { getDocumentClient, tableName } from '../../functions/store/client.js';
import {
  executorIndexKeys,
  executorKey,
  executorNameKeyAsTyped,
  workflowIndexKeys,
  workflowKey,
  workflowVersionKey,
} from '../../functions/store/keys.js';

const put = (item: Record<string, unknown>) =>
  getDocumentClient().send(new PutCommand({ TableName: tableName(), Item: item }));

const at = '2026-11-20T10:00:00.000Z';

/**
 * The items of an OIDC executor as 0.1.0 stored it, configured: the executor (its
 * `token_endpoint_auth_method` sealed, no binding) and its name claim keyed by the name's
 * bytes. `fields` replace the executor's own (scripts/bench-migrate.ts writes fuller ones).
 */
export async function earlierOidcExecutorItems(
  organizationId: string,
  name: string,
  clientSecret: string,
  fields: Record<string, unknown> = {},
) {
  const id = randomUUID();
  return [
    {
      ...executorKey(organizationId, id),
      ...executorIndexKeys(organizationId, at, id),
      entity: 'executor',
      id,
      organizationId,
      name,
      baseUrl: 'https://ledger.example.com/api',
      endpoints: [{ name: 'ping', path: '/ping', method: 'GET', timeout: 30 }],
      authType: 'oidc_client_credentials',
      authConfig: {
        issuer_url: JSON.stringify('https://login.example.com/realms/ledger'),
        client_id: JSON.stringify('ledger-client'),
      },
      authSecrets: {
        client_secret: await sealSecret(clientSecret, secretContext(organizationId, id, 'client_secret')),
        token_endpoint_auth_method: await sealSecret(
          'client_secret_post',
          secretContext(organizationId, id, 'token_endpoint_auth_method'),
        ),
      },
      metadata: {},
      status: 'configured',
      version: 2,
      createdAt: at,
      updatedAt: at,
      updatedBy: 'earlier',
      ...fields,
    },
    { ...executorNameKeyAsTyped(organizationId, name), entity: 'executorName', organizationId, executorId: id, name },
  ] as const;
}

/** An OIDC executor as 0.1.0 stored it, configured, with its name claimed byte for byte. */
export async function earlierOidcExecutor(organizationId: string, name = `Ledger ${randomUUID().slice(0, 8)}`) {
  const [item, claim] = await earlierOidcExecutorItems(organizationId, name, 'oidc-s3cr3t');
  await put(item);
  await put(claim);
  return item;
}

/** An unconfigured executor as 0.1.0 stored it, its name claimed byte for byte. */
export async function earlierDraftExecutor(organizationId: string, name: string) {
  const id = randomUUID();
  const item = {
    ...executorKey(organizationId, id),
    ...executorIndexKeys(organizationId, at, id),
    entity: 'executor',
    id,
    organizationId,
    name,
    authSecrets: {},
    metadata: {},
    status: 'unconfigured',
    version: 1,
    createdAt: at,
    updatedAt: at,
    updatedBy: 'earlier',
  };
  await put(item);
  await put({
    ...executorNameKeyAsTyped(organizationId, name),
    entity: 'executorName',
    organizationId,
    executorId: id,
    name,
  });
  return item;
}

/** The notification settings 0.1.0 stored: a webhook's headers and a Slack token in clear. */
export const earlierSettings = {
  on_error: {
    webhook: [{ url: 'https://hooks.example.com/flowplane', headers: { Authorization: 'Bearer hook-s3cr3t' } }],
    slack: [{ channels: ['#ops'], credentials: { token: 'xoxb-s3cr3t' } }],
  },
};

/**
 * The items of a workflow as 0.1.0 stored it, deployed twice: the working copy and its snapshots 1 and 2, all holding
 * `fields` as stored (no unique name, no credential binding; whatever secrets the settings hold, in clear).
 */
export async function earlierWorkflowItems(organizationId: string, fields: Record<string, string>, llmSecret: string) {
  const id = randomUUID();
  const llmCredentialsValue = await sealSecret(llmSecret, credentialContext(organizationId, id));
  const working = {
    ...workflowKey(organizationId, id),
    ...workflowIndexKeys(organizationId, at, id),
    entity: 'workflow',
    id,
    organizationId,
    fields,
    llmCredentialsValue,
    version: 2,
    revision: 3,
    hasPendingChanges: false,
    createdAt: at,
    createdBy: 'earlier',
    updatedAt: at,
    updatedBy: 'earlier',
  };
  const versions = [1, 2].map((version) => ({
    ...workflowVersionKey(organizationId, id, version),
    entity: 'workflowVersion',
    workflowId: id,
    organizationId,
    version,
    fields,
    llmCredentialsValue,
    deployedAt: at,
    deployedBy: 'earlier',
  }));
  return { working, versions };
}

/**
 * A workflow as 0.1.0 stored it, deployed twice (snapshots 1 and 2): no unique name, no credential binding, its
 * notification secrets in clear in the working copy and both snapshots.
 */
export async function earlierWorkflow(organizationId: string, name = 'Support triage') {
  const { working, versions } = await earlierWorkflowItems(
    organizationId,
    {
      name: JSON.stringify(name),
      llm_api_base: JSON.stringify('https://llm.example.com/v1'),
      llm_credentials: JSON.stringify({ name: 'openai' }),
      notification_settings: JSON.stringify(earlierSettings),
    },
    'sk-llm-s3cr3t',
  );
  await put(working);
  for (const version of versions) await put(version);
  return working;
}
