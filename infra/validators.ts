/**
 * The function bundles import generated code: the per-route Ajv validators in
 * functions/generated/ (scripts/build-validators.ts), which git does not hold. The CDK
 * app builds them itself before any function is bundled, so `npx cdk synth` and
 * `npx cdk deploy` work in a fresh clone right after `npm ci`, with no `npm run build`.
 * The build writes only files whose text changed, so a synth next to running tests
 * rewrites nothing they read.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let built = false;

/** Generates functions/generated/ once per process (a few seconds; a no-op write when up to date). */
export function buildValidators(): void {
  if (built) return;
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build-validators.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  built = true;
}
