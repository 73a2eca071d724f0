/**
 * Earlier releases, built from their commits (releases.json) for the upgrade tests:
 * `tsx scripts/releases.ts build [version…]` builds each one (all by default) into
 * `.cache/releases/<version>`, once per commit: the tree at the commit (`git archive`),
 * its own lockfile installed (`npm ci`), its own `npm run build`. A build is reused while
 * its marker names the same commit; anything else is built again from scratch.
 *
 * `git archive` rather than `git worktree add`: the tree is the same, but a worktree is
 * registered in the repository's `.git` and one left behind by a killed run must be
 * pruned by hand. A clone without the release's commit (a shallow CI clone) is deepened
 * with `git fetch --unshallow`; when the commit is still missing, the build fails and says
 * which commit and why.
 *
 * The release's local server (`npm start`'s, dist/local/server.mjs) runs under the Node
 * that runs this script (Node 22 through npm), configured by the variables every release
 * honours: DYNAMODB_ENDPOINT, TABLE_NAME, SECRETS_KEY_FILE, API_KEY, ORGANIZATION_ID,
 * PORT, EVENTS_SINK_FILE.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from './local/dynamodb-local.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The release file: version → commit. */
export function releases(): Record<string, string> {
  return JSON.parse(readFileSync(join(root, 'releases.json'), 'utf8')) as Record<string, string>;
}

/** Where a release is built (gitignored). */
export function releaseDir(version: string): string {
  return join(root, '.cache', 'releases', version);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`,
    );
  return result.stdout;
}

const hasCommit = (commit: string) =>
  spawnSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: root }).status === 0;

/** Makes sure the clone holds the commit: a shallow clone is deepened; otherwise a missing commit is an error. */
function ensureCommit(version: string, commit: string): void {
  if (hasCommit(commit)) return;
  const shallow = run('git', ['rev-parse', '--is-shallow-repository'], root).trim() === 'true';
  if (shallow) run('git', ['fetch', '--unshallow', '--quiet'], root);
  if (!hasCommit(commit))
    throw new Error(
      `release ${version} is commit ${commit} (releases.json), which this clone does not hold` +
        (shallow ? ' even after git fetch --unshallow' : '') +
        ': clone the repository with its history (no --depth)',
    );
}

interface BuildMarker {
  commit: string;
}

const markerFile = (dir: string) => join(dir, '.flowplane-release.json');

/**
 * Builds a release into `.cache/releases/<version>` unless a build of the same commit is
 * there already; returns its directory.
 */
export function buildRelease(version: string, log: (line: string) => void = console.error): string {
  const commit = releases()[version];
  if (!commit) throw new Error(`no release ${version} in releases.json`);
  const dir = releaseDir(version);
  const marker = existsSync(markerFile(dir))
    ? (JSON.parse(readFileSync(markerFile(dir), 'utf8')) as BuildMarker)
    : undefined;
  if (marker?.commit === commit) return dir;
  ensureCommit(version, commit);
  log(`building release ${version} (${commit.slice(0, 7)}) in ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync('git', ['archive', '--format=tar', commit], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  if (archive.status !== 0) throw new Error(`git archive ${commit} failed: ${archive.stderr.toString()}`);
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar -x into ${dir} failed: ${untar.stderr.toString()}`);
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  run('npm', ['run', 'build'], dir);
  writeFileSync(markerFile(dir), `${JSON.stringify({ commit } satisfies BuildMarker)}\n`);
  return dir;
}

/** A release's local server, running in a child process. */
export interface ReleaseServer {
  version: string;
  url: string;
  apiKey: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface ReleaseServerOptions {
  dynamodbEndpoint: string;
  tableName: string;
  secretsKeyFile: string;
  apiKey: string;
  organizationId: string;
  eventsSinkFile: string;
  /** More environment for the server (e.g. ALLOW_PRIVATE_TARGETS). */
  env?: Record<string, string>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

/** Starts a built release's `npm start` server on an existing DynamoDB and resolves once it listens. */
export async function startReleaseServer(version: string, options: ReleaseServerOptions): Promise<ReleaseServer> {
  const dir = buildRelease(version);
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', join(dir, 'dist', 'local', 'server.mjs')], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      AWS_REGION: 'local',
      DYNAMODB_ENDPOINT: options.dynamodbEndpoint,
      TABLE_NAME: options.tableName,
      SECRETS_KEY_FILE: options.secretsKeyFile,
      API_KEY: options.apiKey,
      ORGANIZATION_ID: options.organizationId,
      EVENTS_SINK_FILE: options.eventsSinkFile,
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited(child);
  };
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`release ${version} did not start in 60 s:\n${output}`)), 60_000);
    const onData = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolveUrl(match[1]);
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`release ${version} exited ${code} before listening:\n${output}`));
    });
  }).catch(async (error: Error) => {
    await stop();
    throw error;
  });
  return { version, url, apiKey: options.apiKey, output: () => output, stop };
}

/** Runs a built release's `npm run api-key` CLI on a table; returns what it printed. */
export function releaseApiKeyCli(
  version: string,
  args: string[],
  env: { dynamodbEndpoint: string; tableName: string },
): string {
  const dir = buildRelease(version);
  return run(join(dir, 'node_modules', '.bin', 'tsx'), [join(dir, 'scripts', 'api-key.ts'), ...args], dir, {
    ...process.env,
    NODE_OPTIONS: '',
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: env.dynamodbEndpoint,
    TABLE_NAME: env.tableName,
  });
}

/**
 * A built release's CloudFormation template for a stage, synthesized offline by its own
 * CDK app (its `cdk.json` context, bundling skipped: a function's code is no stateful
 * matter) and kept beside the build, so each release is synthesized once.
 */
export function releaseTemplate(version: string, stage = 'test'): Record<string, unknown> {
  const dir = buildRelease(version);
  const cached = join(dir, `template-${stage}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as Record<string, unknown>;
  const outdir = join(dir, 'cdk.out.upgrade');
  rmSync(outdir, { recursive: true, force: true });
  const { app, context } = JSON.parse(readFileSync(join(dir, 'cdk.json'), 'utf8')) as {
    app: string;
    context?: Record<string, unknown>;
  };
  const [command, ...args] = app.split(' ').filter((word) => word !== 'npx');
  run(join(dir, 'node_modules', '.bin', command), args, dir, {
    ...process.env,
    NODE_OPTIONS: '',
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify({ ...context, stage, 'aws:cdk:bundling-stacks': [] }),
  });
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const stack = Object.values(manifest.artifacts).find((artifact) => artifact.type === 'aws:cloudformation:stack');
  if (!stack?.properties?.templateFile) throw new Error(`release ${version}: no stack template in ${outdir}`);
  const template = readFileSync(join(outdir, stack.properties.templateFile), 'utf8');
  writeFileSync(cached, template);
  rmSync(outdir, { recursive: true, force: true });
  return JSON.parse(template) as Record<string, unknown>;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...versions] = argv;
  if (command !== 'build') {
    console.error('usage: tsx scripts/releases.ts build [version…]   (every release in releases.json by default)');
    process.exit(2);
  }
  for (const version of versions.length > 0 ? versions : Object.keys(releases())) {
    console.log(`${version}: ${buildRelease(version)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(`releases: ${error.message}`);
    process.exit(1);
  });
}
