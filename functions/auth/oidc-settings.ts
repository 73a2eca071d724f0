/**
 * The OIDC issuer a stage accepts bearer tokens from, as the environment names it: set by
 * the construct from its `auth.oidc` prop (infra/constructs/flowplane-props.ts) and by the
 * local server from the variables of the same names. Checked in one place for all three, so
 * an `http://` issuer is refused in AWS and allowed on this machine's loopback only.
 */

/** The settings of the one issuer a stage trusts. */
export interface OidcSettings {
  /** The issuer's URL, exactly as its tokens' `iss` claim holds it. */
  issuer: string;
  /** What a token's `aud` claim must hold (one of its values). */
  audience: string;
  /** The claim that names the caller's organization. Default `org`. */
  organizationClaim: string;
  /** The claim that carries the permissions: space-separated text (`scope`) or a list of names. Default `scope`. */
  permissionsClaim: string;
  /** Where the issuer's keys are; default: the `jwks_uri` of its discovery document. */
  jwksUri?: string;
}

/** The environment variable of each setting. */
export const oidcVariables = {
  issuer: 'OIDC_ISSUER',
  audience: 'OIDC_AUDIENCE',
  organizationClaim: 'OIDC_ORGANIZATION_CLAIM',
  permissionsClaim: 'OIDC_PERMISSIONS_CLAIM',
  jwksUri: 'OIDC_JWKS_URI',
} as const satisfies Record<keyof OidcSettings, string>;

export const oidcDefaults = { organizationClaim: 'org', permissionsClaim: 'scope' } as const;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether an issuer (or JWKS) URL may be used: `https://`, or `http://` on this machine's
 * loopback when private targets are allowed (local development and tests, as
 * `ALLOW_PRIVATE_TARGETS` allows the connectivity test to reach them).
 */
export function issuerUrlProblem(name: string, value: string, loopbackAllowed: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${name} "${value}" is not a URL`;
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    return `${name} "${value}" must have no query, fragment or credentials`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && loopbackAllowed && loopbackHosts.has(url.hostname)) return undefined;
  return loopbackAllowed
    ? `${name} "${value}" must be an https:// URL (or http:// on 127.0.0.1, localhost or [::1])`
    : `${name} "${value}" must be an https:// URL`;
}

/** Every problem with the settings, as sentences naming the setting; empty when they are fine. */
export function oidcSettingsProblems(settings: OidcSettings, loopbackAllowed: boolean): string[] {
  const problems = [
    issuerUrlProblem('issuer', settings.issuer, loopbackAllowed),
    settings.jwksUri === undefined ? undefined : issuerUrlProblem('jwksUri', settings.jwksUri, loopbackAllowed),
  ].filter((problem): problem is string => problem !== undefined);
  if (settings.audience.trim() === '') problems.push('audience must not be empty');
  for (const claim of ['organizationClaim', 'permissionsClaim'] as const) {
    if (!/^[\x21-\x7e]{1,128}$/.test(settings[claim]))
      problems.push(`${claim} "${settings[claim]}" must be 1 to 128 visible ASCII characters`);
  }
  return problems;
}

/**
 * The settings the environment holds, or undefined when it names no issuer (bearer tokens
 * are then refused); an issuer without an audience is a setting missing, and throws.
 */
export function oidcSettingsFrom(env: Readonly<Record<string, string | undefined>>): OidcSettings | undefined {
  const issuer = env[oidcVariables.issuer];
  if (!issuer) return undefined;
  const audience = env[oidcVariables.audience];
  if (!audience) throw new Error(`${oidcVariables.issuer} is set without ${oidcVariables.audience}`);
  const jwksUri = env[oidcVariables.jwksUri];
  return {
    issuer,
    audience,
    organizationClaim: env[oidcVariables.organizationClaim] || oidcDefaults.organizationClaim,
    permissionsClaim: env[oidcVariables.permissionsClaim] || oidcDefaults.permissionsClaim,
    ...(jwksUri ? { jwksUri } : {}),
  };
}

/** The settings as the environment variables a function reads. */
export function oidcEnvironment(settings: OidcSettings): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(oidcVariables) as (keyof OidcSettings)[]).flatMap((name) =>
      settings[name] === undefined ? [] : [[oidcVariables[name], settings[name]]],
    ),
  );
}
