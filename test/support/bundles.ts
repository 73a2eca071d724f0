/**
 * What a built function bundle must look like: Node built-ins reached through the
 * bundle's `require` (infra/bundling.ts's plugin), never an ESM import but the banner's
 * `node:module`, so loading it on Node 22 never loads undici.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { captureText } from './log-capture.js';

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** The built-ins a bundle imports with an ESM `import` statement. */
export function esmBuiltinImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const specifiers = [...code.matchAll(/(?:\bfrom|\bimport)\s*["']([^"']+)["']/g)].map((match) => match[1]);
  return [...new Set(specifiers.filter((specifier) => builtins.has(specifier)))].sort();
}

/**
 * The internal modules a fresh `node` (this one) has loaded after importing the bundle, whose names match `pattern`.
 */
export function modulesLoadedBy(file: string, pattern: RegExp): string[] {
  const script = `await import(${JSON.stringify(new URL(`file://${file}`).href)}); console.log(JSON.stringify(process.moduleLoadList));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      TABLE_NAME: 'bundle-check',
      AWS_REGION: 'eu-west-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    encoding: 'utf8',
  });
  captureText(`${run.stdout}${run.stderr}`);
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
  return (JSON.parse(run.stdout.trim().split('\n').pop() as string) as string[]).filter((name) => pattern.test(name));
}
