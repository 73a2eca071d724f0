/**
 * Bundles one ESM file per route (dist/functions/<operationId>/index.mjs) from the route
 * table, one per table stream consumer and one for the migration (dist/functions/<name>/
 * index.mjs), with infra/bundling.ts's options, and writes dist/functions/manifest.json (infra/assets.ts):
 * what the CDK construct deploys, `npm pack` ships, the local server and the tests run.
 *
 * Each bundle is built once, with a linked source map (no sources inside): the bundle
 * with its map goes to dist/functions-source-maps/<name>/ (a stage with `sourceMaps: true`
 * deploys that; `npm start` runs it), and the same code without its last line, the
 * `sourceMappingURL` comment, to dist/functions/<name>/ (the default). A file is written
 * only when its bytes change, and the manifest last, so a synth or a test reading the
 * bundles meanwhile never sees half a file. Also bundles the local server (dist/local).
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { neededPermissions } from '../functions/auth/permissions.js';
import { currentFormats } from '../functions/domain/formats.js';
import { migrationFunction } from '../functions/migrations/function.js';
import { routeList } from '../functions/routes.js';
import { auditLeadingKeyPattern } from '../functions/store/keys.js';
import { tableDefinition } from '../functions/store/table.js';
import { resourceEntities } from '../functions/streams/changes.js';
import { streamConsumerList } from '../functions/streams/consumer-table.js';
import { assetDirectories, type FunctionsManifest, manifestFile } from '../infra/assets.js';
import { functionInputsHash } from '../infra/build-if-stale.js';
import { bundleAliases, functionBundleOptions, routeBundleAliases } from '../infra/bundling.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const mapComment = '//# sourceMappingURL=index.mjs.map\n';

/** Writes a file unless it already holds these bytes. */
function writeIfChanged(file: string, contents: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === contents) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, contents);
}

const bundles = [
  ...routeList.map((route) => ({
    name: route.operationId,
    entry: route.entry,
    alias: routeBundleAliases(route.operationId),
  })),
  // The table stream consumers (functions/streams/consumer-table.ts), which `npm start` also runs.
  ...streamConsumerList.map((consumer) => ({ name: consumer.name, entry: consumer.entry, alias: bundleAliases })),
  // The migration (functions/migrations/function.ts), which the stack runs on deploy and `npm start` before serving.
  { name: migrationFunction.name, entry: migrationFunction.entry, alias: bundleAliases },
];

const files: Record<string, string> = {};
await Promise.all(
  bundles.map(async ({ name, entry, alias }) => {
    const mapped = join(dist, assetDirectories.sourceMaps, name, 'index.mjs');
    const { outputFiles } = await build({
      ...functionBundleOptions,
      sourcemap: 'linked',
      sourcesContent: false,
      alias,
      entryPoints: [join(root, entry)],
      outfile: mapped,
      write: false,
      logLevel: 'warning',
    });
    const code = outputFiles.find((file) => file.path === mapped)?.text ?? '';
    const map = outputFiles.find((file) => file.path === `${mapped}.map`)?.text ?? '';
    if (!code.endsWith(mapComment) || !map) throw new Error(`${name}: esbuild wrote no linked source map`);
    const outputs: [string, string][] = [
      [`${assetDirectories.bundles}/${name}/index.mjs`, code.slice(0, -mapComment.length)],
      [`${assetDirectories.sourceMaps}/${name}/index.mjs`, code],
      [`${assetDirectories.sourceMaps}/${name}/index.mjs.map`, map],
    ];
    for (const [path, contents] of outputs) {
      writeIfChanged(join(dist, path), contents);
      files[path] = createHash('sha256').update(contents).digest('hex');
    }
  }),
);

// An asset directory holds exactly what the manifest lists: drop what an older build left (a removed route, a map).
const names = new Set(bundles.map((bundle) => bundle.name));
for (const directory of Object.values(assetDirectories)) {
  for (const entry of readdirSync(join(dist, directory), { withFileTypes: true })) {
    const path = `${directory}/${entry.name}`;
    if (path === manifestFile) continue;
    if (!entry.isDirectory() || !names.has(entry.name)) {
      rmSync(join(dist, path), { recursive: true, force: true });
      continue;
    }
    for (const file of readdirSync(join(dist, path)))
      if (!(`${path}/${file}` in files)) rmSync(join(dist, path, file), { recursive: true, force: true });
  }
}

const manifest: FunctionsManifest = {
  format: 1,
  inputs: functionInputsHash(root),
  routes: routeList.map((route) => ({
    operationId: route.operationId,
    method: route.method,
    path: route.path,
    tableActions: route.tableActions,
    usesSecrets: route.usesSecrets === true,
    acceptsCommands: route.acceptsCommands === true,
    authenticated: route.authenticated === true,
    permissions: neededPermissions(route),
  })),
  consumers: streamConsumerList.map((consumer) => ({ name: consumer.name, description: consumer.description })),
  migration: {
    name: migrationFunction.name,
    description: migrationFunction.description,
    timeoutSeconds: migrationFunction.timeoutSeconds,
    release: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    formats: currentFormats,
  },
  table: {
    partitionKey: tableDefinition.partitionKey,
    sortKey: tableDefinition.sortKey,
    gsi1: tableDefinition.gsi1,
    gsi2: tableDefinition.gsi2,
    timeToLive: tableDefinition.timeToLive,
  },
  auditLeadingKeyPattern,
  resourceEntities,
  files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))),
};
writeIfChanged(join(dist, manifestFile), `${JSON.stringify(manifest, null, 2)}\n`);

const server = await build({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  entryPoints: [join(root, 'scripts', 'local', 'server.ts')],
  outfile: join(dist, 'local', 'server.mjs'),
  write: false,
  logLevel: 'warning',
});
for (const file of server.outputFiles) writeIfChanged(file.path, file.text);
// The launcher that keeps DynamoDB Local on 127.0.0.1 is Java source, run from beside the server.
writeIfChanged(
  join(dist, 'local', 'LoopbackDynamoDbLocal.java'),
  readFileSync(join(root, 'scripts', 'local', 'LoopbackDynamoDbLocal.java'), 'utf8'),
);
for (const { name } of bundles) {
  const size = Buffer.byteLength(readFileSync(join(dist, assetDirectories.bundles, name, 'index.mjs')));
  console.log(`${name.padEnd(34)} ${(size / 1024).toFixed(1).padStart(7)} KiB`);
}
