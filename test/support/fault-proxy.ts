/**
 * A fault-injecting HTTP proxy for AWS JSON services (DynamoDB Local, or a stand-in):
 * requests pass through to `upstream` unless a fault rule takes them. The operation is
 * read from the `X-Amz-Target` header (`DynamoDB_20120810.PutItem` → `PutItem`), so
 * faults can target some operations or all, the next N requests or every one, or a share
 * of them at random.
 *
 * Fault kinds: `throttle` (400 ProvisionedThroughputExceededException), `throttling`
 * (400 ThrottlingException), `error500` (500 InternalServerError), `unavailable` (503
 * ServiceUnavailable), `hang` (the connection is accepted and never answered), `drop`
 * (the connection is closed without an answer), `validation` (400 ValidationException
 * whose message reads like internals: a refusal nobody expected, never retried).
 *
 * Usable from any test or script: `const proxy = await startFaultProxy(endpoint)`, point
 * the code under test at `proxy.endpoint`, `proxy.inject({ kind, operations, count, after,
 * probability })`, `proxy.clear()`,
 * `await proxy.stop()`.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultKind = 'throttle' | 'throttling' | 'error500' | 'unavailable' | 'hang' | 'drop' | 'validation';

export interface FaultRule {
  kind: FaultKind;
  /** Operations it applies to (`PutItem`, `TransactWriteItems`, `PutEvents`…); all when absent. */
  operations?: readonly string[];
  /** How many matching requests it takes, then it is spent; every matching request when absent. */
  count?: number;
  /** The share (0..1) of matching requests it takes, drawn at random; 1 when absent. */
  probability?: number;
  /** How many matching requests it lets through before it starts taking them (0 when absent). */
  after?: number;
}

export interface FaultProxy {
  /** Where to send requests (`http://127.0.0.1:<port>`). */
  readonly endpoint: string;
  /** Adds a rule; rules are tried in the order added, the first that takes a request wins. */
  inject(rule: FaultRule): void;
  /** Removes every rule and releases every hung connection (closed). */
  clear(): void;
  /** Requests seen, by operation, and those a fault took, by operation. */
  readonly seen: Record<string, number>;
  readonly faulted: Record<string, number>;
  /** Forgets the counts. */
  resetCounts(): void;
  stop(): Promise<void>;
}

const bodies: Record<Exclude<FaultKind, 'hang' | 'drop'>, { status: number; type: string; message: string }> = {
  throttle: {
    status: 400,
    type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded.',
  },
  throttling: {
    status: 400,
    type: 'com.amazon.coral.availability#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput.',
  },
  error500: {
    status: 500,
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error (injected)',
  },
  unavailable: {
    status: 503,
    type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable',
    message: 'Service unavailable (injected)',
  },
  validation: {
    status: 400,
    type: 'com.amazon.coral.validate#ValidationException',
    message: 'One or more parameter values were invalid: invariant broken at /var/task/index.mjs:1:2345 (injected)',
  },
};

/** The operation an AWS JSON request names (`X-Amz-Target: DynamoDB_20120810.PutItem` → `PutItem`). */
export function operationOf(request: IncomingMessage): string {
  const target = String(request.headers['x-amz-target'] ?? '');
  return target.slice(target.lastIndexOf('.') + 1) || 'unknown';
}

/** Starts a proxy to `upstream` (e.g. DynamoDB Local's endpoint) on a free loopback port. */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  let rules: { rule: FaultRule; left: number; passed: number }[] = [];
  const hung = new Set<Socket>();
  const sockets = new Set<Socket>();
  const seen: Record<string, number> = {};
  const faulted: Record<string, number> = {};

  const take = (operation: string): FaultKind | undefined => {
    for (const entry of rules) {
      const { rule } = entry;
      if (rule.operations && !rule.operations.includes(operation)) continue;
      if (entry.left <= 0) continue;
      if (entry.passed < (rule.after ?? 0)) {
        entry.passed += 1;
        continue;
      }
      if (rule.probability !== undefined && Math.random() >= rule.probability) continue;
      entry.left -= 1;
      return rule.kind;
    }
    return undefined;
  };

  const forward = (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
    const upstreamRequest = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        path: request.url,
        method: request.method,
        headers: request.headers,
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    upstreamRequest.on('error', () => response.destroy());
    upstreamRequest.end(body);
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const operation = operationOf(request);
      seen[operation] = (seen[operation] ?? 0) + 1;
      const fault = take(operation);
      if (!fault) return forward(request, response, Buffer.concat(chunks));
      faulted[operation] = (faulted[operation] ?? 0) + 1;
      if (fault === 'hang') {
        hung.add(request.socket);
        return undefined;
      }
      if (fault === 'drop') {
        request.socket.destroy();
        return undefined;
      }
      const { status, type, message } = bodies[fault];
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': `fault-${Date.now()}`,
      });
      response.end(JSON.stringify({ __type: type, message }));
      return undefined;
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      hung.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    faulted,
    inject(rule) {
      rules.push({ rule, left: rule.count ?? Number.POSITIVE_INFINITY, passed: 0 });
    },
    clear() {
      rules = [];
      for (const socket of hung) socket.destroy();
      hung.clear();
    },
    resetCounts() {
      for (const counts of [seen, faulted]) for (const name of Object.keys(counts)) delete counts[name];
    },
    async stop() {
      rules = [];
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
