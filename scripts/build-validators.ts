/**
 * Compiles every request schema into standalone Ajv code (no schema compilation at
 * run time): functions/generated/validators.js with all of them (what tests and tools
 * import as `#validators`), plus one module per route with only the validators that
 * route runs (functions/generated/validators.<operationId>.js), which the function bundles
 * alias `#validators` to — so a bundle carries its own route's validation code only.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { _ } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { formats } from '../schemas/formats.js';
import { routeList } from '../functions/routes.js';
import { commandEnvelope } from '../schemas/command.js';
import { requestSchemas } from '../schemas/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'functions', 'generated');

const ajv = new Ajv.default({
  allErrors: true,
  useDefaults: true,
  strict: true,
  // Nullable fields (docs/contracts.md, xpander) are `type: ["string", "null"]`.
  allowUnionTypes: true,
  // Shared subschemas (a workflow's conditions, strategies, field shapes…) compile once, as functions.
  inlineRefs: false,
  // A workflow node's `type` picks its one `oneOf` branch, which alone runs and reports
  // (a plain `oneOf` would try every branch).
  discriminator: true,
  // Messages come from functions/pipeline/violations.ts; Ajv's own would only add bytes.
  messages: false,
  // One optimizing pass over the generated code (Ajv's default, stated: more passes
  // measured no smaller, none is 8% larger).
  code: { source: true, esm: true, optimize: true, formats: _`require("../../schemas/formats.js").formats` },
  formats,
});
ajv.addKeyword('example');

/** Keywords whose value is a schema, or a map or list of schemas (property names stay). */
const schemaValued = new Set([
  'items',
  'additionalProperties',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'contains',
]);
const schemaMaps = new Set(['properties', 'patternProperties', '$defs']);
const schemaLists = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/**
 * Keywords beside one of our formats that state its rule to other tools (the `pattern` of
 * an http-url, the `enum` of a query boolean): the format function checks the same rule
 * (schemas/formats.ts), so the validators leave them out and report one problem per value.
 */
const formatStatements = new Set(['pattern', 'enum']);

/** A copy without annotations (description, example) and format statements: the validators never read them. */
function withoutAnnotations(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const copy: Record<string, unknown> = {};
  const stated =
    typeof (schema as { format?: unknown }).format === 'string' &&
    Object.hasOwn(formats, (schema as { format: string }).format);
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'example' || (stated && formatStatements.has(key))) continue;
    if (schemaMaps.has(key)) {
      copy[key] = Object.fromEntries(Object.entries(value as object).map(([name, s]) => [name, withoutAnnotations(s)]));
    } else if (schemaLists.has(key)) copy[key] = (value as unknown[]).map(withoutAnnotations);
    else if (schemaValued.has(key)) copy[key] = withoutAnnotations(value);
    else copy[key] = value;
  }
  return copy;
}

const exportsById: Record<string, string> = {};
for (const schema of requestSchemas) {
  ajv.addSchema(withoutAnnotations(schema) as object);
  exportsById[`validate${schema.$id}`] = schema.$id;
}

/** Ajv's ESM output still says `require(...)`; turn those into imports Node and esbuild accept. */
function toPureEsm(source: string): string {
  const modules = new Map<string, string>();
  const body = source.replace(/require\("([^"]+)"\)/g, (_match, specifier: string) => {
    const withExtension = specifier.endsWith('.js') ? specifier : `${specifier}.js`;
    if (!modules.has(withExtension)) modules.set(withExtension, `__module${modules.size}`);
    return modules.get(withExtension)!;
  });
  const imports = [...modules].map(([specifier, name]) =>
    specifier.startsWith('.') ? `import * as ${name} from "${specifier}";` : `import ${name} from "${specifier}";`,
  );
  return `${imports.join('\n')}\n${body.replace(/^"use strict";/, '')}`;
}

/**
 * Writes a file only when its text changes, through a rename: the CDK app runs this build
 * when the bundles are stale (infra/build-if-stale.ts), possibly while tests import these modules.
 */
function writeIfChanged(file: string, text: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  writeFileSync(`${file}.${process.pid}.tmp`, text);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

/** Writes a validator module (and its declarations) exporting the given schemas by `$id`. */
function writeModule(file: string, ids: readonly string[]): void {
  const exports = Object.fromEntries(ids.map((id) => [`validate${id}`, id]));
  const code = toPureEsm(standaloneCode.default(ajv, exports));
  const names = Object.keys(exports);
  mkdirSync(dirname(file), { recursive: true });
  writeIfChanged(
    file,
    `// Generated by scripts/build-validators.ts. Do not edit.\n${code}\nexport const validators = {${names
      .map((name) => `${JSON.stringify(exports[name])}: ${name}`)
      .join(', ')}};\n`,
  );
  writeIfChanged(
    file.replace(/\.js$/, '.d.ts'),
    `// Generated by scripts/build-validators.ts. Do not edit.\nimport type { ValidateFunction } from 'ajv';\n${names
      .map((name) => `export declare const ${name}: ValidateFunction;`)
      .join('\n')}\nexport declare const validators: Record<string, ValidateFunction>;\n`,
  );
}

writeModule(join(outDir, 'validators.js'), Object.values(exportsById));
for (const route of routeList) {
  const ids = [
    route.request.params,
    route.request.query,
    route.request.body,
    route.acceptsCommands ? commandEnvelope : undefined,
  ]
    .filter((schema) => schema !== undefined)
    .map((schema) => String(schema.$id));
  writeModule(join(outDir, `validators.${route.operationId}.js`), ids);
}
console.log(
  `validators: ${Object.keys(exportsById).length} schemas -> functions/generated/validators.js, ${routeList.length} route subsets`,
);
