/**
 * Bearer tokens: a JWT from the stage's OIDC issuer (functions/auth/oidc-settings.ts),
 * verified here with aws-jwt-verify, on REST and HTTP API events alike. The issuer's keys
 * (its JWKS) are fetched on the first bearer request a function instance serves, never for
 * an API key, and kept: a token signed with a key they do not hold asks the issuer again at
 * most once a minute (a minute after a failed attempt: ten seconds), so neither garbage nor
 * a rotation floods the issuer. A token that cannot be judged because the issuer cannot be
 * reached is a 503 with Retry-After (fail closed); one the cached keys verify is not.
 *
 * Everything a token must be, checked before any key is fetched where possible: at most
 * 8 KB, three base64url parts, an algorithm of the issuer's kind (RSA, EC or EdDSA: never
 * `none`, never an HMAC, which would take the public key as its secret), a `kid`, the
 * issuer's `iss`; then, with the key: the signature, the audience, `exp` (required), `nbf`
 * and `iat` within a 30-second leeway, a subject, and an organization.
 */
import { request as httpRequest } from 'node:http';
import { JwtBaseError, NonRetryableFetchError, FetchError } from 'aws-jwt-verify/error';
import { type Fetcher, SimpleFetcher } from 'aws-jwt-verify/https';
import { assertIsJwks, findJwkInJwks, type Jwks, type JwksCache, type JwkWithKid } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt, type DecomposedJwt } from 'aws-jwt-verify/jwt';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { JwtVerifier, supportedSignatureAlgorithms } from 'aws-jwt-verify/jwt-verifier';
import { organizationIdPattern } from '../domain/api-keys.js';
import { isPermission, type Permission } from '../domain/permissions.js';
import { UnauthorizedError, UnavailableError } from '../errors.js';
import { privateTargetsAllowed } from '../net/ssrf.js';
import type { Principal } from '../pipeline/command.js';
import { type OidcSettings, oidcSettingsFrom, oidcSettingsProblems } from './oidc-settings.js';

/** The longest token looked at: anything larger is refused before it is parsed. */
export const maxBearerTokenBytes = 8192;
/** How far the issuer's clock and ours may disagree on `exp`, `nbf` and `iat`. */
export const clockLeewaySeconds = 30;
/** The issuer is asked again for its keys at most this often after it answered, and after it did not. */
export const refetchAfterSuccessMillis = 60_000;
export const refetchAfterFailureMillis = 10_000;
/** How long one request to the issuer may take: a request that waits on it waits at most twice this (one retry). */
const fetchTimeouts = { timeout: 1_500, responseTimeout: 3_000 };

const invalid = () => new UnauthorizedError('bearer token invalid', 'bearerToken');

/** Why the issuer could not serve its keys: a `UnavailableError` the contracts answer with 503 and Retry-After. */
function issuerUnavailable(error: unknown, retryAfterMillis: number): UnavailableError {
  const timedOut = error instanceof Error && /time-?out/i.test(error.message);
  const reason = error instanceof NonRetryableFetchError ? 'server_error' : timedOut ? 'timeout' : 'network';
  const name = error instanceof Error ? error.name : 'Error';
  return new UnavailableError('OIDC issuer', reason, name, Math.max(1, Math.ceil(retryAfterMillis / 1000)));
}

/** GET over plain HTTP, for an issuer on this machine's loopback (allowed locally only): what SimpleFetcher does over TLS. */
const loopbackFetcher: Fetcher = {
  fetch: (uri) =>
    new Promise<ArrayBuffer>((resolve, reject) => {
      const request = httpRequest(uri, { method: 'GET', timeout: fetchTimeouts.responseTimeout }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new NonRetryableFetchError(uri, `Status code is ${response.statusCode}, expected 200`));
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => {
          const body = Buffer.concat(chunks);
          resolve(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
        });
        response.once('error', reject);
      });
      request.once('timeout', () => request.destroy(new FetchError(uri, 'Response time-out')));
      request.once('error', reject);
      request.end();
    }),
};

function fetcherFor(url: string): Fetcher {
  return url.startsWith('http:') ? loopbackFetcher : new SimpleFetcher({ defaultRequestOptions: { ...fetchTimeouts } });
}

function parseJson(bytes: ArrayBuffer): unknown {
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
}

/**
 * The issuer's keys as this function instance holds them, refreshed at most once a minute:
 * aws-jwt-verify's `JwksCache`, with the discovery of the JWKS URI and the refresh limit
 * (aws-jwt-verify's own penalty box does not hold back after a failed fetch) in one place.
 */
class IssuerKeys implements JwksCache {
  private jwks: Jwks | undefined;
  private jwksUri: string | undefined;
  private nextAttemptAt = 0;
  private lastAttemptFailed = false;
  private attempt: Promise<void> | undefined;

  constructor(
    private readonly settings: OidcSettings,
    private readonly clock: () => number,
  ) {
    this.jwksUri = settings.jwksUri;
  }

  /** The JWKS URI, from the settings or the issuer's discovery document (read once per instance). */
  private async discoveredJwksUri(): Promise<string> {
    if (this.jwksUri) return this.jwksUri;
    const { issuer } = this.settings;
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const document = parseJson(await fetcherFor(url).fetch(url)) as { issuer?: unknown; jwks_uri?: unknown };
    const jwksUri = document.jwks_uri;
    // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was fetched for.
    if (document.issuer !== issuer || typeof jwksUri !== 'string')
      throw new NonRetryableFetchError(url, 'the discovery document names another issuer or no jwks_uri');
    const problems = oidcSettingsProblems({ ...this.settings, jwksUri }, privateTargetsAllowed());
    if (problems.length > 0) throw new NonRetryableFetchError(url, problems.join('; '));
    this.jwksUri = jwksUri;
    return jwksUri;
  }

  /** Asks the issuer for its keys (one attempt, shared by concurrent callers), unless asked too recently. */
  private refresh(): Promise<void> {
    this.attempt ??= (async () => {
      const now = this.clock();
      try {
        const uri = await this.discoveredJwksUri();
        const jwks = parseJson(await fetcherFor(uri).fetch(uri));
        assertIsJwks(jwks as never);
        this.jwks = jwks as Jwks;
        this.lastAttemptFailed = false;
        this.nextAttemptAt = now + refetchAfterSuccessMillis;
      } catch (error) {
        this.lastAttemptFailed = true;
        this.nextAttemptAt = now + refetchAfterFailureMillis;
        throw issuerUnavailable(error, refetchAfterFailureMillis);
      }
    })().finally(() => {
      this.attempt = undefined;
    });
    return this.attempt;
  }

  async getJwk(_jwksUri: string, decomposedJwt: DecomposedJwt): Promise<JwkWithKid> {
    const kid = decomposedJwt.header.kid;
    if (typeof kid !== 'string') throw invalid();
    const cached = this.jwks && findJwkInJwks(this.jwks, kid);
    if (cached) return cached;
    const now = this.clock();
    if (now < this.nextAttemptAt) {
      // No key of ours can verify it: while the issuer is down that is the issuer's fault, else the token's.
      if (this.lastAttemptFailed) throw issuerUnavailable(undefined, this.nextAttemptAt - now);
      throw invalid();
    }
    await this.refresh();
    const fetched = this.jwks && findJwkInJwks(this.jwks, kid);
    if (!fetched) throw invalid();
    return fetched;
  }

  getCachedJwk(_jwksUri: string, decomposedJwt: DecomposedJwt): JwkWithKid {
    const kid = decomposedJwt.header.kid;
    const cached = typeof kid === 'string' && this.jwks ? findJwkInJwks(this.jwks, kid) : undefined;
    if (!cached) throw invalid();
    return cached;
  }

  addJwks(_jwksUri: string, jwks: Jwks): void {
    this.jwks = jwks;
  }

  async getJwks(): Promise<Jwks> {
    await this.refresh();
    return this.jwks as Jwks;
  }
}

/** The permissions a token's claim carries: space-separated text (OAuth 2 `scope`) or a list; other names ignored. */
function permissionsOf(claim: unknown): ReadonlySet<Permission> {
  const names: unknown[] = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim : [];
  return new Set(names.filter((name): name is Permission => typeof name === 'string' && isPermission(name)));
}

/** The one verifier of this function instance, rebuilt only when its settings change (tests switch issuers). */
let current: { key: string; keys: IssuerKeys; verify: (token: string) => Promise<JwtPayload> } | undefined;
let clock = Date.now;

function verifierFor(settings: OidcSettings) {
  const key = JSON.stringify(settings);
  if (current?.key === key) return current;
  const problems = oidcSettingsProblems(settings, privateTargetsAllowed());
  if (problems.length > 0) throw new Error(`OIDC settings: ${problems.join('; ')}`);
  const keys = new IssuerKeys(settings, () => clock());
  const verifier = JwtVerifier.create(
    {
      issuer: settings.issuer,
      audience: settings.audience,
      // IssuerKeys finds the keys (discovering where they are); this only names them for aws-jwt-verify.
      jwksUri: settings.jwksUri ?? `${settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
      graceSeconds: clockLeewaySeconds,
      customJwtCheck: ({ payload }) => {
        const nowSeconds = Date.now() / 1000;
        if (typeof payload.exp !== 'number') throw invalid();
        if (typeof payload.iat === 'number' && payload.iat - clockLeewaySeconds > nowSeconds) throw invalid();
      },
    },
    { jwksCache: keys },
  );
  current = { key, keys, verify: (token) => verifier.verify(token) };
  return current;
}

/**
 * Sets the clock the refresh limit reads, and forgets the issuer's keys (tests: a minute
 * passes without waiting for it).
 */
export function resetIssuerKeys(now: () => number = Date.now): void {
  current = undefined;
  clock = now;
}

/** The parts of a token that can be refused without the issuer's keys. */
function preChecked(token: string, settings: OidcSettings): DecomposedJwt {
  if (Buffer.byteLength(token, 'utf8') > maxBearerTokenBytes) throw invalid();
  let decomposed: DecomposedJwt;
  try {
    decomposed = decomposeUnverifiedJwt(token);
  } catch {
    throw invalid();
  }
  const { header, payload } = decomposed;
  const algorithms: readonly string[] = supportedSignatureAlgorithms;
  if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) throw invalid();
  if (typeof header.kid !== 'string' || payload.iss !== settings.issuer) throw invalid();
  return decomposed;
}

/**
 * The principal a bearer token names. Throws `UnauthorizedError` for a token that does
 * not verify (or when the stage accepts none), `UnavailableError` when the issuer's keys
 * are needed and the issuer cannot give them.
 */
export async function authenticateBearerToken(token: string): Promise<Principal> {
  const settings = oidcSettingsFrom(process.env);
  if (!settings) throw invalid();
  preChecked(token, settings);
  let payload: JwtPayload;
  try {
    payload = await verifierFor(settings).verify(token);
  } catch (error) {
    if (error instanceof JwtBaseError) throw invalid();
    throw error;
  }
  const subject = payload.sub;
  const organizationId = payload[settings.organizationClaim];
  if (typeof subject !== 'string' || subject === '') throw invalid();
  if (typeof organizationId !== 'string' || !organizationIdPattern.test(organizationId)) throw invalid();
  return {
    organizationId,
    id: `oidc:${settings.issuer}#${subject}`,
    name: subject,
    permissions: permissionsOf(payload[settings.permissionsClaim]),
  };
}
