/**
 * `npx cdk synth` in a fresh clone, as CI and a new team member run it: only the files
 * git tracks (so no functions/generated/, no dist/, no cdk.out/), the installed
 * node_modules, no prior `npm run build`, no AWS credentials, no network. It once failed
 * with `Could not resolve .../functions/generated/validators.health.js` (issue 12). The
 * bundles it writes are the ones the suite checks (size budgets, no source map, built-ins
 * through `require`): the only CDK bundling of the run (test/infra/stack.test.ts
 * synthesizes without).
 */
import { spawnSync, execFileSync, type SpawnSyncReturns } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeList } from '../../functions/routes.js';
import { streamConsumerList } from '../../functions/streams/consumer-table.js';
import { esmBuiltinImports } from '../support/bundles.js';
import { captureText } from '../support/log-capture.js';

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any> };

const root = fileURLToPath(new URL('../..', import.meta.url));
let clone: string;
let synth: SpawnSyncReturns<string>;
/** What the clone held before the synth. */
let built: { generated: boolean; dist: boolean };

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
  built = { generated: existsSync(join(clone, 'functions', 'generated')), dist: existsSync(join(clone, 'dist')) };
  const environment = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|CDK_|NODE_OPTIONS$|JEST_)/.test(name)),
  );
  synth = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices'], {
    cwd: clone,
    env: { ...environment, CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
    encoding: 'utf8',
    timeout: 900_000,
  });
  captureText(`${synth.stdout}${synth.stderr}`);
}, 900_000);

afterAll(() => {
  rmSync(clone, { recursive: true, force: true });
});

/** The synthesized template's resources. */
const resources = () =>
  (
    JSON.parse(readFileSync(join(clone, 'cdk.out', 'Flowplane-dev.template.json'), 'utf8')) as {
      Resources: Record<string, Resource>;
    }
  ).Resources;

/** The one function with this description (a route's `METHOD /path`, a consumer's own). */
function functionWith(description: string): Resource {
  const functions = Object.values(resources()).filter(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === description,
  );
  expect([description, functions.length]).toEqual([description, 1]);
  return functions[0];
}

/** The directory of that function's bundle in the assembly. */
const bundleOf = (description: string) =>
  join(clone, 'cdk.out', functionWith(description).Metadata?.['aws:asset:path'] as string);

const routeDescription = (route: (typeof routeList)[number]) => `${route.method} ${route.path}`;

test('npx cdk synth --quiet works in a fresh clone without npm run build, credentials or network', () => {
  // Assess
  expect(built).toEqual({ generated: false, dist: false });
  expect({
    status: synth.status,
    error: synth.error?.message,
    stderr: synth.status === 0 ? '' : synth.stderr.slice(-3000),
  }).toEqual({ status: 0, error: undefined, stderr: '' });
  const functions = Object.values(resources()).filter((r) => r.Type === 'AWS::Lambda::Function');
  expect(functions.length).toBeGreaterThan(20);
  const bundles = readdirSync(join(clone, 'cdk.out')).filter(
    (name) => name.startsWith('asset.') && existsSync(join(clone, 'cdk.out', name, 'index.mjs')),
  );
  expect(bundles.length).toBeGreaterThan(20);
  expect(existsSync(join(clone, 'functions', 'generated', 'validators.health.js'))).toBe(true);
});

/**
 * KiB per route bundle (docs/performance.md, "Bundle budgets"): 300, plus 30 where the
 * function runs Powertools Idempotency (the idempotent routes and every route that takes
 * commands: 25 KiB measured) and 110 for the three that validate workflow bodies or a node of
 * one (Ajv standalone code, 100 KiB measured; addWorkflowNode's `advanced` is a whole node), and
 * 10 for the two PATCH routes' read-only claims (read-only fields sent back, checked against what
 * is stored: 4.8 KiB measured), and 10 for a node removal's graph rules and node edit (the only
 * route running them without a workflow body's allowance), and 5 for the sealing of what a
 * release before 0.2.0 left in clear on `PUT` and the node routes (issue 20: 3.6 KiB measured).
 */
function budgetKiB(route: (typeof routeList)[number]): number {
  const idempotency = route.idempotent || route.acceptsCommands ? 30 : 0;
  const workflowBodies = ['createWorkflow', 'updateWorkflow', 'addWorkflowNode'].includes(route.operationId) ? 110 : 0;
  const readOnlyClaims =
    route.operationId === 'updateExecutorConfiguration' || route.operationId === 'updateWorkflow' ? 10 : 0;
  const graphRules = route.operationId === 'removeWorkflowNode' ? 10 : 0;
  const earlierSecrets = ['deployWorkflow', 'addWorkflowNode', 'removeWorkflowNode'].includes(route.operationId)
    ? 5
    : 0;
  return 300 + idempotency + workflowBodies + readOnlyClaims + graphRules + earlierSecrets;
}

test('every route bundle is within its budget and ships no source map (sourceMaps defaults to false)', () => {
  for (const route of routeList) {
    const bundle = bundleOf(routeDescription(route));
    const size = statSync(join(bundle, 'index.mjs')).size;
    expect([route.operationId, size < budgetKiB(route) * 1024]).toEqual([route.operationId, true]);
    expect(readdirSync(bundle)).toEqual(['index.mjs']);
    expect(readFileSync(join(bundle, 'index.mjs'), 'utf8')).not.toContain('sourceMappingURL');
    expect(functionWith(routeDescription(route)).Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
  }
});

test('every stream consumer bundle is under 300 KiB', () => {
  for (const consumer of streamConsumerList) {
    expect(statSync(join(bundleOf(consumer.description), 'index.mjs')).size).toBeLessThan(300 * 1024);
  }
});

test("every deployed bundle went through infra/bundling.ts's built-ins plugin: no ESM import of a built-in but node:module", () => {
  const bundles = [...routeList.map(routeDescription), ...streamConsumerList.map((c) => c.description)].map(
    (description) => join(bundleOf(description), 'index.mjs'),
  );
  expect(bundles.map(esmBuiltinImports)).toEqual(bundles.map(() => ['node:module']));
});
