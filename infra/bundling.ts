/**
 * The esbuild settings every function bundle uses: the local server's bundles, the
 * cold-start benchmark's and the CDK stack's NodejsFunction bundling all take them from
 * here, so what runs locally is what Lambda runs.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Packages replaced in function bundles (see the module's comment for why). */
export const bundleAliases = {
  '@aws-sdk/credential-provider-node': join(root, 'infra', 'aws-sdk', 'credential-provider-env-only.ts'),
  '@aws-lambda-powertools/jmespath': join(root, 'infra', 'powertools', 'jmespath'),
};

/**
 * Aliases for one route's bundle: `#validators` (package.json imports) becomes the
 * module holding only that route's validators (scripts/build-validators.ts).
 */
export function routeBundleAliases(operationId: string): Record<string, string> {
  return { ...bundleAliases, '#validators': join(root, 'functions', 'generated', `validators.${operationId}.js`) };
}

/** ESM for Node 22 on Lambda (also runs on Node 20 locally), AWS SDK bundled and pinned. */
export const functionBundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: true,
  treeShaking: true,
  mainFields: ['module', 'main'],
  legalComments: 'none',
  alias: bundleAliases,
  // Some bundled CommonJS dependencies call require(); give ESM bundles one.
  banner: {
    js: "import { createRequire as __flowplaneCreateRequire } from 'node:module'; const require = __flowplaneCreateRequire(import.meta.url);",
  },
} as const satisfies BuildOptions;
