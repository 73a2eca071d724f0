/**
 * The connectivity test: calls the executor for real, stage by stage, as Flowker
 * describes it — connectivity (the base URL answers), authentication (the credentials
 * work, fetching an OIDC token where the type needs one), transformation (skipped:
 * flowplane has no transforms), end to end (the first endpoint within its timeout).
 * Every URL goes through the SSRF guard. Reasons are short and never quote a response
 * body or a secret.
 */
import { OutboundError, type SafeRequest, type SafeResponse, safeRequest } from './safe-fetch.js';
import type { Resolver } from './ssrf.js';

export type StageName = 'connectivity' | 'authentication' | 'transformation' | 'end_to_end';
export type StageStatus = 'passed' | 'failed' | 'skipped';

export interface StageResult {
  name: StageName;
  status: StageStatus;
  durationMs: number;
  reason?: string;
  httpStatus?: number;
}

export interface ConnectivityResult {
  overall: 'passed' | 'failed' | 'partial';
  stages: StageResult[];
}

export interface TestedConfiguration {
  baseUrl: string;
  endpoints: { name: string; path: string; method: string; timeout: number }[];
  authType: string;
  /** Secrets in clear: only ever used to build request headers. */
  authConfig: Record<string, unknown>;
}

export interface ConnectivityOptions {
  /** Deadline for the connectivity and token requests (the endpoint uses its own timeout). */
  timeoutMs?: number;
  /**
   * Time the whole test may take, every request included (default 20 s): an endpoint
   * may allow up to 300 s, but API Gateway and the function stop at 29 s, and a result
   * that never gets recorded helps nobody.
   */
  budgetMs?: number;
  resolve?: Resolver;
}

/** How a request is authenticated: headers to add and query parameters to append. */
interface Credentials {
  headers: Record<string, string>;
  query: Record<string, string>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

function withQuery(url: string, query: Record<string, string>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
  return target.toString();
}

function failure(error: unknown): string {
  return error instanceof OutboundError ? error.message : 'request failed';
}

async function fetchToken(
  config: Record<string, unknown>,
  grant: 'client_credentials' | 'password',
  call: (r: Omit<SafeRequest, 'timeoutMs'>) => Promise<SafeResponse>,
) {
  const issuer = text(config.issuer_url).replace(/\/+$/, '');
  const discovery = await call({ url: `${issuer}/.well-known/openid-configuration` });
  if (discovery.status !== 200) return { reason: `discovery document answered HTTP ${discovery.status}` };
  let tokenEndpoint: unknown;
  try {
    tokenEndpoint = (JSON.parse(discovery.bodyText) as { token_endpoint?: unknown }).token_endpoint;
  } catch {
    return { reason: 'discovery document is not JSON' };
  }
  if (typeof tokenEndpoint !== 'string') return { reason: 'discovery document has no token_endpoint' };
  const form = new URLSearchParams({ grant_type: grant });
  const scopes = Array.isArray(config.scopes) ? config.scopes.join(' ') : text(config.scopes);
  if (scopes) form.set('scope', scopes);
  if (text(config.audience)) form.set('audience', text(config.audience));
  if (grant === 'password') {
    form.set('username', text(config.username));
    form.set('password', text(config.password));
  }
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const secret = text(config.client_secret);
  if (grant === 'client_credentials' && config.token_endpoint_auth_method !== 'client_secret_post') {
    const pair = `${encodeURIComponent(text(config.client_id))}:${encodeURIComponent(secret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', text(config.client_id));
    if (secret) form.set('client_secret', secret);
  }
  const token = await call({ url: tokenEndpoint, method: 'POST', headers, body: form.toString() });
  if (token.status !== 200) return { reason: `token endpoint answered HTTP ${token.status}`, httpStatus: token.status };
  try {
    const accessToken = (JSON.parse(token.bodyText) as { access_token?: unknown }).access_token;
    if (typeof accessToken === 'string' && accessToken) return { accessToken };
  } catch {
    // Reported below without quoting the body.
  }
  return { reason: 'token endpoint returned no access_token' };
}

/** Credentials for the plain types, straight from the configuration. */
function staticCredentials(authType: string, config: Record<string, unknown>): Credentials {
  switch (authType) {
    case 'api_key': {
      const value = `${text(config.prefix)}${text(config.key)}`;
      return config.location === 'query'
        ? { headers: {}, query: { [text(config.query_param_name) || 'api_key']: value } }
        : { headers: { [text(config.header_name) || text(config.header) || 'X-API-Key']: value }, query: {} };
    }
    case 'bearer':
      return { headers: { authorization: `Bearer ${text(config.token)}` }, query: {} };
    case 'basic':
      return {
        headers: {
          authorization: `Basic ${Buffer.from(`${text(config.username)}:${text(config.password)}`).toString('base64')}`,
        },
        query: {},
      };
    default:
      return { headers: {}, query: {} };
  }
}

/** Runs the four stages against the configured service. */
export async function runConnectivityTest(
  configuration: TestedConfiguration,
  options: ConnectivityOptions = {},
): Promise<ConnectivityResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + (options.budgetMs ?? 20_000);
  const call = (request: Omit<SafeRequest, 'timeoutMs'> & { timeoutMs?: number }) =>
    safeRequest({
      resolve: options.resolve,
      ...request,
      // Never past the test's budget, whatever the request asked for.
      timeoutMs: Math.max(1, Math.min(request.timeoutMs ?? timeoutMs, deadline - Date.now())),
    });
  const stages: StageResult[] = [];
  const timed = async (name: StageName, run: () => Promise<Omit<StageResult, 'name' | 'durationMs'>>) => {
    const started = Date.now();
    const result = { name, ...(await run()), durationMs: 0 };
    result.durationMs = Date.now() - started;
    stages.push(result);
    return result;
  };
  const [endpoint] = configuration.endpoints;
  const endpointUrl = `${configuration.baseUrl}${endpoint.path}`;

  const connectivity = await timed('connectivity', async () => {
    try {
      const response = await call({ url: configuration.baseUrl });
      return response.status < 500
        ? { status: 'passed', httpStatus: response.status }
        : { status: 'failed', httpStatus: response.status, reason: `HTTP ${response.status}` };
    } catch (error) {
      return { status: 'failed', reason: failure(error) };
    }
  });

  let credentials: Credentials | undefined = { headers: {}, query: {} };
  await timed('authentication', async () => {
    if (connectivity.status === 'failed') {
      credentials = undefined;
      return { status: 'skipped', reason: 'the base URL did not answer' };
    }
    if (configuration.authType === 'none') return { status: 'skipped', reason: 'no authentication configured' };
    try {
      if (configuration.authType === 'oidc_client_credentials' || configuration.authType === 'oidc_user') {
        const grant = configuration.authType === 'oidc_user' ? 'password' : 'client_credentials';
        const token = await fetchToken(configuration.authConfig, grant, call);
        if (!('accessToken' in token) || !token.accessToken) {
          credentials = undefined;
          return { status: 'failed', reason: token.reason };
        }
        credentials = { headers: { authorization: `Bearer ${token.accessToken}` }, query: {} };
        return { status: 'passed' };
      }
      credentials = staticCredentials(configuration.authType, configuration.authConfig);
      const response = await call({
        url: withQuery(endpointUrl, credentials.query),
        method: endpoint.method,
        headers: credentials.headers,
        timeoutMs: endpoint.timeout * 1000,
      });
      if (response.status === 401 || response.status === 403) {
        return {
          status: 'failed',
          httpStatus: response.status,
          reason: `credentials rejected (HTTP ${response.status})`,
        };
      }
      return response.status < 500
        ? { status: 'passed', httpStatus: response.status }
        : { status: 'failed', httpStatus: response.status, reason: `HTTP ${response.status}` };
    } catch (error) {
      return { status: 'failed', reason: failure(error) };
    }
  });

  await timed('transformation', async () => ({
    status: 'skipped',
    reason: 'flowplane executors define no transformation',
  }));

  await timed('end_to_end', async () => {
    if (!credentials) return { status: 'skipped', reason: 'an earlier stage failed' };
    try {
      const response = await call({
        url: withQuery(endpointUrl, credentials.query),
        method: endpoint.method,
        headers: credentials.headers,
        timeoutMs: endpoint.timeout * 1000,
      });
      return response.status < 500
        ? { status: 'passed', httpStatus: response.status }
        : { status: 'failed', httpStatus: response.status, reason: `HTTP ${response.status}` };
    } catch (error) {
      return { status: 'failed', reason: failure(error) };
    }
  });

  const ran = stages.filter((s) => s.status !== 'skipped');
  const overall =
    connectivity.status === 'failed' || ran.every((s) => s.status === 'failed')
      ? 'failed'
      : ran.some((s) => s.status === 'failed')
        ? 'partial'
        : 'passed';
  return { overall, stages };
}
