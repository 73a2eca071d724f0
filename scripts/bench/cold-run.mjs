// One cold start in a fresh process, as Lambda runs one: import the bundle (init), invoke
// it once (the cold request), once more (a warm request), and print the timings and the
// CPU time of init plus the cold request as the last line of stdout.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [bundle, coldEventFile, warmEventFile] = process.argv.slice(2);
const coldEvent = JSON.parse(readFileSync(coldEventFile, 'utf8'));
const warmEvent = JSON.parse(readFileSync(warmEventFile, 'utf8'));
const context = (id) => ({ awsRequestId: id, functionName: 'bench', getRemainingTimeInMillis: () => 29000 });
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const t1 = performance.now();
const cold = await handler(coldEvent, context('cold'));
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
const warm = await handler(warmEvent, context('warm'));
const t3 = performance.now();
process.stdout.write(
  `\n${JSON.stringify({ load: t1 - t0, invoke: t2 - t1, warm: t3 - t2, cpu: (cpu.user + cpu.system) / 1000, status: cold?.statusCode ?? null, warmStatus: warm?.statusCode ?? null })}\n`,
);
