/**
 * The import graph of functions/ and schemas/ (docs/architecture.md): no cycle, and no
 * import from a lower layer to a higher one. Imports are read with the TypeScript
 * compiler (type-only imports count too), so a new file is checked the day it lands.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { routeList } from '../../functions/routes.js';
import { migrationFunction } from '../../functions/migrations/function.js';
import { streamConsumerList } from '../../functions/streams/consumer-table.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** Layers from the bottom up; a file may import its own layer or a lower one. */
const layers: { name: string; matches: (file: string) => boolean }[] = [
  {
    name: 'vocabulary and schemas',
    matches: (f) => f === 'functions/errors.ts' || f.startsWith('schemas/') || f.startsWith('functions/generated/'),
  },
  { name: 'infrastructure leaves (net, secrets)', matches: (f) => /^functions\/(net|secrets)\//.test(f) },
  { name: 'domain', matches: (f) => f.startsWith('functions/domain/') },
  { name: 'store', matches: (f) => f.startsWith('functions/store/') },
  { name: 'observability (logger, metrics)', matches: (f) => f.startsWith('functions/observability/') },
  { name: 'command pipeline and auth', matches: (f) => /^functions\/(pipeline|auth)\//.test(f) },
  {
    name: 'use cases and stream consumers',
    matches: (f) => /^functions\/(executors|workflows|agents|audit|health|streams|migrations)\//.test(f),
  },
  { name: 'contracts', matches: (f) => f.startsWith('functions/contracts/') },
  { name: 'transports (http, commands)', matches: (f) => /^functions\/(http|commands)\//.test(f) },
  { name: 'route table and OpenAPI', matches: (f) => f === 'functions/routes.ts' || f === 'functions/openapi.ts' },
];
const entries = new Set([
  ...routeList.map((r) => r.entry),
  ...streamConsumerList.map((c) => c.entry),
  migrationFunction.entry,
]);
const entryLayer = layers.length;

function layerOf(file: string): number {
  if (entries.has(file)) return entryLayer;
  const index = layers.findIndex((layer) => layer.matches(file));
  if (index === -1) throw new Error(`${file} belongs to no layer: add it to docs/architecture.md and this test`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The repository files a source file imports (packages aside). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
  return importedFiles.flatMap(({ fileName }) => {
    if (fileName === '#validators') return ['functions/generated/validators.js'];
    if (!fileName.startsWith('.')) return [];
    return [relative(root, resolve(dirname(join(root, file)), fileName)).replace(/\.js$/, '.ts')];
  });
}

const files = [...sourceFiles('functions'), ...sourceFiles('schemas')];
const graph = new Map(files.map((file) => [file, importsOf(file)]));

test('functions/ and schemas/ import nothing from scripts/, infra/ or test/', () => {
  // Act
  const outside = [...graph].flatMap(([file, imports]) =>
    imports.filter((to) => /^(scripts|infra|test)\//.test(to)).map((to) => `${file} → ${to}`),
  );
  // Assess
  expect(outside).toEqual([]);
});

test('no import runs from a lower layer to a higher one', () => {
  // Act
  const upward = [...graph].flatMap(([file, imports]) =>
    imports
      .filter((to) => !to.startsWith('functions/generated/') || to === 'functions/generated/validators.ts')
      .filter((to) => layerOf(to) > layerOf(file))
      .map(
        (to) => `${file} (${layers[layerOf(file)]?.name ?? 'entry'}) → ${to} (${layers[layerOf(to)]?.name ?? 'entry'})`,
      ),
  );
  // Assess
  expect(upward).toEqual([]);
});

test('functions/store/ imports nothing from a use case or anything above: the store takes finished values', () => {
  // Prepare
  const useCases = layers.findIndex((layer) => layer.name === 'use cases and stream consumers');
  // Act
  const callingUp = [...graph]
    .filter(([file]) => file.startsWith('functions/store/'))
    .flatMap(([file, imports]) => imports.filter((to) => layerOf(to) >= useCases).map((to) => `${file} → ${to}`));
  // Assess
  expect(useCases).toBeGreaterThan(0);
  expect(callingUp).toEqual([]);
});

/** The attributes that say where an item is stored (functions/store/keys.ts, functions/store/table.ts). */
const keyAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'entity']);

/**
 * Where a source file names a key attribute: as a property (declared, assigned, read, destructured) or inside a
 * string (`'pk'`, `'attribute_exists(pk)'`, a template's text).
 */
function keyAttributeUses(file: string, text = readFileSync(join(root, file), 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const uses: string[] = [];
  const at = (node: ts.Node, what: string) =>
    uses.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${what}`);
  const visit = (node: ts.Node) => {
    const { parent } = node;
    if (ts.isIdentifier(node) && keyAttributes.has(node.text)) {
      const named =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ((ts.isPropertyAssignment(parent) ||
          ts.isPropertySignature(parent) ||
          ts.isPropertyDeclaration(parent) ||
          ts.isMethodDeclaration(parent)) &&
          parent.name === node) ||
        ts.isShorthandPropertyAssignment(parent) ||
        (ts.isBindingElement(parent) && ts.isObjectBindingPattern(parent.parent));
      if (named) at(node, `property ${node.text}`);
    }
    if (
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const words = node.text.match(/[A-Za-z0-9_]+/g) ?? [];
      for (const word of words.filter((candidate) => keyAttributes.has(candidate))) at(node, `string naming ${word}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

test('functions/domain/ names no key attribute (pk, sk, gsi1pk, gsi1sk, entity): how items are stored is not its concern', () => {
  // Prepare
  const domain = files.filter((file) => file.startsWith('functions/domain/'));
  // Act
  const uses = domain.flatMap((file) => keyAttributeUses(file));
  // Assess
  expect(domain.length).toBeGreaterThan(0);
  expect(uses).toEqual([]);
});

test('the key-attribute reading finds every way a file can name one, and passes the same words elsewhere', () => {
  // Prepare
  const sample = [
    'interface Stored { pk: string }',
    'const key = { sk: "EXECUTOR", [name]: 1 };',
    'const { gsi1pk } = item;',
    'const read = item.gsi1sk;',
    'const tagged = { entity };',
    "const condition = 'attribute_not_exists(pk)';",
    'const view = `${item.name} is an entity`;',
    '// pk and sk in a comment, and an entity tag: words, no attribute',
    'const entityTag = pkg.skip;',
  ].join('\n');
  // Act
  const uses = keyAttributeUses('sample.ts', sample);
  // Assess
  expect(uses).toEqual([
    'sample.ts:1 property pk',
    'sample.ts:2 property sk',
    'sample.ts:3 property gsi1pk',
    'sample.ts:4 property gsi1sk',
    'sample.ts:5 property entity',
    'sample.ts:6 string naming pk',
    'sample.ts:7 string naming entity',
  ]);
});

test('the import graph has no cycle', () => {
  // Act
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  // Assess
  expect(cycles).toEqual([]);
});

test('every layer holds at least one file, so the map in docs/architecture.md stays true', () => {
  // Act
  const empty = layers.filter((layer) => !files.some((file) => layer.matches(file))).map((layer) => layer.name);
  // Assess
  expect(empty).toEqual([]);
});

test("only functions/contracts/ speaks a contract: no other file names a Flowker code or pydantic's wording", () => {
  // Act
  const speaking = files
    .filter((file) => !file.startsWith('functions/contracts/'))
    .filter((file) =>
      /FLK-\d{4}|Value error,|Extra inputs are not permitted|Field required/.test(
        readFileSync(join(root, file), 'utf8'),
      ),
    );
  // Assess
  expect(speaking).toEqual([]);
});

/** Calls that turn a text into a number, a boolean or a value: a use case handing a query value to one parses it. */
const parsingCalls = /^(Number|Boolean|BigInt|(\w+\.)?parse\w*)$/;
/** Methods that read a text as something else (`text.toLowerCase() === 'yes'`). */
const parsingMethods = new Set([
  'toLowerCase',
  'toUpperCase',
  'toLocaleLowerCase',
  'toLocaleUpperCase',
  'trim',
  'split',
]);
/** A literal a query text compared with would be read as a boolean or a number (`query.deploy === 'true'`). */
const booleanOrNumberText = /^(\d+|true|false|t|f|yes|no|y|n|on|off)$/i;

/** Where a file reads a query value as text and parses it, as `line: code`. */
function queryParses(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const isQuery = (node: ts.Node) =>
    (ts.isIdentifier(node) && node.text === 'query') ||
    (ts.isPropertyAccessExpression(node) && node.name.text === 'query');
  // `const { limit } = query`: a name bound to a query value reads it as well.
  const bound = new Set<string>();
  const found: ts.Node[] = [];
  const readsQuery = (node: ts.Node): boolean =>
    ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isQuery(node.expression)) ||
    (ts.isIdentifier(node) && bound.has(node.text)) ||
    ((ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) &&
      readsQuery(node.expression)) ||
    // Still the text: `String(query.limit)`, `${query.limit}`.
    (ts.isCallExpression(node) && node.expression.getText(source) === 'String' && node.arguments.some(readsQuery)) ||
    (ts.isTemplateExpression(node) && node.templateSpans.some((span) => readsQuery(span.expression)));
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && node.initializer && isQuery(node.initializer)) {
      if (ts.isObjectBindingPattern(node.name))
        for (const element of node.name.elements) if (ts.isIdentifier(element.name)) bound.add(element.name.text);
    }
    if (
      ts.isCallExpression(node) &&
      parsingCalls.test(node.expression.getText(source)) &&
      node.arguments.some(readsQuery)
    )
      found.push(node);
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      parsingMethods.has(node.expression.name.text) &&
      readsQuery(node.expression.expression)
    )
      found.push(node);
    // `+query.limit`, `-query.limit`, `~~query.limit` (`!` asks a typed value a question: allowed).
    if (
      ts.isPrefixUnaryExpression(node) &&
      node.operator !== ts.SyntaxKind.ExclamationToken &&
      readsQuery(node.operand)
    )
      found.push(node);
    if (
      ts.isBinaryExpression(node) &&
      [node.left, node.right].some(readsQuery) &&
      [node.left, node.right].some(
        (side) =>
          (ts.isStringLiteral(side) || ts.isNoSubstitutionTemplateLiteral(side)) && booleanOrNumberText.test(side.text),
      )
    )
      found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.map(
    (node) => `${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${node.getText(source)}`,
  );
}

test('no use case parses a query string: the pipeline hands query values over typed (functions/pipeline/pipeline.ts)', () => {
  // Prepare
  const useCases = files.filter((file) => layers[layerOf(file)]?.name === 'use cases and stream consumers');
  // Act
  const parsing = useCases.flatMap((file) => [
    ...queryParses(file).map((at) => `${file}:${at}`),
    // The query formats' readers live there: a use case has no reason to import them.
    ...(graph.get(file) ?? []).filter((to) => to === 'schemas/formats.ts').map((to) => `${file} → ${to}`),
  ]);
  // Assess
  expect(useCases.length).toBeGreaterThan(0);
  expect(parsing).toEqual([]);
});
