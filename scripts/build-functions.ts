/**
 * Bundles one ESM file per route (dist/functions/<operationId>/index.mjs) from the route
 * table, one per table stream consumer and one for the migration (dist/functions/<name>/index.mjs), plus the
 * local server, with the same settings the CDK stack uses. `--source-maps` adds source
 * maps for local debugging (`npm start` asks for them); the default matches production.
 */
import { build } from 'esbuild';
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeList } from '../functions/routes.js';
import { migrationFunction } from '../functions/migrations/function.js';
import { streamConsumerList } from '../functions/streams/consumer-table.js';
import { functionBundleOptions, routeBundleAliases } from '../infra/bundling.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourcemap = process.argv.includes('--source-maps');
// A map left by an earlier `npm start` build would no longer match its bundle.
if (!sourcemap) {
  for (const name of [
    ...routeList.map((route) => route.operationId),
    ...streamConsumerList.map((consumer) => consumer.name),
    migrationFunction.name,
  ]) {
    rmSync(join(root, 'dist', 'functions', name, 'index.mjs.map'), { force: true });
  }
}

await Promise.all(
  routeList.map((route) =>
    build({
      ...functionBundleOptions,
      sourcemap,
      alias: routeBundleAliases(route.operationId),
      entryPoints: [join(root, route.entry)],
      outfile: join(root, 'dist', 'functions', route.operationId, 'index.mjs'),
      logLevel: 'warning',
    }),
  ),
);
// The table stream consumers (functions/streams/consumer-table.ts) and the migration, which `npm start` also runs.
await Promise.all(
  [...streamConsumerList, migrationFunction].map((consumer) =>
    build({
      ...functionBundleOptions,
      sourcemap,
      entryPoints: [join(root, consumer.entry)],
      outfile: join(root, 'dist', 'functions', consumer.name, 'index.mjs'),
      logLevel: 'warning',
    }),
  ),
);
await build({
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  entryPoints: [join(root, 'scripts', 'local', 'server.ts')],
  outfile: join(root, 'dist', 'local', 'server.mjs'),
  logLevel: 'warning',
});
// The launcher that keeps DynamoDB Local on 127.0.0.1 is Java source, run from beside the server.
copyFileSync(
  join(root, 'scripts', 'local', 'LoopbackDynamoDbLocal.java'),
  join(root, 'dist', 'local', 'LoopbackDynamoDbLocal.java'),
);
for (const route of routeList) {
  const size = statSync(join(root, 'dist', 'functions', route.operationId, 'index.mjs')).size;
  console.log(`${route.operationId.padEnd(34)} ${(size / 1024).toFixed(1).padStart(7)} KiB`);
}
for (const consumer of [...streamConsumerList, migrationFunction]) {
  const size = statSync(join(root, 'dist', 'functions', consumer.name, 'index.mjs')).size;
  console.log(`${consumer.name.padEnd(34)} ${(size / 1024).toFixed(1).padStart(7)} KiB`);
}
