/**
 * The schema interpreter that validates workflow bodies must agree with Ajv, the
 * reference implementation: same errors (location, keyword, parameters) and same
 * defaults filled, on thousands of generated bodies, valid and not.
 */
import Ajv from 'ajv';
import fc from 'fast-check';
import { interpretedValidator } from '../../functions/core/schema-interpreter.js';
import { formats } from '../../schemas/formats.js';
import { createWorkflowInput, nodeTypes, updateWorkflowInput } from '../../schemas/workflow.js';

const ajv = new Ajv.default({ allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true, formats });
const ajvUpdate = ajv.compile(updateWorkflowInput);
const ajvCreate = new Ajv.default({ allErrors: true, useDefaults: true, strict: false, formats }).compile(createWorkflowInput);
const ours = { update: interpretedValidator(updateWorkflowInput), create: interpretedValidator(createWorkflowInput) };

/** An error as both report it, minus the schema path (which only Ajv spells in full). */
const key = (e: { instancePath: string; keyword: string; params: Record<string, unknown> }) =>
  `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params, Object.keys(e.params).sort())}`;

function compare(validateA: typeof ajvUpdate, validateB: (typeof ours)['update'], body: unknown) {
  const a = structuredClone(body);
  const b = structuredClone(body);
  const okA = validateA(a);
  const okB = validateB(b);
  // Ajv reports a failed `then` with an extra `if` error; both drop none of the others.
  const errorsA = (validateA.errors ?? []).map((e) => key(e as never)).sort();
  const errorsB = (validateB.errors ?? []).map((e) => key(e as never)).sort();
  expect(errorsB).toEqual(errorsA);
  expect(okB).toBe(okA);
  expect(b).toEqual(a);
}

const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null), fc.integer(), fc.constant(''));
const condition = fc.oneof(
  fc.constant(null),
  fc.record(
    { type: fc.constantFrom('regex', 'contains', 'else', 'gt', 'bogus'), term: text, group_id: text, path: text, value: fc.jsonValue({ maxDepth: 1 }) },
    { requiredKeys: [] },
  ),
  fc.string(),
);
const strategy = fc.oneof(
  fc.constant(null),
  fc.record({ enabled: fc.oneof(fc.boolean(), fc.string()), max_retries: fc.integer({ min: -2, max: 102 }), max_iterations: fc.integer({ min: -2, max: 102 }), end_condition: condition, stop_on_condition: condition, extra: fc.integer() }, { requiredKeys: [] }),
);
const definition = fc.oneof(
  fc.record({ code: text, asset_id: text, groups: fc.array(fc.record({ id: text, name: text }, { requiredKeys: [] }), { maxLength: 3 }), type: text, source_node_id: text, instructions_mode: text }, { requiredKeys: [] }),
  fc.constant(null),
  fc.string(),
);
const node: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record(
      {
        type: fc.oneof(fc.constantFrom(...nodeTypes), fc.string()),
        id: text,
        next_node_ids: fc.oneof(fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }), fc.constant(null), fc.string()),
        definition: fc.oneof(definition, fc.record({ nodes: fc.array(tie('node'), { maxLength: 2 }) })),
        condition,
        retry_strategy: strategy,
        iterative_strategy: strategy,
        stop_strategy: strategy,
        input_type: fc.constantFrom('text', 'json', 'xml', null),
        return_this: fc.oneof(fc.boolean(), fc.constant(null), fc.integer()),
        colour: fc.string(),
      },
      { requiredKeys: [] },
    ),
    fc.string(),
  ),
})).node;
const body = fc.record(
  {
    name: text,
    type: fc.constantFrom('orchestration', 'manager', null),
    status: fc.constantFrom('ACTIVE', 'DRAFT', 'ON', null),
    llm_api_base: fc.constantFrom('https://x.y', 'ftp://x', 'nope', null),
    llm_credentials: fc.oneof(fc.constant(null), fc.record({ name: text, value: text, description: text, extra: fc.integer() }, { requiredKeys: [] })),
    instructions: fc.oneof(fc.constant(null), fc.record({ role: fc.array(text, { maxLength: 2 }), goal: fc.string(), general: text }, { requiredKeys: [] })),
    orchestration_nodes: fc.oneof(fc.array(node, { maxLength: 4 }), fc.constant(null), fc.string()),
    task_level_strategies: fc.oneof(
      fc.constant(null),
      fc.record(
        { retry_strategy: strategy, max_runs_per_day: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true })), duplication_prevention: fc.oneof(fc.constant(null), fc.record({ selectors: fc.array(fc.string(), { maxLength: 2 }), ttl_minutes: fc.integer({ min: 0, max: 101 }) }, { requiredKeys: [] })) },
        { requiredKeys: [] },
      ),
    ),
    notification_settings: fc.oneof(
      fc.constant(null),
      fc.record({ on_success: fc.oneof(fc.constant(null), fc.record({ email: fc.array(fc.record({ to: fc.array(fc.constantFrom('a@b.c', 'nope'), { maxLength: 2 }) }, { requiredKeys: [] }), { maxLength: 2 }), sms: fc.constant([]) }, { requiredKeys: [] })) }, { requiredKeys: [] }),
    ),
    pre_auth_audiences: fc.oneof(fc.array(text, { maxLength: 2 }), fc.constant(null)),
    unknown_field: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

test('the interpreter reports what Ajv reports, on 3,000 generated workflow bodies', () => {
  fc.assert(
    fc.property(body, fc.boolean(), (value, create) => {
      if (create) compare(ajvCreate, ours.create, value);
      else compare(ajvUpdate, ours.update, value);
    }),
    { numRuns: 3000 },
  );
});

test('defaults are filled inside present objects, as Ajv useDefaults does', () => {
  const value = { task_level_strategies: { retry_strategy: {}, duplication_prevention: { selectors: ['a'] } } };
  expect(ours.update(value)).toBe(true);
  expect(value.task_level_strategies).toEqual({
    retry_strategy: { enabled: false, max_retries: 3 },
    duplication_prevention: { selectors: ['a'], enabled: false, ttl_minutes: 10 },
  });
});
