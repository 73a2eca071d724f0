/**
 * Issue 25, "Proof": /docs in a real browser, used as a newcomer uses it. Debian's
 * chromium, driven by puppeteer-core (scripts/chromium.ts), opens the page the local
 * server serves (the built bundles, as `npm start` does), authorizes with the key the
 * server printed, and presses "Try it out" and "Execute" on the examples the page offers:
 * `POST /v1/executors`, `PATCH /v1/executors/{id}`, `POST /v1/workflows` and
 * `PATCH /v1/workflows/{workflow_id}` (the ids typed in from the answers of the POSTs),
 * expecting 201 and 200. The authorization survives a reload; `deploy` offers true and
 * false; nothing loads from another origin and the console stays clean.
 *
 * Where a machine has no Chromium (`.ci/run` installs Debian's when missing), these tests
 * do not run and say so, loudly: a skipped test named for it, and a warning in the output.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { generateApiKey } from '../../functions/domain/api-keys.js';
import { findChromium, launchChromium } from '../../scripts/chromium.js';
import { type LocalServer, startLocalServer } from '../../scripts/local/server.js';

const functionsDir = fileURLToPath(new URL('../../dist/functions/', import.meta.url));
const chromium = findChromium();
const notRun =
  'NOT RUN: no Chromium on this machine (apt-get install chromium, as .ci/run does, or set CHROMIUM_PATH): /docs was not tested in a browser';
if (!chromium) console.warn(`test/integration/docs-page.test.ts: ${notRun}`);

const describeInBrowser = chromium ? describe : describe.skip;

describeInBrowser('/docs in Chromium, as a newcomer uses it', () => {
  let server: LocalServer;
  let browser: Browser;
  let page: Page;
  const apiKey = generateApiKey();
  const consoleErrors: string[] = [];
  const elsewhere: string[] = [];

  beforeAll(async () => {
    server = await startLocalServer({
      port: 0,
      dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT,
      // A table of its own: the server's stream consumers and migration must not touch other files' items
      // (jest runs two workers on one DynamoDB Local; see test/README.md).
      tableName: `flowplane-docs-page-${randomUUID()}`,
      apiKey,
      organizationId: `docs-page-${randomUUID()}`,
      functionsDir,
      secretsKeyFile: process.env.SECRETS_KEY_FILE,
      eventsSinkFile: join(mkdtempSync(join(tmpdir(), 'flowplane-docs-page-')), 'events.ndjson'),
      // The suite's table is shared: only what happens from now on is this server's to consume.
      streamStartingPosition: 'LATEST',
    });
    browser = await launchChromium(chromium!);
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(`${server.url}/`) && !url.startsWith('data:')) elsewhere.push(url);
    });
    await page.goto(`${server.url}/docs`);
    await page.waitForSelector('.opblock', { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const block = (operationId: string) => `.opblock[id$="-${operationId}"]`;

  /** Opens an operation and switches it to "Try it out" (each once per page load). */
  async function tryOut(operationId: string): Promise<void> {
    await page.click(`${block(operationId)} .opblock-summary-control`);
    await page.waitForSelector(`${block(operationId)} .try-out__btn`);
    await page.click(`${block(operationId)} .try-out__btn`);
  }

  /** Presses "Execute" with the page's own body example and answers what the page shows: status and body. */
  async function execute(operationId: string, params: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(params)) {
      await page.type(`${block(operationId)} tr[data-param-name="${name}"] input`, value);
    }
    await page.click(`${block(operationId)} .execute`);
    const status = `${block(operationId)} .live-responses-table .response .response-col_status`;
    await page.waitForSelector(status, { timeout: 30_000 });
    const shown = await page.$eval(status, (cell) => cell.textContent ?? '');
    const body = await page.$eval(
      `${block(operationId)} .live-responses-table .response-col_description pre`,
      (pre) => pre.textContent ?? '',
    );
    return { status: Number(/\d{3}/.exec(shown)?.[0]), body: JSON.parse(body) as Record<string, unknown> };
  }

  async function authorize(key: string): Promise<void> {
    await page.click('.auth-wrapper .authorize');
    await page.waitForSelector('.modal-ux input');
    await page.type('.modal-ux input', key);
    await page.click('.modal-ux .auth-btn-wrapper .authorize');
    await page.click('.modal-ux .btn-done');
  }

  test('authorized with the printed key, the examples of both POSTs and both PATCHes answer 201 and 200 from the page', async () => {
    // Prepare
    await authorize(apiKey);
    // Act
    await tryOut('createExecutorConfiguration');
    const executor = await execute('createExecutorConfiguration');
    await tryOut('updateExecutorConfiguration');
    const configured = await execute('updateExecutorConfiguration', { id: String(executor.body.id) });
    await tryOut('createWorkflow');
    const workflow = await execute('createWorkflow');
    await tryOut('updateWorkflow');
    const staged = await execute('updateWorkflow', { workflow_id: String(workflow.body.id) });
    // Assess
    expect([executor.status, executor.body]).toEqual([201, expect.objectContaining({ status: 'unconfigured' })]);
    expect([configured.status, configured.body]).toEqual([200, expect.objectContaining({ status: 'configured' })]);
    expect([workflow.status, workflow.body]).toEqual([201, expect.objectContaining({ version: 1 })]);
    expect([staged.status, staged.body]).toEqual([200, expect.objectContaining({ has_pending_changes: true })]);
  }, 120_000);

  test('deploy is a choice of true or false, not 82 spellings', async () => {
    // Act: the PATCH is in "Try it out" since the test above; open it again if this runs alone.
    if (!(await page.$(`${block('updateWorkflow')} tr[data-param-name="deploy"] select`)))
      await tryOut('updateWorkflow');
    const options = await page.$$eval(`${block('updateWorkflow')} tr[data-param-name="deploy"] select option`, (all) =>
      all.map((option) => option.textContent),
    );
    // Assess
    expect(options).toEqual(['--', 'true', 'false']);
  });

  test('the authorization survives a reload: a list executed after it is answered, not refused', async () => {
    // Prepare
    await page.reload();
    await page.waitForSelector('.opblock', { timeout: 60_000 });
    // Act
    await tryOut('listWorkflows');
    const listed = await execute('listWorkflows');
    // Assess
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual(expect.any(Array));
  }, 120_000);

  test('nothing loads from another origin, and the console shows no error', () => {
    // Act / Assess
    expect(elsewhere).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});

if (!chromium) test.skip(notRun, () => undefined);
