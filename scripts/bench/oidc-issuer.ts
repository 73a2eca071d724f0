/**
 * An OIDC issuer for the bench's bearer-token rows, as a function reaches a real one: HTTPS on
 * `localhost` with the bench's certificate (trusted through NODE_EXTRA_CA_CERTS), its discovery
 * document and its JWKS, one RS256 key made with jose; tokens signed with it.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Certificate } from './tls.js';

export interface BenchIssuer {
  issuer: string;
  audience: string;
  /** A token for `organizationId` holding `permissions`, valid for an hour. */
  token(organizationId: string, permissions: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

/** Starts the issuer on a free loopback port. */
export async function startBenchIssuer(certificate: Certificate, audience = 'flowplane-bench'): Promise<BenchIssuer> {
  const kid = 'bench-key';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  let issuer = '';
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (request, response) => {
    const body =
      request.url === '/.well-known/openid-configuration'
        ? JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` })
        : request.url === '/keys'
          ? jwks
          : undefined;
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `https://localhost:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    audience,
    token: (organizationId, permissions) =>
      new SignJWT({ org: organizationId, scope: permissions.join(' ') })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject('bench-client')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
