/**
 * The esbuild settings every function bundle uses: `npm run build` (scripts/build-functions.ts)
 * builds with them the bundles that the CDK construct deploys, the package ships, and the
 * local server and the tests run; the cold-start benchmark builds its variants with them.
 * Build-time only: the construct deploys what the build wrote (infra/assets.ts).
 */
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Plugin } from 'esbuild';

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

/** Every Node built-in but node:module, which the banner imports to make `require`. */
const builtins = new Set(builtinModules.filter((name) => name !== 'module').flatMap((name) => [name, `node:${name}`]));

/**
 * Imports Node built-ins through the bundle's `require` (createRequire, see the banner)
 * instead of ESM `import`. An ESM import of a built-in builds its namespace by reading
 * every export, and on Node 22 one of `node:http`'s exports loads undici (fetch and
 * WebSocket, 18–27 ms) that nothing here uses; `require` reads none of them.
 */
export const builtinsThroughRequire: Plugin = {
  name: 'builtins-through-require',
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (!builtins.has(args.path)) return undefined;
      // The shim's own require of the built-in stays external.
      if (args.namespace === 'node-builtin') return { path: args.path, external: true };
      return { path: args.path.replace(/^node:/, ''), namespace: 'node-builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
      loader: 'js',
    }));
  },
};

/**
 * ESM for Node 22 on Lambda (also runs on Node 20 locally; the output is the same for a
 * node22 target), AWS SDK bundled and pinned, no source map: the build derives the
 * mapped variant itself (scripts/build-functions.ts; docs/infra.md, "Source maps").
 */
export const functionBundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: false,
  treeShaking: true,
  mainFields: ['module', 'main'],
  legalComments: 'none',
  alias: bundleAliases,
  plugins: [builtinsThroughRequire],
  // Some bundled CommonJS dependencies call require(); give ESM bundles one.
  banner: {
    js: "import { createRequire as __flowplaneCreateRequire } from 'node:module'; const require = __flowplaneCreateRequire(import.meta.url);",
  },
} as const satisfies BuildOptions;
