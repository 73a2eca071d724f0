import { build } from 'esbuild';
import { join } from 'node:path';
import { routeList } from '../functions/routes.ts';
import { streamConsumerList } from '../functions/streams/consumers.ts';
import { functionBundleOptions, routeBundleAliases } from '../scripts/bundling.ts';
const root = '/work/main';
const out = process.argv[2];
await Promise.all([
  ...routeList.map((route) => build({ ...functionBundleOptions, alias: routeBundleAliases(route.operationId), entryPoints: [join(root, route.entry)], outfile: join(out, 'functions', route.operationId, 'index.mjs'), logLevel: 'warning' })),
  ...streamConsumerList.map((c) => build({ ...functionBundleOptions, entryPoints: [join(root, c.entry)], outfile: join(out, 'functions', c.name, 'index.mjs'), logLevel: 'warning' })),
  build({ bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, packages: 'external', entryPoints: [join(root, 'scripts', 'local', 'server.ts')], outfile: join(out, 'local', 'server.mjs'), logLevel: 'warning' }),
]);
console.log('built');
