/**
 * `npm run docs:tour`: docs/tour.md, written from a real run. Starts the local server
 * in this process on the built bundles (dist/), as `npm start` serves them, sends every
 * request of the tour in order, and writes each step as a user would type it (curl with
 * $API, $KEY and the ids in shell variables) next to what the server answered.
 *
 * `renderTour` is the tour itself; test/integration/tour.test.ts runs it against a fresh
 * server and compares the result with the committed docs/tour.md, so the tour cannot
 * drift from what the server says.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLocalServer } from './local/server.js';

/** What the tour needs of a running server (a `LocalServer` has it). */
export interface TourTarget {
  url: string;
  apiKey: string;
  /**
   * Resolves once the stream consumers have handled every change made so far (the audit log is written from the
   * stream).
   */
  streamsDrained(): Promise<void>;
}

/** A JSON answer, as the server sent it: the tour reads a few fields of it and shows the rest. */
type Json = any;

/** One request as a user types it. `path` may name shell variables ($ID, $WF, …) that the tour has set. */
interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /**
   * The API key header as typed; `false` sends none. Flowker's examples spell it `X-API-Key`, xpander's `x-api-key`.
   */
  key?: 'X-API-Key' | 'x-api-key' | false;
  headers?: Record<string, string>;
  /** The JSON body exactly as sent and shown. */
  body?: string;
  /** A jq filter the command pipes the answer through, and the same projection in TypeScript; `raw` is `jq -r`. */
  jq?: { filter: string; apply: (body: Json) => Json; raw?: boolean };
}

interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

/** The headers a reader needs; the rest (date, length, cache-control, …) are left out. */
const shownHeaders = ['content-type', 'etag'];

const quoted = (value: string) => (value.includes('$') ? `"${value}"` : `'${value}'`);

function shellSafe(text: string): string {
  if (text.includes("'")) throw new Error(`a single quote would break the shell quoting: ${text}`);
  return text;
}

/** The command line: `curl -s -i …` (or `curl -s … | jq …`), continued with `\` when long, as README examples were. */
function commandOf(call: Call): string {
  const key = call.key === undefined ? 'X-API-Key' : call.key;
  const words = [
    'curl -s',
    ...(call.jq ? [] : ['-i']),
    ...(call.method === 'GET' ? [] : [`-X ${call.method}`]),
    `"$API${call.path}"`,
  ];
  if (key) words.push(`-H "${key}: $KEY"`);
  for (const [name, value] of Object.entries(call.headers ?? {})) words.push(`-H ${quoted(`${name}: ${value}`)}`);
  if (call.body !== undefined) words.push(`-H 'content-type: application/json'`);
  let line = words.join(' ');
  if (call.body !== undefined) line += ` \\\n  -d '${shellSafe(call.body)}'`;
  if (call.jq) {
    const pipe = `| jq${call.jq.raw ? ' -r' : ''} '${shellSafe(call.jq.filter)}'`;
    const lastLine = line.slice(line.lastIndexOf('\n') + 1);
    line += lastLine.length + pipe.length < 110 ? ` ${pipe}` : ` \\\n  ${pipe}`;
  }
  return line;
}

/** The answer as shown: with jq, its output; otherwise status line, the headers that matter and the pretty body. */
function answerText(call: Call, answer: Answer): { lang: string; text: string } {
  if (call.jq) return { lang: 'json', text: JSON.stringify(call.jq.apply(answer.body), null, 2) };
  const lines = [`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}`.trimEnd()];
  for (const name of shownHeaders) {
    const value = answer.headers.get(name);
    if (value !== null) lines.push(`${name}: ${value}`);
  }
  if (answer.body !== undefined)
    lines.push('', typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body, null, 2));
  return { lang: 'http', text: lines.join('\n') };
}

const fence = (lang: string, text: string) => `\`\`\`${lang}\n${text}\n\`\`\``;

/**
 * A stand-in for a static file server on 127.0.0.1 (what `python3 -m http.server` would
 * be): a free port is picked now and listened on only once `open()` is called, so the
 * tour can show a connectivity test failing against it, then passing.
 */
async function localService(): Promise<{ port: number; open(): Promise<void>; close(): Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>index</title><h1>Directory listing for /</h1>');
  });
  const listen = (port: number) =>
    new Promise<number>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolveListen((server.address() as AddressInfo).port));
    });
  const close = () =>
    new Promise<void>((resolveClose) => (server.listening ? server.close(() => resolveClose()) : resolveClose()));
  const port = await listen(0);
  await close();
  return {
    port,
    open: async () => {
      await listen(port);
    },
    close,
  };
}

/** Writes the tour while running it: sections, narrative, and each request with its real answer. */
class Tour {
  private readonly parts: string[] = [];
  private readonly variables = new Map<string, string>();

  constructor(private readonly target: TourTarget) {}

  text(markdown: string): void {
    this.parts.push(markdown);
  }

  /** `export NAME=value   # comment` shown, and `$NAME` usable in later paths. */
  exportVariable(name: string, value: string, comment: string): void {
    this.variables.set(name, value);
    this.parts.push(fence('sh', `export ${name}=${value}   # ${comment}`));
  }

  private async send(call: Call): Promise<Answer> {
    const path = call.path.replace(/\$([A-Z]+)/g, (_whole, name: string) => {
      const value = this.variables.get(name);
      if (value === undefined) throw new Error(`$${name} is not set before ${call.method} ${call.path}`);
      return value;
    });
    const key = call.key === undefined ? 'X-API-Key' : call.key;
    const headers: Record<string, string> = { ...(key ? { [key]: this.target.apiKey } : {}), ...call.headers };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.target.url}${path}`, { method: call.method, headers, body: call.body });
    const text = await response.text();
    const json = (response.headers.get('content-type') ?? '').includes('json') && text !== '';
    return {
      status: response.status,
      headers: response.headers,
      body: json ? JSON.parse(text) : text === '' ? undefined : text,
    };
  }

  private write(heading: string, sentence: string, commands: string, call: Call, answer: Answer): void {
    const shown = answerText(call, answer);
    this.parts.push(
      [`### ${heading}`, sentence, fence('sh', commands), fence(shown.lang, shown.text)].filter(Boolean).join('\n\n'),
    );
  }

  /** One step: a heading, a sentence, the command, the answer. Returns the answer's body. */
  async step(heading: string, sentence: string, call: Call): Promise<Json> {
    const answer = await this.send(call);
    this.write(heading, sentence, commandOf(call), call, answer);
    return answer.body;
  }

  /**
   * A step that first keeps an id in a variable (`NAME=$(curl … | jq -r .id)`, in the
   * same block as the command that uses it), as the README's examples do.
   */
  async stepAfterCreate(heading: string, sentence: string, name: string, create: Call, call: Call): Promise<Json> {
    const created = (await this.send(create)).body;
    if (typeof created?.id !== 'string')
      throw new Error(`${create.method} ${create.path} returned no id: ${JSON.stringify(created)}`);
    this.variables.set(name, created.id);
    const answer = await this.send(call);
    const setup = `${name}=$(${commandOf({ ...create, jq: { filter: '.id', raw: true, apply: (body) => body.id } })})`;
    this.write(heading, sentence, `${setup}\n${commandOf(call)}`, call, answer);
    return answer.body;
  }

  drained(): Promise<void> {
    return this.target.streamsDrained();
  }

  markdown(): string {
    return `${this.parts.join('\n\n')}\n`;
  }
}

const serasa =
  '{"name":"Serasa KYC","description":"Serasa identity validation service","baseUrl":"https://api.serasa.com.br/v2/","endpoints":[{"name":"validate-identity","path":"/identity/validate","method":"POST"}],"authentication":{"type":"api_key","config":{"key":"sk-live-abc123def456","header":"X-API-Key"}}}';
const serasaPatch =
  '{"name":"Serasa KYC","description":"Serasa identity validation service","baseUrl":"https://api.serasa.com.br/v2/","endpoints":[{"name":"validate-identity","path":"/identity/validate","method":"POST","timeout":10}],"authentication":{"type":"api_key","config":{"key":"********","header":"X-API-Key"}},"metadata":{"team":"kyc"}}';
const triageGraph =
  '[{"type":"classifier","id":"triage","next_node_ids":["billing","tech"],"definition":{"groups":[{"id":"billing"},{"id":"tech"}]}},{"type":"agent","id":"billing","definition":{"asset_id":"agent-billing"},"condition":{"type":"else","group_id":"billing"}},{"type":"custom_function","id":"tech","definition":{"code":"return input"},"condition":{"type":"contains","term":"error","group_id":"tech"}}]';

const pick =
  (...names: string[]) =>
  (body: Json) =>
    Object.fromEntries(names.map((name) => [name, body[name] ?? null]));

async function executors(tour: Tour, service: { port: number; open(): Promise<void> }): Promise<void> {
  tour.text('## Executors (Flowker contract)');
  await tour.step('Health (public)', '', { method: 'GET', path: '/health', key: false });

  const created = await tour.step(
    'Create an executor configuration',
    'The secret is sealed at rest and masked in every answer; the trailing `/` of `baseUrl` is trimmed and the endpoint gets the default timeout.',
    { method: 'POST', path: '/v1/executors', body: serasa },
  );
  tour.exportVariable('ID', created.id, 'the id above');

  await tour.step('Get it', 'The version travels as the `ETag`.', { method: 'GET', path: '/v1/executors/$ID' });
  await tour.step(
    'Update it (PATCH): the contract',
    'Every field of the configuration is sent; the masked key keeps the stored secret; metadata merges key by key.',
    { method: 'PATCH', path: '/v1/executors/$ID', headers: { 'If-Match': '"1"' }, body: serasaPatch },
  );
  await tour.step('A stale If-Match is refused, nothing written', '', {
    method: 'PATCH',
    path: '/v1/executors/$ID',
    headers: { 'If-Match': '"1"' },
    body: serasa,
  });
  await tour.step(
    'Every violation at once',
    "`code` is the lowest of the violations' codes; `fields` names each one.",
    {
      method: 'PATCH',
      path: '/v1/executors/$ID',
      body: '{"name":"","baseUrl":"ftp://x","endpoints":[{"name":"a","path":"a","method":"get","timeout":500}],"authentication":{"type":"oauth"}}',
    },
  );
  await tour.step('Unknown fields are named', 'A client cannot set what the server owns, such as the status.', {
    method: 'PATCH',
    path: '/v1/executors/$ID',
    body: serasa.replace(/}$/, ',"status":"active"}'),
  });
  await tour.step(
    'Semantic rules (422)',
    'Rules beyond the schema: endpoint names unique, the credentials each authentication type needs.',
    {
      method: 'PATCH',
      path: '/v1/executors/$ID',
      body: '{"name":"Serasa KYC","description":"Serasa identity validation service","baseUrl":"https://api.serasa.com.br/v2/","endpoints":[{"name":"a","path":"/a","method":"GET"},{"name":"a","path":"/b","method":"GET"}],"authentication":{"type":"basic","config":{"username":"u"}}}',
    },
  );
  await tour.step('No key', '', { method: 'PATCH', path: '/v1/executors/$ID', key: false, body: serasa });
  await tour.step('Not a UUID', '', { method: 'GET', path: '/v1/executors/not-a-uuid' });
  await tour.step('List (limit 1..100, opaque cursor, status filter)', '', {
    method: 'GET',
    path: '/v1/executors?limit=2&status=configured',
  });

  const baseUrl = `http://127.0.0.1:${service.port}`;
  const local = await tour.step(
    'A service on this machine (npm start allows private targets; AWS does not)',
    `An executor for a static file server on ${baseUrl} — \`python3 -m http.server ${service.port} --bind 127.0.0.1\` would do; the tour starts a \`node:http\` one, but not yet.`,
    {
      method: 'POST',
      path: '/v1/executors',
      body: `{"name":"local files","baseUrl":"${baseUrl}","endpoints":[{"name":"index","path":"/","method":"GET","timeout":5}],"authentication":{"type":"none"}}`,
    },
  );
  tour.exportVariable('LOCAL', local.id, 'the id above');
  await tour.step(
    'Connectivity test: nothing listens yet',
    'Calls the executor for real. Nothing answers on that port yet, so connectivity fails, the later stages are skipped, and the status stays configured.',
    { method: 'POST', path: '/v1/executors/$LOCAL/test' },
  );
  await tour.step('A transition from the wrong state', 'Activation needs a passed test.', {
    method: 'POST',
    path: '/v1/executors/$LOCAL/activate',
  });

  await service.open();
  await tour.step(
    'With the service running, the test passes: configured → tested',
    'Every stage passes (this executor has no authentication to check and flowplane defines no transformation).',
    { method: 'POST', path: '/v1/executors/$LOCAL/test' },
  );
  await tour.step('Delete is refused while tested or active', '', { method: 'DELETE', path: '/v1/executors/$LOCAL' });
  await tour.step('Activate (tested → active)', '', { method: 'POST', path: '/v1/executors/$LOCAL/activate' });
  await tour.step('Disable (active → disabled)', '', { method: 'POST', path: '/v1/executors/$LOCAL/disable' });
  await tour.step('Enable (disabled → active)', '', { method: 'POST', path: '/v1/executors/$LOCAL/enable' });
  await tour.step('Delete the Serasa configuration (still configured)', '', {
    method: 'DELETE',
    path: '/v1/executors/$ID',
  });
  await tour.step('Afterwards: 404', '', { method: 'GET', path: '/v1/executors/$ID' });
}

async function workflows(tour: Tour): Promise<void> {
  tour.text(
    [
      '## Workflows (xpander contract)\n',
      'Errors speak FastAPI (`{"detail": …}`); a PATCH stages its change on the working copy',
      'unless `deploy=true`; `PUT` deploys; every deploy freezes an immutable version. Responses',
      "are the seed's full `WorkflowResponse`; after the first one, `jq` picks the fields that",
      'matter. More in [workflows.md](workflows.md).',
    ].join('\n'),
  );
  const created = await tour.step(
    'Create a workflow (deployed as version 1, every unset field at its documented default)',
    '',
    {
      method: 'POST',
      path: '/v1/workflows',
      key: 'x-api-key',
      body: '{"name":"Support triage","description":"Routes support tickets","llm_credentials":{"name":"openai","value":"sk-demo-0000"}}',
    },
  );
  tour.exportVariable('WF', created.id, 'the id above');

  await tour.step('Stage a change (deploy=false, the default): has_pending_changes, version unchanged', '', {
    method: 'PATCH',
    path: '/v1/workflows/$WF',
    key: 'x-api-key',
    body: `{"name":"Support triage v2","orchestration_nodes":${triageGraph}}`,
    jq: {
      filter: '{name, version, has_pending_changes, is_latest, nodes: [.orchestration_nodes[].id]}',
      apply: (b) => ({
        ...pick('name', 'version', 'has_pending_changes', 'is_latest')(b),
        nodes: b.orchestration_nodes.map((n: Json) => n.id),
      }),
    },
  });
  await tour.step('The deployed version 1 is untouched (`?version=1`, or header `x-agent-version: 1`)', '', {
    method: 'GET',
    path: '/v1/workflows/$WF',
    key: 'x-api-key',
    headers: { 'x-agent-version': '1' },
    jq: {
      filter: '{name, version, is_latest, has_pending_changes}',
      apply: pick('name', 'version', 'is_latest', 'has_pending_changes'),
    },
  });
  await tour.step(
    'Stage and deploy in one call (deploy=true): version 2',
    'The credential stays sealed: its value is never returned.',
    {
      method: 'PATCH',
      path: '/v1/workflows/$WF?deploy=true',
      key: 'x-api-key',
      body: '{"model_provider":"openai","model_name":"gpt-5"}',
      jq: {
        filter: '{name, model_provider, model_name, version, has_pending_changes, is_latest, llm_credentials}',
        apply: pick(
          'name',
          'model_provider',
          'model_name',
          'version',
          'has_pending_changes',
          'is_latest',
          'llm_credentials',
        ),
      },
    },
  );
  await tour.step('An invalid graph: every problem with its location (FastAPI 422), nothing written', '', {
    method: 'PATCH',
    path: '/v1/workflows/$WF',
    key: 'x-api-key',
    body: '{"orchestration_nodes":[{"type":"code","id":"a","definition":{"code":"x"},"next_node_ids":["b"]},{"type":"code","id":"b","definition":{"code":"y"},"next_node_ids":["a","ghost"]},{"type":"guardrail","id":"g","definition":{"groups":[{"id":"ok"},{"id":"ko"}]}}]}',
  });
  await tour.step('`deploy` must be a boolean; `workflow_id` must be a UUID', '', {
    method: 'PATCH',
    path: '/v1/workflows/not-a-uuid?deploy=maybe',
    key: 'x-api-key',
    body: '{"name":"x"}',
  });
  await tour.step('A stale If-Match is a 412, nothing written', '', {
    method: 'PATCH',
    path: '/v1/workflows/$WF',
    key: 'x-api-key',
    headers: { 'if-match': '"1"' },
    body: '{"name":"late"}',
  });
  await tour.step('Deploy the working copy (PUT)', '', {
    method: 'PUT',
    path: '/v1/workflows/$WF',
    key: 'x-api-key',
    jq: {
      filter: '{name, version, has_pending_changes, is_latest}',
      apply: pick('name', 'version', 'has_pending_changes', 'is_latest'),
    },
  });
  await tour.step(
    "Roll back: deploy version 1's content as version 4",
    'History is never rewritten: the rollback is a new version.',
    {
      method: 'PUT',
      path: '/v1/workflows/$WF?from_version=1',
      key: 'x-api-key',
      jq: {
        filter: '{name, model_provider, version, is_latest, nodes: (.orchestration_nodes | length)}',
        apply: (b) => ({
          ...pick('name', 'model_provider', 'version', 'is_latest')(b),
          nodes: b.orchestration_nodes.length,
        }),
      },
    },
  );
  await tour.step('Deployed versions, newest first', '', {
    method: 'GET',
    path: '/v1/workflows/$WF/versions?limit=10',
    key: 'x-api-key',
  });
  await workflowNodes(tour);
  await tour.step("List the organization's workflows (limit, opaque `next` cursor)", '', {
    method: 'GET',
    path: '/v1/workflows?limit=10',
    key: 'x-api-key',
    jq: {
      filter: '{items: [.items[] | {id, name, version}], next}',
      apply: (b) => ({ items: b.items.map(pick('id', 'name', 'version')), next: b.next }),
    },
  });
  await tour.step(
    "As xpander's SDK lists them: a bare array",
    '`Agents().list()` with `XPANDER_BASE_URL=$API/v1` (docs/workflows.md#the-xpander-sdk).',
    {
      method: 'GET',
      path: '/v1/agents/list',
      key: 'x-api-key',
      jq: {
        filter: '[.[] | {id, name, unique_name, status}]',
        apply: (b) => (b as Json[]).map(pick('id', 'name', 'unique_name', 'status')),
      },
    },
  );
  await tour.step(
    'As the SDK loads version 1: header x-agent-version',
    '`Agent.load(id, version=1)`: the same document as `GET /v1/workflows/$WF?version=1`.',
    {
      method: 'GET',
      path: '/v1/agents/$WF',
      key: 'x-api-key',
      headers: { 'x-agent-version': '1' },
      jq: {
        filter: '{id, unique_name, environment_id, version, is_latest}',
        apply: pick('id', 'unique_name', 'environment_id', 'version', 'is_latest'),
      },
    },
  );
  await tour.step('No key', '', { method: 'GET', path: '/v1/workflows/$WF', key: false });
  await tour.step('Delete (202); afterwards 404 everywhere, snapshots gone', '', {
    method: 'DELETE',
    path: '/v1/workflows/$WF',
    key: 'x-api-key',
  });
  await tour.step('Afterwards: 404', '', { method: 'GET', path: '/v1/workflows/$WF?version=1', key: 'x-api-key' });
}

/** The node routes, on the workflow rolled back to version 1's content (no nodes): versions 5 and 6. */
async function workflowNodes(tour: Tour): Promise<void> {
  tour.text(
    [
      "Nodes one at a time, as xpander's node routes edit them: each answers every node as a summary,",
      'and `deploy` defaults to **true** there (the change is deployed as a new version at once);',
      '`deploy=false` stages it. The graph is held to the rules a PATCH is held to.',
    ].join('\n'),
  );
  await tour.step('Add a node whole (`advanced`), deployed as version 5', '', {
    method: 'POST',
    path: '/v1/workflows/$WF/nodes',
    key: 'x-api-key',
    body: '{"name":"Intake","advanced":{"type":"code","id":"intake","definition":{"code":"return input"}}}',
  });
  const withAgent = await tour.step(
    'Add an agent node after it (version 6)',
    "Its asset id is the agent's; `target_agent_id` reads it back.",
    {
      method: 'POST',
      path: '/v1/workflows/$WF/nodes',
      key: 'x-api-key',
      body: '{"name":"Billing agent","agent_id":"agent-billing","instructions":"Answer billing questions","after_node_ids":["intake"]}',
      jq: { filter: '.[-1]', apply: (b) => b.at(-1) },
    },
  );
  const agent: string = withAgent.at(-1).id;
  tour.exportVariable('NODE', agent, 'the agent node above');
  const edges = {
    filter: '[.[] | {name, id, next_node_ids}]',
    apply: (b: Json) => (b as Json[]).map(pick('name', 'id', 'next_node_ids')),
  };
  await tour.step(
    'Stage an action node in between (deploy=false)',
    "An action node's asset id is `<connection_id>:<operation_id>`. The edge intake -> agent becomes intake -> action -> agent.",
    {
      method: 'POST',
      path: '/v1/workflows/$WF/nodes?deploy=false',
      key: 'x-api-key',
      body: `{"name":"Open a ticket","connection_id":"crm-main","operation_id":"create_ticket","after_node_ids":["intake"],"next_node_ids":["${agent}"]}`,
      jq: edges,
    },
  );
  await tour.step('A node that would close a cycle is refused, the cycle named', '', {
    method: 'POST',
    path: '/v1/workflows/$WF/nodes?deploy=false',
    key: 'x-api-key',
    body: `{"name":"Back to intake","advanced":{"type":"code","id":"loop","definition":{"code":"return input"}},"after_node_ids":["${agent}"],"next_node_ids":["intake"]}`,
  });
  await tour.step("List the nodes (the working copy's, staged ones included)", '', {
    method: 'GET',
    path: '/v1/workflows/$WF/nodes',
    key: 'x-api-key',
  });
  await tour.step('Remove a node: every edge to it goes, and the staged action is deployed with it (version 7)', '', {
    method: 'DELETE',
    path: '/v1/workflows/$WF/nodes/$NODE',
    key: 'x-api-key',
    jq: edges,
  });
}

async function audit(tour: Tour): Promise<void> {
  tour.text(
    [
      '## Audit log\n',
      "Every change above went through the table's stream into a hash chain per resource",
      "([events-and-audit.md](events-and-audit.md)). The local executor's chain:",
    ].join('\n'),
  );
  await tour.drained();
  const chain = await tour.step('Who changed what, in chain order', '', {
    method: 'GET',
    path: '/v1/audit-events?resourceId=$LOCAL',
    jq: {
      filter: '{items: [.items[] | {id, seq, action, actor, changedFields}], nextCursor}',
      apply: (b) => ({
        items: b.items.map(pick('id', 'seq', 'action', 'actor', 'changedFields')),
        nextCursor: b.nextCursor,
      }),
    },
  });
  await tour.step(
    'Verify the chain up to its last entry',
    "Each entry's hash is recomputed and checked against the next one's `prevHash`.",
    {
      method: 'GET',
      path: `/v1/audit-events/$LOCAL.${chain.items.length}/verify`,
    },
  );
}

/** The README's two examples, run here so their answers stay true. */
async function readmeExamples(tour: Tour): Promise<void> {
  tour.text(
    [
      "## The README's examples\n",
      'The two examples of the [README](../README.md), one per contract, each on a new resource.',
    ].join('\n'),
  );
  await tour.stepAfterCreate(
    'Executors: create one, then PATCH it',
    'Created with only a name it is `unconfigured`; a complete configuration makes it `configured`.',
    'ID',
    { method: 'POST', path: '/v1/executors', body: '{"name":"Serasa KYC"}' },
    {
      method: 'PATCH',
      path: '/v1/executors/$ID',
      headers: { 'If-Match': '"1"' },
      body: serasa,
      jq: {
        filter: '{name, baseUrl, timeout: .endpoints[0].timeout, key: .authentication.config.key, status}',
        apply: (b) => ({
          name: b.name,
          baseUrl: b.baseUrl,
          timeout: b.endpoints[0].timeout,
          key: b.authentication.config.key,
          status: b.status,
        }),
      },
    },
  );
  await tour.stepAfterCreate(
    'Workflows: create one, then PATCH it with `?deploy=true`',
    'The change is staged and deployed at once as version 2, its graph validated.',
    'WF',
    { method: 'POST', path: '/v1/workflows', key: 'x-api-key', body: '{"name":"Support triage"}' },
    {
      method: 'PATCH',
      path: '/v1/workflows/$WF?deploy=true',
      key: 'x-api-key',
      body: `{"model_name":"gpt-5","orchestration_nodes":${triageGraph}}`,
      jq: {
        filter: '{name, model_name, version, is_latest, has_pending_changes, nodes: (.orchestration_nodes | length)}',
        apply: (b) => ({
          ...pick('name', 'model_name', 'version', 'is_latest', 'has_pending_changes')(b),
          nodes: b.orchestration_nodes.length,
        }),
      },
    },
  );
}

/**
 * Runs the tour against a server whose organization holds nothing yet and returns
 * docs/tour.md: every route of the route table, in the order a newcomer would try them.
 */
export async function renderTour(target: TourTarget): Promise<string> {
  const tour = new Tour(target);
  tour.text(
    [
      '# A tour of the API',
      '',
      "Every request below was sent to `npm start`'s server and every answer is what it said",
      '(written by `npm run docs:tour`; `test/integration/tour.test.ts` fails when the server',
      'answers otherwise). Answers show the status line, `content-type`, `ETag` and the body,',
      'or what `jq` picks from it; ids, times and ports are those of the run that wrote this page.',
      '',
      'The examples use the key `npm start` printed:',
    ].join('\n'),
  );
  tour.text(fence('sh', 'export KEY=fp_...   # printed by npm start\nexport API=http://127.0.0.1:3000'));
  const service = await localService();
  try {
    await executors(tour, service);
    await workflows(tour);
    await audit(tour);
    await readmeExamples(tour);
  } finally {
    await service.close();
  }
  return tour.markdown();
}

/** `npm run docs:tour`: a fresh server (its own DynamoDB Local, in memory), the tour, docs/tour.md. */
async function main(): Promise<void> {
  // The bundles' metrics lines, logs and the SDK's Node version notice would bury the one line this prints.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const scratch = mkdtempSync(join(tmpdir(), 'flowplane-tour-'));
  const server = await startLocalServer({
    port: 0,
    functionsDir: fileURLToPath(new URL('../dist/functions/', import.meta.url)),
    secretsKeyFile: join(scratch, 'secrets.key'),
    eventsSinkFile: join(scratch, 'events.ndjson'),
  });
  try {
    const file = fileURLToPath(new URL('../docs/tour.md', import.meta.url));
    writeFileSync(file, await renderTour(server));
    console.log(`wrote ${file}`);
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: Error) => {
    console.error(`docs:tour: ${error.stack ?? error.message}`);
    process.exit(1);
  });
}
