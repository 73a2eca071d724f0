/**
 * The `flowplane` executable: `npx flowplane <command> …` from the installed package,
 * which runs it bundled with the AWS SDK inside (dist/cli/flowplane.mjs, built by
 * scripts/build-package.ts), so it needs none of this repository's devDependencies;
 * `npm run flowplane -- <command> …` (and `npm run api-key -- …`, `npm run replay -- …`,
 * `npm run restored-table -- …`) here. It always runs:
 * npm starts it through a link whose name is not the file's. A failure prints its name
 * and message, not the minified line it was thrown from.
 */
import { runFlowplane } from './flowplane.js';

try {
  process.exitCode = await runFlowplane(process.argv.slice(2));
} catch (error) {
  const { name, message } = error as Error;
  console.error(`flowplane: ${name}: ${message}`);
  process.exitCode = 1;
}
