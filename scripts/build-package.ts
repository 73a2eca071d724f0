/**
 * Builds what `npm pack` ships (package.json `files`), from the lockfile's dependencies:
 *
 * - the function bundles and their manifest (dist/functions, dist/functions-source-maps),
 *   built when stale (infra/build-if-stale.ts), so the package holds the bytes the tests ran;
 * - the construct library (infra/index.ts and what it imports; of functions/, only the dependency-free
 *   functions/auth/oidc-settings.ts, so the construct checks and passes on `auth.oidc` as the functions read it):
 *   dist/lib/esm/index.js (ESM) and dist/lib/cjs/index.js (CommonJS, where `import.meta.url`
 *   becomes the file's URL), each beside the same `.d.ts` files; dist/lib/cjs/package.json
 *   marks that folder CommonJS, so a `require` consumer's TypeScript reads it as such;
 * - the `flowplane` command (scripts/flowplane-bin.ts) bundled with the AWS SDK:
 *   dist/cli/flowplane.mjs.
 *
 * `--prepack` (npm's prepack) also writes the package.json a consumer gets — no
 * devDependencies, no optionalDependencies (the pinned Node 22 of the tests), no scripts —
 * keeping this one in dist/package.dev.json; `--postpack` puts it back. `npm pack` then
 * `npm publish <tarball>` publishes exactly what was packed.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { buildFunctionsIfStale } from '../infra/build-if-stale.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const manifestPath = join(root, 'package.json');
const devManifestPath = join(dist, 'package.dev.json');

/** What a consumer's package.json keeps of ours. */
const publishedFields = [
  'name',
  'version',
  'description',
  'keywords',
  'license',
  'repository',
  'type',
  'engines',
  'sideEffects',
  'exports',
  'main',
  'types',
  'bin',
  'files',
  'peerDependencies',
];

/** Writes a file unless it already holds these bytes (a synth or a test may be reading it). */
function writeIfChanged(file: string, contents: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === contents) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, contents);
}

async function bundle(options: BuildOptions & { outfile: string }): Promise<void> {
  const { outputFiles } = await build({ ...options, write: false, logLevel: 'warning' });
  for (const file of outputFiles) writeIfChanged(file.path, file.text);
}

async function buildLibrary(): Promise<void> {
  const library = {
    entryPoints: [join(root, 'infra', 'index.ts')],
    bundle: true,
    // aws-cdk-lib and constructs are the consumer's (peer dependencies); the library imports nothing else.
    packages: 'external',
    platform: 'node',
    target: 'node20',
    legalComments: 'none',
  } as const satisfies BuildOptions;
  await bundle({ ...library, format: 'esm', outfile: join(dist, 'lib', 'esm', 'index.js') });
  await bundle({
    ...library,
    format: 'cjs',
    outfile: join(dist, 'lib', 'cjs', 'index.js'),
    define: { 'import.meta.url': '__flowplaneModuleUrl' },
    banner: { js: "const __flowplaneModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  writeIfChanged(join(dist, 'lib', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
  // Declarations: tsc writes them to a scratch folder, then each format gets the same files.
  const scratch = join(dist, 'lib', 'types');
  rmSync(scratch, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(root, 'tsconfig.lib.json'),
      '--outDir',
      scratch,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  // The declarations keep the sources' layout (infra/, and the one module of functions/ the library shares):
  // index.d.ts at each format's root re-exports infra/index.d.ts, the entry `types` names.
  for (const format of ['esm', 'cjs']) {
    cpSync(scratch, join(dist, 'lib', format), { recursive: true });
    writeIfChanged(join(dist, 'lib', format, 'index.d.ts'), "export * from './infra/index.js';\n");
  }
  rmSync(scratch, { recursive: true, force: true });
}

async function buildCli(): Promise<void> {
  await bundle({
    entryPoints: [join(root, 'scripts', 'flowplane-bin.ts')],
    outfile: join(dist, 'cli', 'flowplane.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    // Bundled CommonJS (the SDK's) calls require(); give the ESM bundle one.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __flowplaneCreateRequire } from 'node:module'; const require = __flowplaneCreateRequire(import.meta.url);",
    },
  });
}

/** The package.json of the package: the published fields only. */
function publishedManifest(manifest: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    publishedFields.filter((field) => field in manifest).map((field) => [field, manifest[field]]),
  );
}

if (process.argv.includes('--postpack')) {
  if (existsSync(devManifestPath)) {
    writeFileSync(manifestPath, readFileSync(devManifestPath));
    rmSync(devManifestPath);
  }
} else {
  buildFunctionsIfStale(root);
  await buildLibrary();
  await buildCli();
  if (process.argv.includes('--prepack')) {
    const text = readFileSync(manifestPath, 'utf8');
    mkdirSync(dist, { recursive: true });
    if (!existsSync(devManifestPath)) writeFileSync(devManifestPath, text);
    writeFileSync(
      manifestPath,
      `${JSON.stringify(publishedManifest(JSON.parse(text) as Record<string, unknown>), null, 2)}\n`,
    );
  }
}
