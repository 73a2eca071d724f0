/**
 * Where the construct finds its Lambda code: the bundles `npm run build` makes (and `npm
 * pack` ships), never a build at synth. `dist/functions/<name>/index.mjs` is what a
 * function runs; `dist/functions-source-maps/<name>/` is the same code with its source
 * map, for a stage that asks for mapped stack traces. `dist/functions/manifest.json`
 * says what was built: every route, stream consumer and the migration as the construct
 * needs them, the table's shape, and the SHA-256 of every file, which the construct checks
 * before using a bundle: the bytes deployed are the bytes this repository built and tested.
 *
 * The construct reads the route table only through this manifest, so the library needs
 * none of functions/ (nor its build tools) at the consumer.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A route of functions/routes.ts, as the construct needs it. */
export interface RouteManifest {
  readonly operationId: string;
  readonly method: string;
  /** API Gateway path, with `{parameters}`. */
  readonly path: string;
  /** Exactly the DynamoDB actions its function is granted on the table. */
  readonly tableActions: readonly string[];
  /** The function seals or opens secrets: it gets the wrapped data keys. */
  readonly usesSecrets: boolean;
  /** The function also takes commands (an SQS queue and an EventBridge rule). */
  readonly acceptsCommands: boolean;
  /** The function checks credentials: it gets the stage's OIDC issuer settings (`auth.oidc`). */
  readonly authenticated: boolean;
  /** The permissions a caller needs (functions/auth/permissions.ts), named in the function's description. */
  readonly permissions: readonly string[];
}

/** A table stream consumer of functions/streams/consumer-table.ts. */
export interface ConsumerManifest {
  readonly name: string;
  readonly description: string;
}

/** The migration's function (functions/migrations/function.ts), run by a custom resource on deploy. */
export interface MigrationManifest {
  readonly name: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  /** package.json's version when built: a new release changes the custom resource, so the migration runs. */
  readonly release: string;
  /** The current format of each kind of item (functions/domain/formats.ts): a new step changes it, likewise. */
  readonly formats: Readonly<Record<string, number>>;
}

/** `dist/functions/manifest.json`, written by scripts/build-functions.ts. */
export interface FunctionsManifest {
  /** Bumped when this shape changes. */
  readonly format: 1;
  /** SHA-256 of everything the bundles are built from (infra/build-if-stale.ts): a rebuild is due when it changes. */
  readonly inputs: string;
  readonly routes: readonly RouteManifest[];
  readonly consumers: readonly ConsumerManifest[];
  readonly migration: MigrationManifest;
  readonly table: {
    readonly partitionKey: string;
    readonly sortKey: string;
    readonly gsi1: { readonly name: string; readonly partitionKey: string; readonly sortKey: string };
    readonly gsi2: { readonly name: string; readonly partitionKey: string; readonly sortKey: string };
    readonly timeToLive: string;
  };
  /** `dynamodb:LeadingKeys` pattern of audit items (only the audit writer may write them). */
  readonly auditLeadingKeyPattern: string;
  /** The `entity` values of resource items, the only items the stream consumers are fed. */
  readonly resourceEntities: readonly string[];
  /** Every file of every asset directory, by its path below `dist/`, with its SHA-256. */
  readonly files: Readonly<Record<string, string>>;
}

/** Asset directories below `dist/`: the bundles, and the same bundles with their source maps. */
export const assetDirectories = { bundles: 'functions', sourceMaps: 'functions-source-maps' } as const;

/** The manifest's path below `dist/`. */
export const manifestFile = 'functions/manifest.json';

const packageName = 'flowplane';

/**
 * The package's root: the nearest folder above this module whose package.json is
 * flowplane's. The same from the TypeScript sources (infra/) and the built library
 * (dist/lib/esm, dist/lib/cjs), in this repository or installed in node_modules.
 */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === packageName)
      return dir;
    if (dirname(dir) === dir) throw new Error(`flowplane: no ${packageName} package.json above ${from}`);
  }
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Reads and memoizes `dist/functions/manifest.json` of a package root. */
const manifests = new Map<string, FunctionsManifest>();

/** The manifest of the prebuilt functions, with a clear message when there is none. */
export function functionsManifest(root = packageRoot()): FunctionsManifest {
  const cached = manifests.get(root);
  if (cached) return cached;
  const file = join(root, 'dist', manifestFile);
  if (!existsSync(file)) {
    throw new Error(
      `flowplane: the prebuilt functions are missing (${file}). In the flowplane repository run \`npm run build\`; an installed package ships them (reinstall it).`,
    );
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as FunctionsManifest;
  if (manifest.format !== 1) throw new Error(`flowplane: ${file} has format ${String(manifest.format)}, expected 1`);
  manifests.set(root, manifest);
  return manifest;
}

/**
 * The directory of one function's asset, checked against the manifest: exactly the files
 * it lists, each with its SHA-256. Anything else (a partial build, a file changed after
 * the build) fails the synth instead of deploying bytes nobody tested.
 */
export function functionAsset(name: string, sourceMaps: boolean, root = packageRoot()): string {
  const manifest = functionsManifest(root);
  const relative = `${sourceMaps ? assetDirectories.sourceMaps : assetDirectories.bundles}/${name}`;
  const dir = join(root, 'dist', relative);
  const expected = Object.keys(manifest.files)
    .filter((path) => path.startsWith(`${relative}/`))
    .map((path) => path.slice(relative.length + 1))
    .sort();
  if (expected.length === 0) throw new Error(`flowplane: the manifest lists no asset ${relative}`);
  const present = existsSync(dir) ? readdirSync(dir).sort() : [];
  const differing = [...new Set([...expected, ...present])].filter(
    (file) =>
      !expected.includes(file) ||
      !present.includes(file) ||
      sha256(join(dir, file)) !== manifest.files[`${relative}/${file}`],
  );
  if (differing.length > 0) {
    throw new Error(
      `flowplane: ${dir} differs from the build's manifest (${differing.join(', ')}): rebuild (\`npm run build\` in the repository) or reinstall the package`,
    );
  }
  return dir;
}
