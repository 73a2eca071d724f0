/**
 * The repository's own apps (infra/app.ts, infra/examples/team-app.ts) and `npm pack`
 * deploy and ship the prebuilt bundles of dist/functions (infra/assets.ts). This builds
 * them first when they are missing or stale, so `npx cdk synth` works in a fresh clone
 * right after `npm ci`, and costs a hash of the sources (milliseconds) when nothing
 * changed. Stale means: the SHA-256 of what the bundles are built from — the functions,
 * schemas, bundling options, build scripts, package.json, tsconfig.json and the lockfile —
 * is not the one the manifest recorded, or a bundle no longer has the bytes the manifest
 * lists.
 *
 * Not part of the library: an installed package has its bundles already.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FunctionsManifest, manifestFile } from './assets.js';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What the bundles and the manifest are built from, relative to the repository root (folders whole). */
export const functionInputs = [
  'functions',
  'schemas',
  'infra/assets.ts',
  'infra/aws-sdk',
  'infra/build-if-stale.ts',
  'infra/bundling.ts',
  'infra/powertools',
  'scripts/build-functions.ts',
  'scripts/build-validators.ts',
  // esbuild reads both: the package's `sideEffects` and `type`, and tsconfig's target (class field semantics).
  'package.json',
  'tsconfig.json',
  'package-lock.json',
];

/** Generated from the inputs, so never one of them. */
const derived = new Set(['functions/generated']);

function filesOf(root: string, path: string): string[] {
  if (derived.has(path) || !existsSync(join(root, path))) return [];
  if (!statSync(join(root, path)).isDirectory()) return [path];
  return readdirSync(join(root, path))
    .sort()
    .flatMap((name) => filesOf(root, `${path}/${name}`));
}

/** SHA-256 over every input file's path and bytes. */
export function functionInputsHash(root = repositoryRoot): string {
  const hash = createHash('sha256');
  for (const file of functionInputs.flatMap((path) => filesOf(root, path))) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Why the bundles need a build, or undefined when they are up to date. */
export function staleReason(root = repositoryRoot): string | undefined {
  const file = join(root, 'dist', manifestFile);
  if (!existsSync(file)) return `no ${relative(root, file)}`;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as FunctionsManifest;
  if (manifest.inputs !== functionInputsHash(root)) return 'the sources changed since the last build';
  const changed = Object.entries(manifest.files).find(
    ([path, sha256]) =>
      !existsSync(join(root, 'dist', path)) ||
      createHash('sha256')
        .update(readFileSync(join(root, 'dist', path)))
        .digest('hex') !== sha256,
  );
  return changed ? `dist/${changed[0]} is not the file the last build wrote` : undefined;
}

/** Builds the validators and the bundles when stale (a few seconds); returns whether it built. */
export function buildFunctionsIfStale(root = repositoryRoot): boolean {
  const reason = staleReason(root);
  if (!reason) return false;
  console.error(`flowplane: building the function bundles (${reason})`);
  for (const script of ['build-validators.ts', 'build-functions.ts']) {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', script)], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return true;
}
