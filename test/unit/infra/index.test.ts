/**
 * The package's entry (infra/index.ts) is what `npm pack` ships as the library: the files
 * it reaches must be in infra/ (never functions/, scripts/ or test/, which are not
 * shipped) and import no package but the peers a team has, aws-cdk-lib and constructs,
 * and Node's built-ins. A cdk-nag or esbuild import here would break every team's synth
 * with "Cannot find package" (issue 21); so would a path into functions/. The one exception
 * is functions/auth/oidc-settings.ts (issue 23), which imports nothing: the construct checks
 * `auth.oidc` and names its variables exactly as the functions read them, the library's
 * bundle inlines it and its declaration ships beside infra/'s (scripts/build-package.ts).
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const peers = ['aws-cdk-lib', 'constructs'];

/** Every repository file the entry reaches, with the packages each one imports (type-only imports too). */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const packages: string[] = [];
    seen.set(file, packages);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.'))
        visit(relative(root, resolve(dirname(join(root, file)), fileName)).replace(/\.js$/, '.ts'));
      else packages.push(fileName);
    }
  };
  visit(entry);
  return seen;
}

const graph = reachable('infra/index.ts');

const shared = 'functions/auth/oidc-settings.ts';

test('the library is infra/ alone, and the OIDC settings it shares: nothing else from functions/, scripts/ or test/', () => {
  // Act
  const outside = [...graph.keys()].filter((file) => !file.startsWith('infra/') && file !== shared);
  // Assess
  expect(outside).toEqual([]);
  expect(graph.get(shared)).toEqual([]);
  expect(reachable(shared).size).toBe(1);
  expect(graph.has('infra/constructs/flowplane.ts')).toBe(true);
});

test('the library imports only aws-cdk-lib, constructs and Node built-ins', () => {
  // Act
  const foreign = [...graph].flatMap(([file, packages]) =>
    packages
      .filter((name) => !builtinModules.includes(name.replace(/^node:/, '')))
      .filter((name) => !peers.some((peer) => name === peer || name.startsWith(`${peer}/`)))
      .map((name) => `${file} → ${name}`),
  );
  // Assess
  expect(foreign).toEqual([]);
});
