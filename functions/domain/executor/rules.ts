/**
 * Executor rules beyond the schema, each a named rule (the Flowker contract gives each
 * its code, docs/errors.md):
 *
 * - `endpoint_name_unique`: endpoint names are unique within the executor;
 * - `auth_config_required`: authentication.config has every key its type requires;
 * - `auth_config_unknown` / `auth_config_value`: it holds no key its type does not
 *   take, and no value of the wrong kind;
 * - `target_forbidden`: baseUrl (or an OIDC issuer_url) is no literal address the SSRF
 *   guard refuses.
 */
import { RuleViolationError, type Violation } from '../../errors.js';
import { literalTargetViolation, privateTargetsAllowed } from '../../net/ssrf.js';
import { isSensitiveKey, urlOrigin } from '../secrets.js';
import { decodeValues, type ExecutorRecord } from './model.js';

interface AuthRule {
  required: readonly string[];
  optional: readonly string[];
  /** Allowed values of enumerated keys. */
  enums?: Readonly<Record<string, readonly string[]>>;
}

/** Authentication config keys by type (docs/contracts.md). */
export const authenticationRules: Readonly<Record<string, AuthRule>> = {
  none: { required: [], optional: [] },
  api_key: {
    required: ['key'],
    optional: ['header_name', 'header', 'prefix', 'location', 'query_param_name'],
    enums: { location: ['header', 'query'] },
  },
  bearer: { required: ['token'], optional: [] },
  basic: { required: ['username', 'password'], optional: [] },
  oidc_client_credentials: {
    required: ['issuer_url', 'client_id', 'client_secret'],
    optional: ['scopes', 'audience', 'token_endpoint_auth_method'],
    enums: { token_endpoint_auth_method: ['client_secret_basic', 'client_secret_post'] },
  },
  oidc_user: {
    required: ['issuer_url', 'client_id', 'username', 'password'],
    optional: ['client_secret', 'scopes', 'audience'],
  },
};

/** Every config key any authentication type takes that holds a secret. */
export const secretConfigKeys: readonly string[] = [
  ...new Set(Object.values(authenticationRules).flatMap((rule) => [...rule.required, ...rule.optional])),
].filter(isSensitiveKey);

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0);
}

/** Problems with an authentication block whose `type` already passed the schema. */
export function authenticationViolations(authentication: {
  type: string;
  config?: Record<string, unknown>;
}): Violation[] {
  const rule = authenticationRules[authentication.type];
  if (!rule) return [];
  const config = authentication.config ?? {};
  const loc = (key: string) => ['body', 'authentication', 'config', key];
  const violations: Violation[] = [];
  for (const key of rule.required) {
    const value = config[key];
    if (typeof value !== 'string' || value.trim() === '') {
      violations.push({
        loc: loc(key),
        rule: 'auth_config_required',
        message: `authentication type ${authentication.type} requires a non-empty string "${key}"`,
      });
    }
  }
  for (const [key, value] of Object.entries(config)) {
    if (rule.required.includes(key)) continue;
    if (!rule.optional.includes(key)) {
      violations.push({
        loc: loc(key),
        rule: 'auth_config_unknown',
        message: `authentication type ${authentication.type} does not take "${key}"`,
      });
      continue;
    }
    const allowed = rule.enums?.[key];
    const fits = key === 'scopes' ? typeof value === 'string' || isStringList(value) : typeof value === 'string';
    if (!fits || (allowed && !allowed.includes(value as string))) {
      violations.push({
        loc: loc(key),
        rule: 'auth_config_value',
        message: allowed
          ? `"${key}" must be one of ${allowed.join(', ')}`
          : `"${key}" must be a string${key === 'scopes' ? ' or a list of strings' : ''}`,
      });
    }
  }
  return violations;
}

/** Endpoint names must be unique within one executor. */
export function endpointViolations(endpoints: readonly { name: string }[]): Violation[] {
  const seen = new Map<string, number>();
  const violations: Violation[] = [];
  endpoints.forEach(({ name }, index) => {
    const first = seen.get(name);
    if (first === undefined) {
      seen.set(name, index);
    } else {
      violations.push({
        loc: ['body', 'endpoints', index, 'name'],
        rule: 'endpoint_name_unique',
        message: `endpoint name "${name}" is already used by endpoint ${first}`,
      });
    }
  });
  return violations;
}

/** URLs flowplane will call that are literal internal addresses (names are checked at call time). */
export function targetViolations(body: {
  baseUrl?: string;
  authentication?: { config?: Record<string, unknown> };
}): Violation[] {
  if (privateTargetsAllowed()) return [];
  const urls: [string[], unknown][] = [
    [['body', 'baseUrl'], body.baseUrl],
    [['body', 'authentication', 'config', 'issuer_url'], body.authentication?.config?.issuer_url],
  ];
  return urls.flatMap(([loc, url]) => {
    const reason = typeof url === 'string' ? literalTargetViolation(url) : undefined;
    return reason ? [{ loc, rule: 'target_forbidden', message: `${reason}; flowplane does not call it` }] : [];
  });
}

/** Authentication types whose secrets go to the identity provider (the issuer's token endpoint), not the base URL. */
const issuerBound = new Set(['oidc_client_credentials', 'oidc_user']);

/**
 * Where an executor's secrets go: its authentication type and the origin they are sent
 * to (the issuer for OIDC, the base URL otherwise). A masked secret is kept only while
 * this stays the same, so nobody can point a stored secret at another host.
 */
export function secretDestination(
  authType: string,
  baseUrl: string,
  config: Record<string, unknown> | undefined,
): string {
  const target = issuerBound.has(authType) && typeof config?.issuer_url === 'string' ? config.issuer_url : baseUrl;
  return `${authType} ${urlOrigin(target)}`;
}

/**
 * Where an executor's stored secrets may go: its `secretsBoundTo`, or, for a configuration a release before 0.2.0
 * stored (no binding written), the destination of that configuration. Undefined while unconfigured.
 */
export function storedSecretsDestination(record: ExecutorRecord): string | undefined {
  if (record.secretsBoundTo !== undefined) return record.secretsBoundTo;
  if (!record.authType || record.baseUrl === undefined) return undefined;
  return secretDestination(record.authType, record.baseUrl, decodeValues(record.authConfig));
}

/** Masked secrets sent while their destination changed: they must be sent again. */
export function secretsRebound(keys: readonly string[]): RuleViolationError {
  return new RuleViolationError(
    keys.map((key) => ({
      loc: ['body', 'authentication', 'config', key],
      rule: 'secret_same_destination',
      message:
        'the base URL, the issuer or the authentication type changed: send this secret again instead of the mask',
    })),
    `The secret${keys.length === 1 ? '' : 's'} ${keys.join(', ')} would go to a new destination: send ${keys.length === 1 ? 'it' : 'them'} again instead of the mask`,
  );
}

/** The mask was sent for secrets that are not stored: there is nothing to keep. */
export function maskedWithoutSecret(keys: readonly string[]): RuleViolationError {
  return new RuleViolationError(
    keys.map((key) => ({
      loc: ['body', 'authentication', 'config', key],
      rule: 'secret_not_stored',
      message: 'masked value sent, but no secret is stored for this key',
    })),
    `No stored secret to keep for ${keys.join(', ')}: send the value itself instead of the mask`,
  );
}

/** Every semantic problem of an executor body (create or update). */
export function executorBodyViolations(body: {
  baseUrl?: string;
  endpoints?: readonly { name: string }[];
  authentication?: { type: string; config?: Record<string, unknown> };
}): Violation[] {
  return [
    ...(body.endpoints ? endpointViolations(body.endpoints) : []),
    ...(body.authentication ? authenticationViolations(body.authentication) : []),
    ...targetViolations(body),
  ];
}
