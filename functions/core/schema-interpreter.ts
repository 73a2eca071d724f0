/**
 * A small JSON Schema interpreter for the keywords flowplane's schemas use, reporting
 * errors exactly as Ajv does (instancePath, keyword, params) and filling `default`s as
 * Ajv's `useDefaults` does.
 *
 * Why not Ajv's standalone code here: compiled with `allErrors`, the workflow request
 * schemas (12 node types, each with its own definition, nullable fields everywhere)
 * become 178 KiB of minified code per bundle, which alone breaks the 300 KiB bundle
 * budget (measured: 466 KiB for PATCH /v1/workflows). Walking the schema costs a few
 * KiB, compiles nothing at load, and a property test (test/unit/schema-interpreter.test.ts)
 * checks it against Ajv on thousands of generated bodies.
 */
import type { ErrorObject } from 'ajv';
import { formats } from '../../schemas/formats.js';

type Schema = Readonly<Record<string, any>>;

/** Ajv's `ValidateFunction` shape, as far as flowplane uses it. */
export interface InterpretedValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const patterns = new Map<string, RegExp>();

function pattern(source: string): RegExp {
  let regex = patterns.get(source);
  if (!regex) {
    regex = new RegExp(source, 'u');
    patterns.set(source, regex);
  }
  return regex;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value) && value % 1 === 0;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeOf(value) === type;
  }
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

const escape = (segment: string | number) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');

/** Every schema with an `$id` inside `root` (including `$defs`), by `$id`. */
function collectIds(root: Schema, registry: Map<string, Schema>): void {
  const stack: unknown[] = [root];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    const id = (node as Schema).$id;
    if (typeof id === 'string' && !registry.has(id)) registry.set(id, node as Schema);
    stack.push(...Object.values(node));
  }
}

class Run {
  readonly errors: ErrorObject[] = [];

  constructor(private readonly registry: Map<string, Schema>) {}

  private fail(instancePath: string, schemaPath: string, keyword: string, params: Record<string, unknown> = {}): void {
    this.errors.push({ instancePath, schemaPath: `${schemaPath}/${keyword}`, keyword, params });
  }

  validate(schema: Schema, data: unknown, path: string, schemaPath: string): void {
    if (schema.$ref !== undefined) {
      const target = this.registry.get(String(schema.$ref));
      if (!target) throw new Error(`schema interpreter: $ref ${String(schema.$ref)} is not in the registry`);
      this.validate(target, data, path, `${String(schema.$ref)}#`);
    }
    if (schema.type !== undefined) {
      const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!types.some((type) => hasType(data, type))) this.fail(path, schemaPath, 'type', { type: schema.type });
    }
    // As in Ajv, each keyword applies to the JSON type it is about, whatever `type` said.
    this.typeSpecific(schema, data, path, schemaPath);
    if (schema.enum !== undefined && !(schema.enum as unknown[]).some((option) => equal(option, data))) {
      this.fail(path, schemaPath, 'enum', { allowedValues: schema.enum });
    }
    if (schema.const !== undefined && !equal(schema.const, data)) this.fail(path, schemaPath, 'const', { allowedValue: schema.const });
    (schema.allOf as Schema[] | undefined)?.forEach((part, index) => this.validate(part, data, path, `${schemaPath}/allOf/${index}`));
    if (schema.if !== undefined && this.passes(schema.if, data, path) && schema.then !== undefined) {
      const before = this.errors.length;
      this.validate(schema.then, data, path, `${schemaPath}/then`);
      if (this.errors.length > before) this.fail(path, schemaPath, 'if', { failingKeyword: 'then' });
    }
  }

  /** Whether `data` fits `schema`, without recording errors (for `if`). Defaults are not applied. */
  private passes(schema: Schema, data: unknown, path: string): boolean {
    const probe = new Run(this.registry);
    probe.applyDefaults = false;
    probe.validate(schema, data, path, '#');
    return probe.errors.length === 0;
  }

  applyDefaults = true;

  private typeSpecific(schema: Schema, data: unknown, path: string, schemaPath: string): void {
    if (typeof data === 'string') {
      const length = [...data].length;
      if (schema.maxLength !== undefined && length > schema.maxLength) this.fail(path, schemaPath, 'maxLength', { limit: schema.maxLength });
      if (schema.minLength !== undefined && length < schema.minLength) this.fail(path, schemaPath, 'minLength', { limit: schema.minLength });
      if (schema.pattern !== undefined && !pattern(schema.pattern).test(data)) this.fail(path, schemaPath, 'pattern', { pattern: schema.pattern });
      if (schema.format !== undefined) {
        const check = (formats as Record<string, (value: string) => boolean>)[schema.format];
        if (!check) throw new Error(`schema interpreter: unknown format ${String(schema.format)}`);
        if (!check(data)) this.fail(path, schemaPath, 'format', { format: schema.format });
      }
    } else if (typeof data === 'number') {
      if (schema.maximum !== undefined && data > schema.maximum) this.fail(path, schemaPath, 'maximum', { comparison: '<=', limit: schema.maximum });
      if (schema.minimum !== undefined && data < schema.minimum) this.fail(path, schemaPath, 'minimum', { comparison: '>=', limit: schema.minimum });
    } else if (Array.isArray(data)) {
      if (schema.maxItems !== undefined && data.length > schema.maxItems) this.fail(path, schemaPath, 'maxItems', { limit: schema.maxItems });
      if (schema.minItems !== undefined && data.length < schema.minItems) this.fail(path, schemaPath, 'minItems', { limit: schema.minItems });
      if (schema.items !== undefined) {
        data.forEach((item, index) => this.validate(schema.items, item, `${path}/${index}`, `${schemaPath}/items`));
      }
    } else if (data !== null && typeof data === 'object') {
      this.object(schema, data as Record<string, unknown>, path, schemaPath);
    }
  }

  private object(schema: Schema, data: Record<string, unknown>, path: string, schemaPath: string): void {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    if (this.applyDefaults) {
      for (const [name, property] of Object.entries(properties)) {
        if (data[name] === undefined && property.default !== undefined) data[name] = structuredClone(property.default);
      }
    }
    for (const name of (schema.required ?? []) as string[]) {
      if (data[name] === undefined) this.fail(path, schemaPath, 'required', { missingProperty: name });
    }
    const count = Object.keys(data).length;
    if (schema.maxProperties !== undefined && count > schema.maxProperties) this.fail(path, schemaPath, 'maxProperties', { limit: schema.maxProperties });
    if (schema.minProperties !== undefined && count < schema.minProperties) this.fail(path, schemaPath, 'minProperties', { limit: schema.minProperties });
    for (const [name, value] of Object.entries(data)) {
      const at = `${path}/${escape(name)}`;
      if (Object.hasOwn(properties, name)) {
        if (value !== undefined) this.validate(properties[name], value, at, `${schemaPath}/properties/${escape(name)}`);
      } else if (schema.additionalProperties === false) {
        this.fail(path, schemaPath, 'additionalProperties', { additionalProperty: name });
      } else if (schema.additionalProperties !== undefined && schema.additionalProperties !== true) {
        this.validate(schema.additionalProperties, value, at, `${schemaPath}/additionalProperties`);
      }
    }
  }
}

/**
 * A validator for `schema` that resolves `$ref`s to schemas with an `$id` found inside it
 * (put shared ones in `$defs`).
 */
export function interpretedValidator(schema: Schema): InterpretedValidator {
  const registry = new Map<string, Schema>();
  collectIds(schema, registry);
  const validate: InterpretedValidator = (data: unknown) => {
    const run = new Run(registry);
    run.validate(schema, data, '', '#');
    validate.errors = run.errors.length > 0 ? run.errors : null;
    return run.errors.length === 0;
  };
  return validate;
}
