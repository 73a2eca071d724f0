/**
 * The interactive API reference at /docs: Swagger UI's files from the `swagger-ui-dist`
 * package in node_modules (never a CDN), a page that points it at /openapi.json, the
 * document itself and the tour it links (docs/tour.md). The content security policy keeps
 * the browser on this server: no script, style, image or request goes anywhere else
 * (Swagger UI's online validator badge included), but to the OIDC issuer when one is set,
 * whose discovery document its Authorize dialog reads.
 *
 * Every file is read once and compressed once (brotli and gzip, in the thread pool while
 * the server starts), and served in the encoding the browser accepts: Swagger UI's bundle
 * is 1.7 MB as it is and about 0.4 MB compressed. HEAD answers the same headers, without
 * the body.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** The encodings a file is kept in besides itself, in the order the server prefers them. */
const encodings = ['br', 'gzip'] as const;
export type Encoding = (typeof encodings)[number];

export interface StaticFile {
  contentType: string;
  body: Buffer;
  headers: Record<string, string>;
  /** The body compressed, by encoding (files too small or already compressed have none). */
  encoded: Partial<Record<Encoding, Buffer>>;
}

/** Swagger UI's files that the page loads, with their content types. */
const packageFiles = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
} as const;

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>flowplane API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-initializer.js"></script>
</body>
</html>
`;

// A file rather than an inline script, so the policy can forbid inline scripts. The key a
// newcomer authorizes with is kept in the browser's local storage across reloads.
const initializer = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  validatorUrl: null,
});
`;

const contentSecurityPolicy = (issuer: string | undefined) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    // Swagger UI sets style attributes and renders icons as data: images.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    issuer ? `connect-src 'self' ${new URL(issuer).origin}` : "connect-src 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

/** Below this size compressing saves less than the headers it adds. */
const minCompressedBytes = 1024;

const compressors: Record<Encoding, (body: Buffer) => Promise<Buffer>> = {
  // Quality 6: a tenth of quality 11's time for 10 % more bytes, and no longer than DynamoDB Local takes to start.
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  gzip: (body) => promisify(gzip)(body),
};

async function staticFile(contentType: string, body: Buffer, headers: Record<string, string>): Promise<StaticFile> {
  const compressible = !contentType.startsWith('image/png') && body.length >= minCompressedBytes;
  const encoded: StaticFile['encoded'] = {};
  if (compressible) {
    await Promise.all(
      encodings.map(async (name) => {
        encoded[name] = await compressors[name](body);
      }),
    );
  }
  return { contentType, body, headers, encoded };
}

/**
 * Every file served outside the routes, by URL path: the page and Swagger UI under /docs,
 * `openApiJson` at /openapi.json, and docs/tour.md at /docs/tour.md (as text, which every
 * browser shows). Read from the package and the repository next to this code at run time.
 * `oidcIssuer`, the issuer bearer tokens come from, is the one other origin the page may call.
 */
export async function loadDocsFiles(openApiJson: string, oidcIssuer?: string): Promise<Map<string, StaticFile>> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  // Both dist/local and scripts/local sit two levels below the repository root.
  const tour = readFileSync(fileURLToPath(new URL('../../docs/tour.md', import.meta.url)));
  const headers = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
  const html = staticFile('text/html; charset=utf-8', Buffer.from(page), {
    ...headers,
    'content-security-policy': contentSecurityPolicy(oidcIssuer),
  });
  const files: [string, Promise<StaticFile>][] = [
    ['/docs', html],
    ['/docs/', html],
    ['/docs/swagger-initializer.js', staticFile('text/javascript; charset=utf-8', Buffer.from(initializer), headers)],
    ['/docs/tour.md', staticFile('text/plain; charset=utf-8', tour, headers)],
    ['/openapi.json', staticFile('application/json; charset=utf-8', Buffer.from(openApiJson), headers)],
    ...Object.entries(packageFiles).map(([name, contentType]): [string, Promise<StaticFile>] => [
      `/docs/${name}`,
      staticFile(contentType, readFileSync(join(packageDir, name)), headers),
    ]),
  ];
  return new Map(
    await Promise.all(files.map(async ([path, file]): Promise<[string, StaticFile]> => [path, await file])),
  );
}

/**
 * The encoding to send, from an `Accept-Encoding` header: the one of `available` with the
 * highest quality the client gives it (`*` standing for any not named; `q=0` refusing),
 * the server's order breaking ties; undefined for the file as it is.
 */
export function chooseEncoding(
  acceptEncoding: string | undefined,
  available: readonly Encoding[],
): Encoding | undefined {
  const qualities = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [token, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (!token) continue;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    qualities.set(token, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  let chosen: Encoding | undefined;
  let best = 0;
  for (const encoding of encodings) {
    if (!available.includes(encoding)) continue;
    const quality = qualities.get(encoding) ?? qualities.get('*') ?? 0;
    if (quality > best) [chosen, best] = [encoding, quality];
  }
  return chosen;
}

/** Answers a GET or HEAD of a static file, in the encoding the client accepts. */
export function sendStatic(request: IncomingMessage, response: ServerResponse, file: StaticFile): void {
  const encoding = chooseEncoding(request.headers['accept-encoding'], Object.keys(file.encoded) as Encoding[]);
  const body = encoding ? file.encoded[encoding]! : file.body;
  response.writeHead(200, {
    'content-type': file.contentType,
    ...file.headers,
    'content-length': String(body.length),
    // Caches keep one copy per encoding.
    vary: 'accept-encoding',
    ...(encoding ? { 'content-encoding': encoding } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
