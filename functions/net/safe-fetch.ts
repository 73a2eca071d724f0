/**
 * The only way flowplane calls out: node:http(s) pinned to an address the SSRF guard
 * checked (no DNS rebinding window between check and connect), no redirects followed,
 * one deadline for connect plus response, and response bodies read only up to a cap.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { ForbiddenTargetError, type Resolver, resolvePublicAddress } from './ssrf.js';

export interface SafeRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** How much of the response body to keep (default 64 KiB); the rest is never read. */
  maxBodyBytes?: number;
  /** DNS seam for tests; the system resolver otherwise. */
  resolve?: Resolver;
}

export interface SafeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  bodyText: string;
  durationMs: number;
}

/** Why a call failed, in words safe to return to a caller (never a response body). */
export class OutboundError extends Error {
  constructor(
    readonly kind: 'timeout' | 'forbidden' | 'dns' | 'refused' | 'tls' | 'network' | 'url',
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

function classify(error: NodeJS.ErrnoException): OutboundError {
  if (error instanceof OutboundError) return error;
  if (error instanceof ForbiddenTargetError) return new OutboundError('forbidden', error.message);
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN')
    return new OutboundError('dns', 'host name did not resolve');
  if (error.code === 'ECONNREFUSED') return new OutboundError('refused', 'connection refused');
  if (/CERT|SSL|TLS/i.test(error.code ?? '')) return new OutboundError('tls', `TLS handshake failed (${error.code})`);
  return new OutboundError('network', `network error (${error.code ?? 'unknown'})`);
}

/** Sends one request through the guard; resolves with the status and a capped body. */
export async function safeRequest(options: SafeRequest): Promise<SafeResponse> {
  const started = Date.now();
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new OutboundError('url', 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundError('url', 'only http and https URLs are called');
  let target: { address: string; family: number };
  try {
    target = await resolvePublicAddress(url.hostname, options.resolve);
  } catch (error) {
    throw classify(error as NodeJS.ErrnoException);
  }
  // Connect to the checked address whatever the socket layer asks DNS for.
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all)
      (callback as unknown as (e: null, a: object[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SafeResponse>((resolve, reject) => {
    const req = send(
      url,
      {
        method: options.method ?? 'GET',
        headers: { 'user-agent': 'flowplane-connectivity-test', ...options.headers },
        lookup,
        servername: url.hostname.replace(/^\[|\]$/g, ''),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const finish = () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            bodyText: Buffer.concat(chunks).toString('utf8'),
            durationMs: Date.now() - started,
          });
        };
        res.on('data', (chunk: Buffer) => {
          if (kept < maxBody) chunks.push(chunk.subarray(0, maxBody - kept));
          kept += chunk.length;
          if (kept >= maxBody) {
            finish();
            req.destroy();
          }
        });
        res.on('end', finish);
        res.on('error', () => finish());
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new OutboundError('timeout', `timed out after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(classify(error));
    });
    req.end(options.body);
  });
}
