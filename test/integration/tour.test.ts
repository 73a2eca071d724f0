/**
 * docs/tour.md is what the server answers. The tour (scripts/tour.ts) runs again against
 * a fresh local server — the built bundles in dist/functions, a table of its own on the
 * jest DynamoDB Local, organization `local` as under `npm start` — and must read like the
 * committed page once what differs from run to run is named instead of shown: ids,
 * times, ports, API keys, hashes and durations. The README's examples must be steps of
 * that tour, and the tour must call every route of the route table.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeList } from '../../functions/routes.js';
import { createRouter } from '../../scripts/local/router.js';
import { type LocalServer, startLocalServer } from '../../scripts/local/server.js';
import { renderTour } from '../../scripts/tour.js';

const functionsDir = fileURLToPath(new URL('../../dist/functions/', import.meta.url));
const tourFile = fileURLToPath(new URL('../../docs/tour.md', import.meta.url));
const readmeFile = fileURLToPath(new URL('../../README.md', import.meta.url));

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const timestamp = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;
const port = /(127\.0\.0\.1:|http\.server )(\d+)/g;
const apiKey = /fp_[A-Za-z0-9_-]{43}/g;
/** A principal names a key by its prefix (functions/domain/api-keys.ts), which differs per run like the key. */
const apiKeyPrincipal = /apikey:fp_[A-Za-z0-9_-]{7}\b/g;
const hash = /\b[0-9a-f]{64}\b/g;
const duration = /"durationMs": \d+/g;

/** What a `## ` section's ids are: the executors' section names executors, and so on. */
function idKindOf(heading: string): string {
  if (/executor/i.test(heading)) return 'executor';
  if (/workflow/i.test(heading)) return 'workflow';
  return 'id';
}

/**
 * The page with what changes from run to run named: the same value gets the same
 * placeholder throughout (`<executor-1>`, `<port-2>`, …), numbered in order of first
 * appearance, so "the id created above is the one listed here" still has to hold.
 * With `numbered: false` every value of a kind gets one placeholder (for comparing
 * excerpts, whose numbering starts elsewhere).
 */
function normaliseTour(markdown: string, { numbered = true } = {}): string {
  const names = new Map<string, string>();
  const counts = new Map<string, number>();
  const name = (kind: string, value: string) => {
    if (!numbered) return `<${kind}>`;
    const key = `${kind}:${value}`;
    let placeholder = names.get(key);
    if (!placeholder) {
      const count = (counts.get(kind) ?? 0) + 1;
      counts.set(kind, count);
      placeholder = `<${kind}-${count}>`;
      names.set(key, placeholder);
    }
    return placeholder;
  };
  // An id belongs to the section it first appears in; later sections name it the same way.
  let kind = 'id';
  const ids = new Map<string, string>();
  return markdown
    .split('\n')
    .map((line) => {
      if (line.startsWith('## ')) kind = idKindOf(line);
      return line
        .replace(uuid, (id) => {
          if (!ids.has(id)) ids.set(id, kind);
          return name(ids.get(id) as string, id);
        })
        .replace(timestamp, () => '<timestamp>')
        .replace(port, (_whole, before: string, number: string) => `${before}${name('port', number)}`)
        .replace(apiKey, () => '<api-key>')
        .replace(apiKeyPrincipal, () => 'apikey:<api-key-prefix>')
        .replace(hash, (value) => name('hash', value))
        .replace(duration, '"durationMs": <ms>');
    })
    .join('\n');
}

/** The fenced blocks of a markdown text, in order. */
function fencedBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```[a-z]*\n[\s\S]*?\n```$/gm)].map((match) => match[0]);
}

/** The route each curl command of a page calls (variables stand for any path segment). */
function routesCalled(markdown: string): string[] {
  const route = createRouter(routeList);
  return [...markdown.matchAll(/curl -s(?: -i)?(?: -X (\w+))? "\$API([^"?]+)/g)].map(([, method = 'GET', path]) => {
    const match = route(method, path.replace(/\$[A-Z]+(\.\d+)?/g, 'x'));
    return match.kind === 'route' ? match.route.operationId : `${method} ${path}: ${match.kind}`;
  });
}

let server: LocalServer;

beforeAll(async () => {
  if (!existsSync(join(functionsDir, 'health', 'index.mjs')))
    throw new Error(`${functionsDir} has no bundles: run npm run build (npm test does)`);
  server = await startLocalServer({
    port: 0,
    dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT,
    // A table of its own: the organization is `local`, and it must hold nothing but the tour.
    tableName: `flowplane-tour-${randomUUID()}`,
    functionsDir,
    secretsKeyFile: process.env.SECRETS_KEY_FILE,
    eventsSinkFile: join(mkdtempSync(join(tmpdir(), 'flowplane-tour-events-')), 'events.ndjson'),
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

test('docs/tour.md is what the server answers today (npm run docs:tour writes it)', async () => {
  // Prepare
  const committed = readFileSync(tourFile, 'utf8');
  // Act
  const fresh = await renderTour(server);
  // Assess
  expect(normaliseTour(fresh)).toBe(normaliseTour(committed));
}, 60_000);

test('the tour calls every route of the route table', () => {
  // Prepare
  const tour = readFileSync(tourFile, 'utf8');
  // Act
  const called = new Set(routesCalled(tour));
  // Assess
  expect([...called].sort()).toEqual(routeList.map((route) => route.operationId).sort());
});

test('every example of the README is a step of the tour, its answer included', () => {
  // Prepare
  const tour = normaliseTour(readFileSync(tourFile, 'utf8'), { numbered: false });
  const readme = readFileSync(readmeFile, 'utf8');
  const tryIt = /^## Try it\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
  const blocks = fencedBlocks(normaliseTour(tryIt, { numbered: false }));
  // Act: a command and the answer right after it must follow each other in the tour too.
  const missing = blocks
    .map((block, index) =>
      block.startsWith('```sh') && blocks[index + 1] && !blocks[index + 1].startsWith('```sh')
        ? `${block}\n\n${blocks[index + 1]}`
        : block,
    )
    .filter((excerpt) => !tour.includes(excerpt));
  // Assess
  expect(blocks.length).toBeGreaterThanOrEqual(5);
  expect(missing).toEqual([]);
});

test('the normalisation names what varies and keeps everything else', () => {
  // Prepare
  const id = randomUUID();
  const other = randomUUID();
  const page = [
    '## Executors',
    `{"id": "${id}", "createdAt": "2026-11-22T13:37:01.165Z", "durationMs": 12}`,
    `curl "$API/v1/executors/${other}"  http://127.0.0.1:40123  python3 -m http.server 40999`,
    '## Workflows',
    `"${id}" "webhook_url": "http://127.0.0.1:40123/v1/workflows/${randomUUID()}/invoke"`,
  ].join('\n');
  const committed = readFileSync(tourFile, 'utf8');
  // Act
  const normalised = normaliseTour(page);
  const edits = [
    committed.replace('HTTP/1.1 201 Created', 'HTTP/1.1 200 OK'),
    committed.replace('"status": "configured"', '"status": "active"'),
    committed.replace('etag: "2"', 'etag: "3"'),
    committed.replace(/"id": "[^"]+"/, `"id": "${randomUUID()}"`),
  ];
  // Assess
  expect(normalised).toBe(
    [
      '## Executors',
      '{"id": "<executor-1>", "createdAt": "<timestamp>", "durationMs": <ms>}',
      'curl "$API/v1/executors/<executor-2>"  http://127.0.0.1:<port-1>  python3 -m http.server <port-2>',
      '## Workflows',
      '"<executor-1>" "webhook_url": "http://127.0.0.1:<port-1>/v1/workflows/<workflow-1>/invoke"',
    ].join('\n'),
  );
  for (const edited of edits) {
    expect(edited).not.toBe(committed);
    expect(normaliseTour(edited)).not.toBe(normaliseTour(committed));
  }
});
