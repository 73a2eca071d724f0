/**
 * The built bundles (`npm run build`, dist/functions) reach Node built-ins through
 * `require`, so an ESM `import 'node:http'` never loads undici (18–27 ms on Node 22);
 * the CDK assets are checked the same way in test/infra/stack.test.ts.
 */
import { join } from 'node:path';
import { routeList } from '../../functions/routes.js';
import { streamConsumerList } from '../../functions/streams/consumer-table.js';
import { esmBuiltinImports, modulesLoadedBy } from '../support/bundles.js';

const bundle = (name: string) => join(process.cwd(), 'dist', 'functions', name, 'index.mjs');

test("no route or stream consumer bundle imports a Node built-in as ESM but the banner's node:module", () => {
  // Prepare
  const names = [
    ...routeList.map((route) => route.operationId),
    ...streamConsumerList.map((consumer) => consumer.name),
  ];
  // Act
  const imports = names.map((name) => [name, esmBuiltinImports(bundle(name))]);
  // Assess
  expect(imports).toEqual(names.map((name) => [name, ['node:module']]));
});

test('loading a bundle that calls out (SDK, KMS, the connectivity test) loads no undici', () => {
  // Act
  const loaded = ['getExecutorConfiguration', 'updateExecutorConfiguration', 'testExecutorConfiguration'].map(
    (name) => [name, modulesLoadedBy(bundle(name), /undici/)],
  );
  // Assess
  expect(loaded).toEqual([
    ['getExecutorConfiguration', []],
    ['updateExecutorConfiguration', []],
    ['testExecutorConfiguration', []],
  ]);
});
