/**
 * The interactive API reference at /docs: Swagger UI's files from the `swagger-ui-dist`
 * package in node_modules (never a CDN) and a page that points it at /openapi.json.
 * The content security policy keeps the browser on this server: no script, style,
 * image or request goes anywhere else (Swagger UI's online validator badge included),
 * but to the OIDC issuer when one is set, whose discovery document its Authorize dialog reads.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface StaticFile {
  contentType: string;
  body: Buffer;
  headers: Record<string, string>;
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

// A file rather than an inline script, so the policy can forbid inline scripts.
const initializer = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
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

/**
 * Every file under /docs by URL path, read once (from the package next to this code at run time). `oidcIssuer`, the
 * issuer bearer tokens come from, is the one other origin the page may call.
 */
export function loadDocsFiles(oidcIssuer?: string): Map<string, StaticFile> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const headers = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
  const html: StaticFile = {
    contentType: 'text/html; charset=utf-8',
    body: Buffer.from(page),
    headers: { ...headers, 'content-security-policy': contentSecurityPolicy(oidcIssuer) },
  };
  const files = new Map<string, StaticFile>([
    ['/docs', html],
    ['/docs/', html],
    [
      '/docs/swagger-initializer.js',
      { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(initializer), headers },
    ],
  ]);
  for (const [name, contentType] of Object.entries(packageFiles)) {
    files.set(`/docs/${name}`, { contentType, body: readFileSync(join(packageDir, name)), headers });
  }
  return files;
}
