/**
 * `npx cdk synth` in a fresh clone, as CI and a new team member run it: only the files
 * git tracks (so no functions/generated/, no dist/, no cdk.out/), the installed
 * node_modules, no prior `npm run build`, no AWS credentials, no network. It once failed
 * with `Could not resolve .../functions/generated/validators.health.js` (issue 12).
 */
import { spawnSync, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureText } from '../support/log-capture.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let clone: string;

beforeAll(() => {
  // A clone's files: what git tracks, as they are in this working tree.
  clone = mkdtempSync(join(tmpdir(), 'flowplane-clone-'));
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of tracked.filter((f) => existsSync(join(root, f)))) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(join(root, file), join(clone, file));
  }
  // `npm ci` would install the same lockfile; link the installed tree instead of downloading it again.
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
});

afterAll(() => {
  rmSync(clone, { recursive: true, force: true });
});

test('npx cdk synth --quiet works in a fresh clone without npm run build, credentials or network', () => {
  // Prepare
  expect(existsSync(join(clone, 'functions', 'generated'))).toBe(false);
  expect(existsSync(join(clone, 'dist'))).toBe(false);
  const environment = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|CDK_|NODE_OPTIONS$|JEST_)/.test(name)),
  );
  // Act
  const synth = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices'], {
    cwd: clone,
    env: { ...environment, CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
    encoding: 'utf8',
    timeout: 900_000,
  });
  captureText(`${synth.stdout}${synth.stderr}`);
  // Assess
  expect({
    status: synth.status,
    error: synth.error?.message,
    stderr: synth.status === 0 ? '' : synth.stderr.slice(-3000),
  }).toEqual({ status: 0, error: undefined, stderr: '' });
  const template = JSON.parse(readFileSync(join(clone, 'cdk.out', 'Flowplane-dev.template.json'), 'utf8'));
  const functions = Object.values(template.Resources as Record<string, { Type: string }>).filter(
    (r) => r.Type === 'AWS::Lambda::Function',
  );
  expect(functions.length).toBeGreaterThan(20);
  const bundles = readdirSync(join(clone, 'cdk.out')).filter(
    (name) => name.startsWith('asset.') && existsSync(join(clone, 'cdk.out', name, 'index.mjs')),
  );
  expect(bundles.length).toBeGreaterThan(20);
  expect(existsSync(join(clone, 'functions', 'generated', 'validators.health.js'))).toBe(true);
}, 900_000);
