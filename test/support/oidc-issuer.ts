/**
 * A local OIDC issuer on 127.0.0.1 for the bearer-token tests: its discovery document
 * (`/.well-known/openid-configuration`) and its JWKS over plain HTTP, keys and tokens made
 * with `jose`. It counts what it serves, publishes new keys (a rotation), keeps keys it
 * never publishes (a token signed by a stranger), and goes down on demand (every
 * connection reset) without giving up its port.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { oidcVariables } from '../../functions/auth/oidc-settings.js';
import { resetIssuerKeys } from '../../functions/auth/bearer-tokens.js';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  pair: KeyPair;
  published: boolean;
}

export interface TokenOptions {
  /** Sign with this key (default: the first one published). */
  kid?: string;
  /** Header fields laid over the signer's. */
  header?: Record<string, unknown>;
  /** Seconds from now; defaults: issued now, expiring in 5 minutes. */
  expiresIn?: number;
  notBefore?: number;
  issuedAt?: number;
}

export interface TestIssuer {
  /** `http://127.0.0.1:<port>`: what its tokens' `iss` holds. */
  readonly issuer: string;
  readonly audience: string;
  /** The published ES256 key (tokens are signed with the RS256 one unless told). */
  readonly ecKid: string;
  /** Requests served, by path. */
  readonly served: { discovery: number; jwks: number };
  /** A token with these claims (`iss`, `aud`, `exp`, `iat` filled in unless given). */
  token(claims: JWTPayload, options?: TokenOptions): Promise<string>;
  /** A token an organization's member holds: subject, organization and the space-separated permissions. */
  tokenFor(organizationId: string, permissions: readonly string[], subject?: string): Promise<string>;
  /** `alg: none`: no signature at all. */
  unsignedToken(claims: JWTPayload): string;
  /** HS256 with the issuer's public key (its PEM) as the HMAC secret: the algorithm-confusion attack. */
  publicKeyHmacToken(claims: JWTPayload): Promise<string>;
  /** A new key: published in the JWKS (a rotation) or kept back (a key nobody trusts). Returns its kid. */
  addKey(options: { published: boolean }): Promise<string>;
  /** Resets every connection from now on (`up` undoes it): the issuer cannot be reached. */
  down(): void;
  up(): void;
  /** The environment the functions read this issuer from. */
  environment(extra?: Partial<Record<keyof typeof oidcVariables, string>>): Record<string, string>;
  close(): Promise<void>;
}

async function newKey(alg: SigningKey['alg'], published: boolean): Promise<SigningKey> {
  return { kid: randomUUID(), alg, pair: await generateKeyPair(alg, { extractable: true }), published };
}

/** Starts an issuer with one published RS256 key and one published ES256 key. */
export async function startTestIssuer(audience = 'flowplane-test'): Promise<TestIssuer> {
  const keys: SigningKey[] = [await newKey('RS256', true), await newKey('ES256', true)];
  const served = { discovery: 0, jwks: 0 };
  let reachable = true;
  let issuer = '';
  const server: Server = createServer((request, response) => {
    if (!reachable) {
      request.socket.destroy();
      return;
    }
    void (async () => {
      if (request.url === '/.well-known/openid-configuration') {
        served.discovery += 1;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys`, id_token_signing_alg_values_supported: [] }));
        return;
      }
      if (request.url === '/keys') {
        served.jwks += 1;
        const jwks = await Promise.all(
          keys
            .filter((key) => key.published)
            .map(async (key) => ({ ...(await exportJWK(key.pair.publicKey)), kid: key.kid, alg: key.alg, use: 'sig' })),
        );
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: jwks }));
        return;
      }
      response.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signer = (kid: string | undefined) => {
    const key = kid ? keys.find((candidate) => candidate.kid === kid) : keys[0];
    if (!key) throw new Error(`no key ${kid}`);
    return key;
  };
  const now = () => Math.floor(Date.now() / 1000);
  const withDefaults = (claims: JWTPayload, options: TokenOptions = {}): JWTPayload => ({
    iss: issuer,
    aud: audience,
    iat: now() + (options.issuedAt ?? 0),
    exp: now() + (options.expiresIn ?? 300),
    ...(options.notBefore !== undefined ? { nbf: now() + options.notBefore } : {}),
    ...claims,
  });
  const token: TestIssuer['token'] = async (claims, options = {}) => {
    const key = signer(options.kid);
    return new SignJWT(withDefaults(claims, options))
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header })
      .sign(key.pair.privateKey);
  };
  return {
    issuer,
    audience,
    ecKid: keys[1].kid,
    served,
    token,
    tokenFor: (organizationId, permissions, subject = `client-${randomUUID()}`) =>
      token({ sub: subject, org: organizationId, scope: ['openid', ...permissions].join(' ') }),
    unsignedToken: (claims) => new UnsecuredJWT(withDefaults(claims)).encode(),
    publicKeyHmacToken: async (claims) => {
      const key = keys[0];
      const pem = await exportSPKI(key.pair.publicKey);
      return new SignJWT(withDefaults(claims))
        .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
        .sign(new TextEncoder().encode(pem));
    },
    addKey: async ({ published }) => {
      const key = await newKey('RS256', published);
      keys.push(key);
      return key.kid;
    },
    down: () => {
      reachable = false;
    },
    up: () => {
      reachable = true;
    },
    environment: (extra = {}) => ({
      [oidcVariables.issuer]: issuer,
      [oidcVariables.audience]: audience,
      ...Object.fromEntries(
        Object.entries(extra).map(([name, value]) => [oidcVariables[name as keyof typeof oidcVariables], value]),
      ),
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Points the functions of this process at `issuer` (or at none) with private targets allowed,
 * and forgets the keys they held; returns what undoes it.
 */
export function useIssuer(
  issuer: TestIssuer | undefined,
  extra?: Parameters<TestIssuer['environment']>[0],
): () => void {
  const names = [...Object.values(oidcVariables), 'ALLOW_PRIVATE_TARGETS'];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  for (const name of Object.values(oidcVariables)) delete process.env[name];
  Object.assign(process.env, issuer ? issuer.environment(extra) : {}, { ALLOW_PRIVATE_TARGETS: 'true' });
  resetIssuerKeys();
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetIssuerKeys();
  };
}
