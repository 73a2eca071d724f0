/**
 * TLS for the bench, as Lambda reaches DynamoDB and KMS: a throwaway certificate for
 * localhost/127.0.0.1 (made with `openssl`; node:crypto can sign but cannot issue an
 * X.509 certificate), which the bundles trust through NODE_EXTRA_CA_CERTS, and a TLS
 * front that terminates TLS and passes the bytes to a plain TCP port (DynamoDB Local).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';

export interface Certificate {
  key: string;
  cert: string;
  /** The certificate's file, for NODE_EXTRA_CA_CERTS. */
  certFile: string;
}

/** A self-signed P-256 certificate for `localhost` and 127.0.0.1, valid two days, written under `dir`. */
export function makeCertificate(dir: string): Certificate {
  const keyFile = join(dir, 'tls-key.pem');
  const certFile = join(dir, 'tls-cert.pem');
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { encoding: 'utf8' },
  );
  if (result.error || result.status !== 0) {
    throw new Error(
      `the bench needs openssl (1.1.1 or newer) to make its TLS certificate: ${result.error?.message ?? result.stderr.trim()}. ` +
        'Install it (e.g. `apt-get install openssl`).',
    );
  }
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

export interface TlsFront {
  port: number;
  close(): Promise<void>;
}

/** Listens for TLS on a free loopback port and pipes each connection to `127.0.0.1:<targetPort>`. */
export async function startTlsFront(certificate: Certificate, targetPort: number): Promise<TlsFront> {
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (socket) => {
    const upstream = connect(targetPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', end);
    upstream.on('error', end);
    socket.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
