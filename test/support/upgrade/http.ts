/**
 * Requests to a running server (an earlier release's or today's) over real HTTP, as a
 * team's client sends them, and a stand-in executor that answers every request with 200
 * and remembers what it was sent (the connectivity test's target).
 */
import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: any;
  /** The body as received, before JSON parsing: what a secret scan reads. */
  text: string;
}

/** One client of one server with one API key. */
export interface Client {
  url: string;
  apiKey: string;
  /** Every answer this client received, in order. */
  answers: Answer[];
  /** Every request this client sent, as `METHOD /path` (no query): which routes a test reached. */
  sent: string[];
}

export function clientOf(url: string, apiKey: string): Client {
  return { url, apiKey, answers: [], sent: [] };
}

/**
 * Sends one request; the API key goes in `X-API-Key`, which both contracts read. Each
 * request has its own connection: a kept-alive socket the server closes while idle (a
 * CLI ran meanwhile) would fail the next request for no reason of the server's.
 */
export async function send(
  client: Client,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const payload = options.body !== undefined ? JSON.stringify(options.body) : undefined;
  const answer = await new Promise<Answer>((resolve, reject) => {
    const outgoing = request(
      `${client.url}${path}`,
      {
        method,
        agent: false,
        headers: {
          'x-api-key': client.apiKey,
          ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = Object.fromEntries(
            Object.entries(response.headers).map(([name, value]) => [name, [value].flat().join(', ')]),
          );
          resolve({
            status: response.statusCode ?? 0,
            headers,
            body: text === '' ? undefined : JSON.parse(text),
            text,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
  client.answers.push(answer);
  client.sent.push(`${method} ${path.split('?')[0]}`);
  return answer;
}

/** Sends one request and fails, with the answer, unless it gets `status`. */
export async function expectStatus(
  client: Client,
  status: number,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const answer = await send(client, method, path, options);
  if (answer.status !== status)
    throw new Error(`${method} ${path}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 2000)}`);
  return answer;
}

/** An executor stand-in on 127.0.0.1: 200 to everything, each request's headers kept. */
export interface StubExecutor {
  url: string;
  requests: { method: string; path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startStubExecutor(): Promise<StubExecutor> {
  const requests: StubExecutor['requests'] = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
