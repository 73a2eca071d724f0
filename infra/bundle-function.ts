/**
 * Rebuilds one function bundle with infra/bundling.ts's options (plugins included) over
 * the bundle the CDK's NodejsFunction wrote with the esbuild CLI, which takes no plugins:
 * `tsx infra/bundle-function.ts <entry> <outfile> <target> <aliases JSON>`. A source map
 * is written only if the CLI wrote one, with sources only if its map had them.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { functionBundleOptions } from './bundling.js';

const [entry, outfile, target, aliases] = process.argv.slice(2);
if (!entry || !outfile || !target || !aliases) {
  console.error('usage: tsx infra/bundle-function.ts <entry> <outfile> <target> <aliases JSON>');
  process.exit(2);
}
const mapFile = `${outfile}.map`;
const map = existsSync(mapFile)
  ? (JSON.parse(readFileSync(mapFile, 'utf8')) as { sourcesContent?: unknown[] })
  : undefined;
if (map) rmSync(mapFile);
await build({
  ...functionBundleOptions,
  target,
  alias: JSON.parse(aliases) as Record<string, string>,
  entryPoints: [resolve(entry)],
  outfile,
  sourcemap: map !== undefined,
  sourcesContent: (map?.sourcesContent?.length ?? 0) > 0,
  logLevel: 'warning',
});
