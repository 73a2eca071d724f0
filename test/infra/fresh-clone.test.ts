/**
 * A fresh clone, as CI, a new team member and an infra team installing the package meet
 * it: only the files git tracks (so no functions/generated/, no dist/, no cdk.out/), the
 * installed node_modules, no AWS credentials, no network for synth.
 *
 * 1. `npx cdk synth` builds the bundles (none are there) and synthesizes. It once failed
 *    with `Could not resolve .../functions/generated/validators.health.js` (issue 12).
 * 2. `npm pack` in that clone makes the package, from the lockfile (issue 21).
 * 3. What a team does (issue 21): a CommonJS app laid out as `cdk init app --language
 *    typescript` makes it (ts-node, type-checked) and an ESM app install the tarball and
 *    the peers from npm's cache and run `cdk synth` offline: the routes, the table, the
 *    alarms, and every function deploys the bytes this repository built and tested (its
 *    role carrying its grants inline). The two apps share one install (one node_modules
 *    above both) to save a minute.
 * 4. `npx flowplane api-key create --permissions …` and `list` run from the installed package, without this
 *    repository's devDependencies (the AWS SDK is inside the command's bundle); so do the
 *    runbook's `flowplane replay` and `flowplane restored-table` (issue 22), as far as
 *    their inputs and their first AWS call.
 *
 * The steps share the clone and run in order; each fails with the output that explains it.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
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
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { neededPermissions } from '../../functions/auth/permissions.js';
import { currentFormats } from '../../functions/domain/formats.js';
import { migrationFunction } from '../../functions/migrations/function.js';
import { routeList } from '../../functions/routes.js';
import { getDocumentClient } from '../../functions/store/client.js';
import { apiKeysByOrganization } from '../../functions/store/keys.js';
import { tableDefinition } from '../../functions/store/table.js';
import { streamConsumerList } from '../../functions/streams/consumer-table.js';
import { captureText } from '../support/log-capture.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cdk = join(root, 'node_modules', '.bin', 'cdk');
const { devDependencies, version: packageVersion } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
  version: string;
};
let work: string;
let clone: string;
let tarball: string;

/** What a shell on a machine without AWS credentials has: none of npm's, jest's or the test run's settings. */
const testSettings =
  /^(AWS_|CDK_|NODE_OPTIONS$|JEST_|npm_|INIT_CWD$|TABLE_NAME$|DYNAMODB_ENDPOINT$|POWERTOOLS_|LOG_CAPTURE_DIR$|SECRETS_KEY_FILE$)/;
const cleanEnvironment = () => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !testSettings.test(name))),
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
});

/** Runs a command to its end and returns its standard output; fails with its output's tail unless it exits 0. */
async function run(command: string, args: string[], cwd: string, env = cleanEnvironment()): Promise<string> {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (status !== 0)
    throw new Error(`${command} ${args.join(' ')} in ${cwd} exited ${status}:\n${(stdout + stderr).slice(-4000)}`);
  return stdout;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
const templateOf = (cdkOut: string, stack: string) =>
  JSON.parse(readFileSync(join(cdkOut, `${stack}.template.json`), 'utf8')) as Template;
const ofType = (template: Template, type: string) =>
  Object.values(template.Resources).filter((resource) => resource.Type === type);

/** Each flowplane function's asset hash, by its description (`METHOD /path (needs …)`, or the stream consumer's). */
const assetsByDescription = (template: Template) =>
  Object.fromEntries(
    ofType(template, 'AWS::Lambda::Function')
      .filter((fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
      .map((fn) => [fn.Properties.Description as string, (fn.Properties.Code.S3Key as string).replace(/\.zip$/, '')]),
  );

/** A route function's description: its method and path, and the permission it needs (infra/constructs/flowplane.ts). */
const routeDescription = (route: (typeof routeList)[number]) => {
  const needs = neededPermissions(route);
  return `${route.method} ${route.path}${needs.length > 0 ? ` (needs ${needs.join(', ')})` : ''}`;
};

/** Every file below a folder with its size and modification time: what "nothing written" is checked against. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = join(entry.parentPath, entry.name);
      const { size, mtimeMs } = statSync(file);
      return `${file} ${size} ${mtimeMs}`;
    })
    .sort();
}

beforeAll(() => {
  // A clone's files: what git tracks, as they are in this working tree.
  work = mkdtempSync(join(tmpdir(), 'flowplane-clone-'));
  clone = join(work, 'flowplane');
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of tracked.filter((f) => existsSync(join(root, f)))) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(join(root, file), join(clone, file));
  }
  // `npm ci` would install the same lockfile; link the installed tree instead of downloading it again.
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

test('npx cdk synth --quiet works in a fresh clone without npm run build, credentials or network', () => {
  // Prepare
  expect(existsSync(join(clone, 'functions', 'generated'))).toBe(false);
  expect(existsSync(join(clone, 'dist'))).toBe(false);
  // Act
  const synth = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices'], {
    cwd: clone,
    env: cleanEnvironment(),
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
  const template = templateOf(join(clone, 'cdk.out'), 'Flowplane-dev');
  expect(ofType(template, 'AWS::Lambda::Function').length).toBeGreaterThan(20);
  const bundles = readdirSync(join(clone, 'cdk.out')).filter(
    (name) => name.startsWith('asset.') && existsSync(join(clone, 'cdk.out', name, 'index.mjs')),
  );
  expect(bundles.length).toBeGreaterThan(20);
  expect(existsSync(join(clone, 'functions', 'generated', 'validators.health.js'))).toBe(true);
  // Built from the lockfile in the clone, the bundles are the bytes of this working tree's build (`npm test` ran it).
  // Source maps aside: they name the sources' paths, and the clone reaches node_modules through a link.
  const bundlesOf = (dir: string) => {
    const { files, ...rest } = JSON.parse(readFileSync(join(dir, 'dist', 'functions', 'manifest.json'), 'utf8')) as {
      files: Record<string, string>;
    };
    return { ...rest, files: Object.entries(files).filter(([path]) => !path.endsWith('.map')) };
  };
  expect(bundlesOf(clone)).toEqual(bundlesOf(root));
}, 900_000);

test('npm pack makes a package of the built library, bundles and command, with only the peers as dependencies', async () => {
  // Act
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], clone);
  // Assess
  const [{ filename, files }] = JSON.parse(packed) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = join(work, filename);
  const paths = files.map((file) => file.path);
  for (const path of [
    'package.json',
    'README.md',
    'dist/lib/esm/index.js',
    'dist/lib/esm/index.d.ts',
    'dist/lib/cjs/index.js',
    'dist/lib/cjs/index.d.ts',
    'dist/lib/cjs/package.json',
    'dist/cli/flowplane.mjs',
    'dist/functions/manifest.json',
    ...[
      ...routeList.map((route) => route.operationId),
      ...streamConsumerList.map((consumer) => consumer.name),
      migrationFunction.name,
    ].map((name) => `dist/functions/${name}/index.mjs`),
  ])
    expect([path, paths.includes(path)]).toEqual([path, true]);
  expect(
    paths.filter(
      (path) =>
        !/^(package\.json|README\.md|CHANGELOG\.md|dist\/(lib|cli|functions|functions-source-maps)\/.+)$/.test(path),
    ),
  ).toEqual([]);
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  ) as Record<string, unknown>;
  expect(manifest).toMatchObject({
    name: 'flowplane',
    main: './dist/lib/cjs/index.js',
    types: './dist/lib/cjs/index.d.ts',
    bin: { flowplane: 'dist/cli/flowplane.mjs' },
    peerDependencies: { 'aws-cdk-lib': expect.any(String), constructs: expect.any(String) },
  });
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'scripts'])
    expect([field, manifest[field]]).toEqual([field, undefined]);
  // postpack put the clone's own package.json back.
  expect(readFileSync(join(clone, 'package.json'), 'utf8')).toBe(readFileSync(join(root, 'package.json'), 'utf8'));
}, 900_000);

/** The two team apps: a CommonJS one as `cdk init app --language typescript` lays it out, and an ESM one. */
function writeApps(apps: string): void {
  const files: Record<string, string> = {
    'cjs/package.json': JSON.stringify({ name: 'team-cjs', version: '0.1.0', bin: { 'team-cjs': 'bin/team.js' } }),
    'cjs/cdk.json': JSON.stringify({ app: 'npx ts-node --prefer-ts-exts bin/team.ts' }),
    'cjs/tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2020',
        module: 'commonjs',
        lib: ['es2020', 'dom'],
        declaration: true,
        strict: true,
        noImplicitAny: true,
        strictNullChecks: true,
        noImplicitThis: true,
        alwaysStrict: true,
        noImplicitReturns: true,
        inlineSourceMap: true,
        inlineSources: true,
        experimentalDecorators: true,
        strictPropertyInitialization: false,
        typeRoots: ['../node_modules/@types'],
      },
      exclude: ['node_modules', 'cdk.out'],
    }),
    'cjs/bin/team.ts': [
      "import * as cdk from 'aws-cdk-lib';",
      "import { TeamStack } from '../lib/team-stack';",
      '',
      'const app = new cdk.App();',
      "new TeamStack(app, 'TeamStack');",
    ].join('\n'),
    'cjs/lib/team-stack.ts': [
      "import * as cdk from 'aws-cdk-lib';",
      "import { Construct } from 'constructs';",
      "import { Flowplane } from 'flowplane';",
      '',
      'export class TeamStack extends cdk.Stack {',
      '  constructor(scope: Construct, id: string, props?: cdk.StackProps) {',
      '    super(scope, id, props);',
      "    const flowplane = new Flowplane(this, 'Flowplane', { stage: 'prod', cfnOutputs: true });",
      "    new cdk.CfnOutput(this, 'Url', { value: flowplane.apiUrl });",
      '  }',
      '}',
    ].join('\n'),
    'esm/package.json': JSON.stringify({ name: 'team-esm', version: '0.1.0', type: 'module' }),
    'esm/cdk.json': JSON.stringify({ app: 'npx tsc && node build/bin/team.js' }),
    'esm/tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['es2022'],
        strict: true,
        skipLibCheck: true,
        rootDir: '.',
        outDir: 'build',
        typeRoots: ['../node_modules/@types'],
      },
      include: ['bin'],
    }),
    'esm/bin/team.ts': [
      "import { App, Stack } from 'aws-cdk-lib';",
      "import { Flowplane, type FlowplaneProps } from 'flowplane';",
      '',
      'const app = new App();',
      "const props: FlowplaneProps = { stage: 'dev' };",
      "new Flowplane(new Stack(app, 'TeamEsm'), 'Flowplane', props);",
    ].join('\n'),
    'package.json': JSON.stringify({ name: 'team-apps', private: true }),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(apps, path)), { recursive: true });
    writeFileSync(join(apps, path), `${text}\n`);
  }
}

test("a team's CommonJS (ts-node) and ESM apps install the package and synthesize offline the bytes this repository tested", async () => {
  // Prepare
  expect(tarball).toBeDefined();
  const apps = join(work, 'apps');
  writeApps(apps);
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      tarball,
      ...['aws-cdk-lib', 'constructs', 'typescript', 'ts-node', '@types/node'].map(
        (name) => `${name}@${devDependencies[name]}`,
      ),
    ],
    apps,
  );
  const installed = listing(join(apps, 'node_modules', 'flowplane'));
  // Act
  // aws-cdk-lib's own CloudFormation validation (about 7.5 s of CPU a synth) checks the same construct's template in
  // stack.test.ts; here it would only double the cost.
  const synthEnvironment = { ...cleanEnvironment(), CDK_VALIDATION: 'false' };
  await Promise.all(
    ['cjs', 'esm'].map((app) => run(cdk, ['synth', '--quiet', '--no-notices'], join(apps, app), synthEnvironment)),
  );
  // Assess
  expect(listing(join(apps, 'node_modules', 'flowplane'))).toEqual(installed);
  const repository = assetsByDescription(templateOf(join(clone, 'cdk.out'), 'Flowplane-dev'));
  const descriptions = [
    ...routeList.map(routeDescription),
    ...streamConsumerList.map((consumer) => consumer.description),
    migrationFunction.description,
  ].sort();
  const manifest = JSON.parse(readFileSync(join(root, 'dist', 'functions', 'manifest.json'), 'utf8')) as {
    files: Record<string, string>;
  };
  const builtByDescription = Object.fromEntries([
    ...routeList.map((route) => [routeDescription(route), route.operationId]),
    ...streamConsumerList.map((consumer) => [consumer.description, consumer.name]),
    [migrationFunction.description, migrationFunction.name],
  ]);
  for (const [app, stack] of [
    ['cjs', 'TeamStack'],
    ['esm', 'TeamEsm'],
  ]) {
    const cdkOut = join(apps, app, 'cdk.out');
    const template = templateOf(cdkOut, stack);
    const assets = assetsByDescription(template);
    // The routes, stream consumers and the migration, each with the asset the repository's own app deploys…
    expect(Object.keys(assets).sort()).toEqual(descriptions);
    expect(assets).toEqual(Object.fromEntries(descriptions.map((d) => [d, repository[d]])));
    // …whose bytes are this working tree's build, the one every other test ran.
    for (const [description, hash] of Object.entries(assets)) {
      const name = builtByDescription[description];
      expect([name, sha256(join(cdkOut, `asset.${hash}`, 'index.mjs'))]).toEqual([
        name,
        manifest.files[`functions/${name}/index.mjs`],
      ]);
    }
    expect(ofType(template, 'AWS::ApiGateway::Method')).toHaveLength(routeList.length);
    // Each function's role keeps its grants inline (InlinePolicyRole): no policy resource attached to it.
    const functionRoles = ofType(template, 'AWS::Lambda::Function')
      .filter((fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
      .map((fn) => (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
    expect(functionRoles).toHaveLength(descriptions.length);
    const attached = ofType(template, 'AWS::IAM::Policy').flatMap((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).map((role) => role.Ref),
    );
    for (const role of functionRoles) {
      expect([role, attached.includes(role)]).toEqual([role, false]);
      expect([role, template.Resources[role].Properties.Policies]).toEqual([
        role,
        [expect.objectContaining({ PolicyName: 'access' })],
      ]);
    }
    const [table] = ofType(template, 'AWS::DynamoDB::Table');
    expect(table.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(ofType(template, 'AWS::CloudWatch::Alarm')).toHaveLength(
      ofType(templateOf(join(clone, 'cdk.out'), 'Flowplane-dev'), 'AWS::CloudWatch::Alarm').length,
    );
    // The migration runs on the team's deploys too, for this package's release and formats.
    expect(ofType(template, 'Custom::FlowplaneMigration').map((run) => run.Properties)).toEqual([
      expect.objectContaining({ Release: packageVersion, Formats: JSON.stringify(currentFormats) }),
    ]);
  }
}, 900_000);

test('npx flowplane api-key runs from the installed package: it stores a key with its permissions, lists them, and reads a stack with the SDK inside', async () => {
  // Prepare
  const apps = join(work, 'apps');
  expect(existsSync(join(apps, 'node_modules', '.bin', 'flowplane'))).toBe(true);
  const organization = `package-${randomUUID()}`;
  const local = {
    ...cleanEnvironment(),
    TABLE_NAME: process.env.TABLE_NAME as string,
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT as string,
    AWS_REGION: 'local',
  };
  // Act
  const created = await run(
    'npx',
    [
      'flowplane',
      'api-key',
      'create',
      '--org',
      organization,
      '--name',
      'ci',
      '--permissions',
      'workflows:read,workflows:deploy',
    ],
    apps,
    local,
  );
  const listed = await run('npx', ['flowplane', 'api-key', 'list', '--org', organization], apps, local);
  const stack = spawnSync('npx', ['flowplane', 'api-key', 'list', '--org', organization, '--stack', 'TeamStack'], {
    cwd: apps,
    env: {
      ...cleanEnvironment(),
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'package-test-secret',
      // Nothing listens there: the SDK's own attempt fails, with the SDK's message.
      AWS_ENDPOINT_URL_CLOUDFORMATION: 'http://127.0.0.1:9',
    },
    encoding: 'utf8',
  });
  // Assess
  expect(created).toMatch(/API key \(shown once, store it now\): fp_/);
  const { Items } = await getDocumentClient().send(
    new QueryCommand({
      TableName: process.env.TABLE_NAME,
      IndexName: tableDefinition.gsi1.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': apiKeysByOrganization(organization).gsi1pk },
    }),
  );
  expect(Items).toEqual([expect.objectContaining({ permissions: ['workflows:read', 'workflows:deploy'] })]);
  expect(listed).toMatch(/ ci +created .* workflows:read,workflows:deploy\n/);
  expect({ status: stack.status, output: stack.stdout + stack.stderr }).toEqual({
    status: 2,
    output: expect.stringContaining('could not read the outputs of stack TeamStack'),
  });
}, 300_000);

test("the runbook's replay and restored-table run from the installed package: inputs checked, the SDK's calls made", () => {
  // Prepare
  const apps = join(work, 'apps');
  expect(existsSync(join(apps, 'node_modules', '.bin', 'flowplane'))).toBe(true);
  const flowplane = (args: string[], env: NodeJS.ProcessEnv) => {
    const result = spawnSync('npx', ['flowplane', ...args], { cwd: apps, env, encoding: 'utf8' });
    return { status: result.status, output: result.stdout + result.stderr };
  };
  const offline = {
    ...cleanEnvironment(),
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'package-test-secret',
    // Nothing listens there: the stack's outputs cannot be read, with the SDK's own error.
    AWS_ENDPOINT_URL_CLOUDFORMATION: 'http://127.0.0.1:9',
  };
  // Act
  const help = flowplane(['--help'], offline);
  const refused = flowplane(['replay', 'stream', '--max', 'lots'], offline);
  const replay = flowplane(['replay', 'stream', '--stack', 'TeamStack', '--dry-run'], offline);
  const restored = flowplane(['restored-table', '--table', `missing-${randomUUID()}`], {
    ...cleanEnvironment(),
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT,
    AWS_REGION: 'local',
  });
  // Assess
  expect(help).toEqual({ status: 0, output: expect.stringMatching(/ replay +send dead letters[^]* restored-table /) });
  expect(refused).toEqual({
    status: 2,
    output: expect.stringContaining('--max must be a whole number from 1 to 10000 (got lots)'),
  });
  expect(refused.output).toContain('flowplane replay stream');
  expect(replay).toEqual({ status: 1, output: expect.stringMatching(/^flowplane: .*ECONNREFUSED 127\.0\.0\.1:9/m) });
  expect(restored).toEqual({ status: 1, output: expect.stringMatching(/^flowplane: ResourceNotFoundException: /m) });
}, 300_000);
