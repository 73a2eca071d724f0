// One cold start in a fresh process: import the bundle, invoke it once, print timings.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 30000 };
const t0 = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const t1 = performance.now();
const result = await handler(event, context);
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ load: t1 - t0, invoke: t2 - t1, status: result?.statusCode ?? null })}\n`);
