/**
 * Issue 15, finding 5: a workflow's audit entries record what changed from what to
 * what — a staged PATCH, a deploy and a rollback, through the real handlers and the
 * real audit writer — with secrets redacted as for executors.
 */
import { randomUUID } from 'node:crypto';
import { handler as listAuditHandler } from '../../../functions/audit/list.js';
import { handler as auditHandler } from '../../../functions/streams/write-audit.js';
import { handler as createHandler } from '../../../functions/workflows/create.js';
import { handler as deployHandler } from '../../../functions/workflows/deploy.js';
import { handler as updateHandler } from '../../../functions/workflows/update.js';
import { invoke, lambdaContext, newOrganization, restEvent } from '../../support/api.js';
import { streamRecordsAbout } from '../../support/table-stream.js';

const secret = 'sk-live-workflow-audit';
let org: Awaited<ReturnType<typeof newOrganization>>;
beforeAll(async () => {
  org = await newOrganization();
});

const headers = () => ({ 'x-api-key': org.apiKey });

test('staged, deployed and rolled-back changes are audited with their values, secrets redacted', async () => {
  // Prepare
  const created = await invoke(
    createHandler,
    restEvent({
      method: 'POST',
      path: '/v1/workflows',
      headers: headers(),
      body: { name: `audit-${randomUUID()}`, description: 'first', llm_credentials: { name: 'openai', value: secret } },
    }),
  );
  const id: string = created.body.id;
  const on = { pathParameters: { workflow_id: id }, path: `/v1/workflows/${id}`, headers: headers() };
  await invoke(
    updateHandler,
    restEvent({ ...on, method: 'PATCH', body: { description: 'staged', model_name: 'gpt-5' } }),
  );
  await invoke(deployHandler, restEvent({ ...on, method: 'PUT' }));
  await invoke(deployHandler, restEvent({ ...on, method: 'PUT', query: { from_version: '1' } }));
  // Working copy: INSERT, MODIFY (staged), MODIFY (deploy), MODIFY (rollback); snapshots v1, v2, v3.
  const records = await streamRecordsAbout(org.organizationId, id, 7);
  // Act
  const audited = await auditHandler({ Records: records }, lambdaContext());
  const entries = (
    await invoke(
      listAuditHandler,
      restEvent({
        method: 'GET',
        path: '/v1/audit-events',
        query: { resourceId: id, limit: '100', sortOrder: 'ASC' },
        headers: headers(),
      }),
    )
  ).body.items;
  // Assess
  expect(audited).toEqual({ batchItemFailures: [] });
  const updates = entries.filter((entry: any) => entry.action === 'UPDATE');
  const staged = updates.find((entry: any) => entry.changes.description?.to === 'staged');
  expect(staged.changes.description).toEqual({ from: 'first', to: 'staged' });
  expect(staged.changes.model_name).toEqual({ to: 'gpt-5' });
  const rolledBack = updates.find(
    (entry: any) => entry.changes.description?.from === 'staged' && entry.changes.description?.to === 'first',
  );
  expect(rolledBack.changes.model_name).toEqual({ from: 'gpt-5' });
  const deployments = entries.filter((entry: any) => entry.action === 'DEPLOY');
  expect(deployments.map((entry: any) => entry.changes.description?.to)).toEqual(['first', 'staged', 'first']);
  expect(deployments[0].changes.llm_credentials.to).toEqual({ name: '[REDACTED]' });
  expect(deployments[0].changes.llmCredentialsValue).toEqual({ to: '[REDACTED]' });
  expect(JSON.stringify(entries)).not.toMatch(/sk-live-workflow-audit|enc:v1/);
});
