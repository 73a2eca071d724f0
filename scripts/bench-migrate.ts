/**
 * `npm run bench:migrate`: what the migration (functions/migrations/run.ts) costs, per
 * 1,000 items, on DynamoDB Local: a table as 0.1.0 left it (executors with their name
 * claims, workflows with two deployed versions each, notification secrets in clear) brought
 * up to date, then the same table again (what every later deploy's run costs when there is
 * nothing to do). Time is wall-clock on this machine; capacity units are what DynamoDB
 * Local reports for each call (`ReturnConsumedCapacity: 'TOTAL'`, set by a middleware this
 * script adds to the document client), by read and write. Writes its section of
 * docs/performance.md.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { migrateTable, type MigrationReport } from '../functions/migrations/run.js';
import { ensureKeyFile } from '../functions/secrets/keyring.js';
import { getDocumentClient } from '../functions/store/client.js';
import { earlierOidcExecutorItems, earlierWorkflowItems } from '../test/support/earlier-items.js';
import { startDynamoDbLocal } from './local/dynamodb-local.js';
import { ensureTable } from './local/table.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const executors = Number(process.env.BENCH_EXECUTORS ?? 200);
const workflows = Number(process.env.BENCH_WORKFLOWS ?? 200);

/** The items of one executor as 0.1.0 wrote it: the executor (its OIDC method sealed) and its name claim. */
async function earlierExecutor(organizationId: string, index: number): Promise<Record<string, unknown>[]> {
  return [
    ...(await earlierOidcExecutorItems(organizationId, `Ledger ${index}`, 'client-secret', {
      description: 'Ledger service, written by 0.1.0',
      endpoints: [
        { name: 'ping', path: '/ping', method: 'GET', timeout: 30 },
        { name: 'post', path: '/entries', method: 'POST', timeout: 30 },
      ],
      authConfig: {
        issuer_url: JSON.stringify('https://login.example.com/realms/ledger'),
        client_id: JSON.stringify('ledger-client'),
        scopes: JSON.stringify(['ledger.read', 'ledger.write']),
      },
      metadata: { team: '"payments"' },
    })),
  ];
}

/** The items of one workflow as 0.1.0 wrote it: the working copy and two deployed versions, with a graph. */
async function earlierWorkflow(organizationId: string, index: number): Promise<Record<string, unknown>[]> {
  const { working, versions } = await earlierWorkflowItems(
    organizationId,
    {
      name: JSON.stringify(`Support triage ${index}`),
      description: JSON.stringify('Routes support tickets'),
      llm_api_base: JSON.stringify('https://llm.example.com/v1'),
      llm_credentials: JSON.stringify({ name: 'openai' }),
      model_name: JSON.stringify('gpt-5'),
      orchestration_nodes: JSON.stringify([
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
      ]),
      notification_settings: JSON.stringify({
        on_error: {
          webhook: [
            { url: 'https://hooks.example.com/flowplane', headers: { Authorization: 'Bearer hook', 'X-Trace': 't' } },
          ],
          slack: [{ channels: ['#ops'], credentials: { token: 'xoxb-token' } }],
        },
      }),
    },
    'sk-llm',
  );
  return [working, ...versions];
}

async function seed(items: Record<string, unknown>[]): Promise<void> {
  for (let offset = 0; offset < items.length; offset += 25) {
    const batch = items.slice(offset, offset + 25).map((Item) => ({ PutRequest: { Item } }));
    await getDocumentClient().send(
      new BatchWriteCommand({ RequestItems: { [process.env.TABLE_NAME as string]: batch } }),
    );
  }
}

interface Measured {
  report: MigrationReport;
  seconds: number;
  read: number;
  write: number;
  calls: Record<string, number>;
}

/** One run of the migration, with the capacity DynamoDB Local reports for every call it makes. */
async function measure(): Promise<Measured> {
  const totals = { read: 0, write: 0 };
  const calls: Record<string, number> = {};
  const client = getDocumentClient();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = [(result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity ?? []].flat() as {
        CapacityUnits?: number;
      }[];
      const command = String(context.commandName).replace(/Command$/, '');
      const units = consumed.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
      totals[/^(Get|Query|Scan)/.test(command) ? 'read' : 'write'] += units;
      calls[command] = (calls[command] ?? 0) + 1;
      return result;
    },
    { step: 'initialize', name: 'benchMigrationCapacity' },
  );
  const started = performance.now();
  try {
    const report = await migrateTable();
    return { report, seconds: (performance.now() - started) / 1000, ...totals, calls };
  } finally {
    client.middlewareStack.remove('benchMigrationCapacity');
  }
}

const perThousand = (value: number, items: number) => ((value * 1000) / items).toFixed(2);

/** On-demand us-east-1 price of a run's capacity, per 1,000 items, in dollars. */
const pricePerThousand = (run: Measured, items: number) =>
  (((run.read * 0.125 + run.write * 0.625) / 1_000_000) * 1000) / items;

function section(items: number, first: Measured, second: Measured): string {
  const row = (label: string, run: Measured) =>
    `| ${label} | ${run.report.seen} | ${run.report.changed} | ${run.seconds.toFixed(2)} | ${perThousand(run.seconds, items)} | ${perThousand(run.read, items)} | ${perThousand(run.write, items)} | $${pricePerThousand(run, items).toFixed(6)} | ${Object.entries(
      run.calls,
    )
      .map(([command, count]) => `${command} ${count}`)
      .join(', ')} |`;
  return [
    '## Migration: time and capacity per 1,000 items (`npm run bench:migrate`)',
    '',
    `Measured by \`npm run bench:migrate\` (scripts/bench-migrate.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, DynamoDB Local in memory, load average ${loadavg()[0].toFixed(2)} at the start. The table holds ${items} items as 0.1.0 wrote them: ${executors} OIDC executors (a sealed \`token_endpoint_auth_method\`, no binding) with their name claims keyed by bytes, and ${workflows} workflows with two deployed versions each (notification secrets in clear, no unique name, no credential binding), about 1 KB (executors) and 2 KB (workflow items) each. *Per 1,000* divides by those ${items} items. Capacity units are DynamoDB Local's report for each call (reads eventually consistent for the Scan, strongly for the reads the claim steps make; a transaction's items rounded together, where DynamoDB rounds each: a lower bound). Price at on-demand us-east-1 rates ($0.125 per million read units, $0.625 per million write units).`,
    '',
    '| run | items seen | changed | seconds | seconds per 1,000 | read units per 1,000 | write units per 1,000 | $ per 1,000 | calls |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    row('first: 0.1.0 → current', first),
    row('again: nothing to do (every later deploy)', second),
    '',
    `The first run rewrites each item once (one conditional UpdateItem, its counter and ETag untouched), moves each name claim in one transaction (the new claim and the old one's delete), and claims each workflow's unique name with one conditional PutItem; it saves where it stands after every page of 100 (one PutItem). A run with nothing to do costs the Scan of the table and one PutItem per page, every deploy. At this machine's pace a Lambda run of 14 minutes brings about ${Math.floor((840 / first.seconds) * items).toLocaleString('en-US')} earlier items up to date; a larger table stops there and the next deploy (or \`npm run migrate\`) resumes.`,
  ].join('\n');
}

const startMarker = '<!-- bench:migrate:start -->';
const endMarker = '<!-- bench:migrate:end -->';

function writeSection(markdown: string): void {
  const file = join(root, 'docs', 'performance.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Performance\n';
  const replaced = `${startMarker}\n${markdown}\n${endMarker}`;
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  writeFileSync(
    file,
    start !== -1 && end > start
      ? `${current.slice(0, start)}${replaced}${current.slice(end + endMarker.length)}`
      : `${current.trimEnd()}\n\n${replaced}\n`,
  );
}

const dynamo = await startDynamoDbLocal();
try {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'flowplane-bench-migrate-')), 'secrets.key');
  ensureKeyFile(keyFile);
  Object.assign(process.env, {
    SECRETS_KEY_FILE: keyFile,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    AWS_REGION: 'local',
    TABLE_NAME: 'bench-migrate',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });
  await ensureTable(dynamo.endpoint, 'bench-migrate');
  const items: Record<string, unknown>[] = [];
  for (let index = 0; index < executors; index += 1) items.push(...(await earlierExecutor('bench', index)));
  for (let index = 0; index < workflows; index += 1) items.push(...(await earlierWorkflow('bench', index)));
  await seed(items);
  const first = await measure();
  const second = await measure();
  if (first.report.status !== 'complete' || first.report.failed > 0) throw new Error('the migration did not complete');
  const markdown = section(items.length, first, second);
  writeSection(markdown);
  console.log(markdown);
} finally {
  await dynamo.stop();
}
