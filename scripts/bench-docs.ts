/**
 * `npm run bench:docs`: how long a newcomer waits on /docs, in a real browser (Debian's
 * chromium through puppeteer-core, scripts/chromium.ts) against `npm start`'s server (the
 * built bundles, an embedded DynamoDB Local). Each sample opens /docs in a fresh browser
 * context (nothing cached) and measures:
 *
 * - until the operations appear: from navigation to Swagger UI's first operation block;
 * - expanding an operation: from the click on its summary to its request body shown
 *   (`POST /v1/workflows`, `PATCH /v1/workflows/{workflow_id}`, `PATCH /v1/executors/{id}`).
 *
 * Twice: on the loopback interface as it is, and on an emulated link of 20 Mbit/s down,
 * 5 Mbit/s up and 40 ms of latency (Chrome DevTools' network conditions), where the bytes
 * the server sends count. Prints a Markdown table of medians (and each sample) and writes
 * it into docs/performance.md between the bench:docs markers. BENCH_REPS samples (default 7).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { findChromium, launchChromium } from './chromium.js';
import { startLocalServer } from './local/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const reps = Number(process.env.BENCH_REPS ?? 7);

interface Link {
  name: string;
  conditions?: { download: number; upload: number; latency: number };
}

const links: Link[] = [
  { name: 'loopback' },
  { name: '20 Mbit/s, 40 ms', conditions: { download: 2_500_000, upload: 625_000, latency: 40 } },
];

/** The operations whose expansion is timed, by operationId. */
const expanded = ['createWorkflow', 'updateWorkflow', 'updateExecutorConfiguration'];

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function openDocs(browser: Browser, url: string, link: Link): Promise<{ page: Page; ms: number }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  if (link.conditions) await page.emulateNetworkConditions(link.conditions);
  const started = performance.now();
  await page.goto(`${url}/docs`);
  await page.waitForSelector('.opblock', { timeout: 60_000 });
  return { page, ms: performance.now() - started };
}

/** Clicks an operation's summary and waits for its request body to be shown. */
async function expand(page: Page, operationId: string): Promise<number> {
  const block = `.opblock[id$="-${operationId}"]`;
  const started = performance.now();
  await page.click(`${block} .opblock-summary-control`);
  await page.waitForSelector(`${block} .opblock-section-request-body .highlight-code`, { timeout: 60_000 });
  return performance.now() - started;
}

interface Row {
  link: string;
  what: string;
  samples: number[];
}

async function measure(browser: Browser, url: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const link of links) {
    const appear: number[] = [];
    const expansions = new Map<string, number[]>(expanded.map((id) => [id, []]));
    for (let rep = 0; rep < reps; rep++) {
      const { page, ms } = await openDocs(browser, url, link);
      appear.push(ms);
      for (const operationId of expanded) {
        expansions.get(operationId)!.push(await expand(page, operationId));
      }
      await page.browserContext().close();
    }
    rows.push({ link: link.name, what: 'until the operations appear', samples: appear });
    for (const [operationId, samples] of expansions) {
      rows.push({ link: link.name, what: `expanding ${operationId}`, samples });
    }
  }
  return rows;
}

function table(rows: Row[]): string {
  const lines = ['| link | what | median ms | samples (ms) |', '|---|---|---:|---|'];
  for (const row of rows) {
    const samples = row.samples.map((ms) => ms.toFixed(0)).join(', ');
    lines.push(`| ${row.link} | ${row.what} | ${median(row.samples).toFixed(0)} | ${samples} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const chromium = findChromium();
  if (!chromium) throw new Error('no chromium found: apt-get install chromium (or set CHROMIUM_PATH)');
  const server = await startLocalServer({ port: 0, functionsDir: join(root, 'dist/functions') });
  const browser = await launchChromium(chromium);
  try {
    const version = await browser.version();
    const rows = await measure(browser, server.url);
    const section = [
      `Measured by \`npm run bench:docs\` (scripts/bench-docs.ts) on ${new Date().toISOString().slice(0, 10)}, ` +
        `${version}, Node ${process.version}, ${reps} samples each, every sample a fresh browser context.`,
      '',
      table(rows),
    ].join('\n');
    console.log(section);
    const file = join(root, 'docs/performance.md');
    const text = readFileSync(file, 'utf8');
    const start = '<!-- bench:docs:start -->';
    const end = '<!-- bench:docs:end -->';
    if (text.includes(start) && text.includes(end)) {
      const before = text.slice(0, text.indexOf(start) + start.length);
      const after = text.slice(text.indexOf(end));
      writeFileSync(file, `${before}\n${section}\n${after}`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: Error) => {
  console.error(`bench:docs: ${error.stack ?? error.message}`);
  process.exit(1);
});
