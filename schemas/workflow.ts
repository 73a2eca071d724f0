/**
 * xpander "Workflows" shapes (docs/contracts.md, xpander). Every request field is
 * nullable as the seed documents it; `null` returns a field to its documented default.
 * Unknown properties are refused at every level except free-form maps (schemas,
 * settings, headers, metadata), as pydantic's `extra="forbid"` would.
 *
 * Limits the seed does not state are chosen to bound what one request can store
 * (OWASP API4); each is written next to its field.
 */
import { anyJsonValue, nodeTypes, uuidSchema } from './common.js';
import { httpUrlPattern, queryPageSizePattern, queryPositiveIntPattern } from './formats.js';

export const workflowStatuses = ['DRAFT', 'ACTIVE', 'INACTIVE'] as const;
/** The environment of a workflow that names none (flowplane has one per organization). */
export const defaultEnvironmentId = 'default';
export const modelProviders = [
  'openai',
  'nim',
  'amazon_bedrock',
  'azure_ai_foundary',
  'huggingFace',
  'friendlyAI',
  'anthropic',
  'gemini',
  'fireworks',
  'google_ai_studio',
  'helicone',
  'bytedance',
  'tzafon_lightcone',
  'open_router',
  'nebius',
  'cloudflare_ai_gw',
] as const;
export const reasoningEfforts = ['low', 'medium', 'high', 'xhigh'] as const;
export const credentialsKeyTypes = ['xpander', 'custom'] as const;
export const outputFormats = ['text', 'markdown', 'json', 'voice'] as const;
export const deploymentTypes = ['serverless', 'container'] as const;
export const accessScopes = ['personal', 'organizational'] as const;
export { nodeTypes };
type NodeType = (typeof nodeTypes)[number];
export const conditionTypes = [
  'regex',
  'contains',
  'else',
  'equal',
  'not_equal',
  'gt',
  'lt',
  'gte',
  'lte',
  'not_empty',
] as const;
export const sourceNodeTypes = [
  'workbench',
  'sdk',
  'task',
  'assistant',
  'webhook',
  'mcp',
  'a2a',
  'telegram',
  'slack',
] as const;

/**
 * The field shapes the workflow schemas repeat (nullable texts by maximum length, flags,
 * free-form objects, output formats, urls, id lists, classifier groups…), each written and
 * compiled to validator code once, and `$ref`'d through `shared(name)` and the helpers below.
 */
export const workflowDefs = {
  $id: 'WorkflowDefs',
  $defs: {
    text64: { type: ['string', 'null'], maxLength: 64 },
    text100: { type: ['string', 'null'], maxLength: 100 },
    text128: { type: ['string', 'null'], maxLength: 128 },
    text200: { type: ['string', 'null'], maxLength: 200 },
    text255: { type: ['string', 'null'], maxLength: 255 },
    text1000: { type: ['string', 'null'], maxLength: 1_000 },
    text2000: { type: ['string', 'null'], maxLength: 2_000 },
    text10000: { type: ['string', 'null'], maxLength: 10_000 },
    text100000: { type: ['string', 'null'], maxLength: 100_000 },
    flag: { type: ['boolean', 'null'] },
    /** A free-form JSON object (a JSON Schema, settings, headers…); any content. */
    freeObject: { type: ['object', 'null'], additionalProperties: anyJsonValue },
    outputFormat: { type: ['string', 'null'], enum: [...outputFormats, null] },
    examples: { type: ['array', 'null'], maxItems: 100, items: anyJsonValue },
    url: { type: ['string', 'null'], maxLength: 2_000, format: 'http-url', pattern: httpUrlPattern },
    // Unique: an edge named twice is a mistake, and one list of repeated ids made the graph
    // rules quadratic (issue 15). Items typed inline so Ajv checks uniqueness in one pass.
    ids: {
      type: ['array', 'null'],
      maxItems: 100,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 128 },
    },
    instructionsMode: { type: ['string', 'null'], enum: ['replace', 'append', null] },
    schemaOverride: {
      type: ['object', 'null'],
      properties: { input: { $ref: '#/$defs/freeObject' } },
      additionalProperties: false,
    },
    classifierGroup: {
      type: 'object',
      properties: {
        id: { $ref: '#/$defs/id' },
        name: { $ref: '#/$defs/text200' },
        evaluation_criteria: { $ref: '#/$defs/text10000' },
        auto_extract_relevant_data: { $ref: '#/$defs/flag' },
        data_extraction_keys: { type: ['array', 'null'], maxItems: 100, items: { type: 'string', maxLength: 200 } },
      },
      required: ['id'],
      additionalProperties: false,
    },
    id: { type: 'string', minLength: 1, maxLength: 128 },
  },
} as const;

type WorkflowDef = keyof (typeof workflowDefs)['$defs'];
/** The lengths a `text<maxLength>` shape exists for. */
type TextLength = WorkflowDef extends infer Name ? (Name extends `text${infer N extends number}` ? N : never) : never;

const shared = /* @__NO_SIDE_EFFECTS__ */ <Name extends WorkflowDef>(name: Name, description?: string) =>
  ({ $ref: `WorkflowDefs#/$defs/${name}`, ...(description ? { description } : {}) }) as const;
const text = /* @__NO_SIDE_EFFECTS__ */ (maxLength: TextLength, description?: string) =>
  shared(`text${maxLength}`, description);
const flag = /* @__NO_SIDE_EFFECTS__ */ (description?: string) => shared('flag', description);
const freeObject = /* @__NO_SIDE_EFFECTS__ */ (description?: string) => shared('freeObject', description);
const idText = shared('id');
const examples = shared('examples');
const outputFormat = /* @__NO_SIDE_EFFECTS__ */ (description: string) => shared('outputFormat', description);
const enumOrNull = /* @__NO_SIDE_EFFECTS__ */ <T extends readonly string[]>(values: T, description: string) =>
  ({ type: ['string', 'null'], enum: [...values, null], description }) as const;

/**
 * `{type, term?, group_id?, path?, value?}`; which fields a type needs is checked in
 * functions/domain/workflow/rules.ts.
 */
export const workflowCondition = {
  $id: 'WorkflowCondition',
  type: ['object', 'null'],
  properties: {
    type: { type: 'string', enum: conditionTypes, description: 'How the condition is evaluated.' },
    term: text(10_000, 'Pattern (regex) or text (contains).'),
    group_id: text(128, "A classifier group's id or a guardrail's pass / fail."),
    path: text(1_000, 'Dot path into the input (comparisons, not_empty).'),
    value: { description: 'Value to compare with (comparisons).' },
  },
  required: ['type'],
  additionalProperties: false,
} as const;

export const retryStrategy = {
  $id: 'RetryStrategy',
  type: ['object', 'null'],
  properties: {
    enabled: { type: 'boolean', default: false },
    max_retries: { type: 'integer', minimum: 1, maximum: 100, default: 3 },
  },
  additionalProperties: false,
} as const;

export const iterativeStrategy = {
  $id: 'IterativeStrategy',
  type: ['object', 'null'],
  properties: {
    enabled: { type: 'boolean', default: false },
    max_iterations: { type: 'integer', minimum: 1, maximum: 100, default: 3 },
    end_condition: { $ref: 'WorkflowCondition' },
  },
  additionalProperties: false,
} as const;

export const stopStrategy = {
  $id: 'StopStrategy',
  type: ['object', 'null'],
  properties: {
    enabled: { type: 'boolean', default: false },
    stop_on_failure: { type: 'boolean', default: true },
    stop_on_condition: { $ref: 'WorkflowCondition' },
  },
  additionalProperties: false,
} as const;

const pointerProperties = {
  asset_id: idText,
  type: text(64),
  output_type: outputFormat('Output format of the pointed asset.'),
  output_schema: freeObject(),
  instructions: text(100_000),
  instructions_mode: shared('instructionsMode', 'Replace or append to the asset instructions.'),
  ignore_response: flag(),
  persist_thread_id: flag(),
  schema_override: shared('schemaOverride'),
} as const;

const classifierGroups = /* @__NO_SIDE_EFFECTS__ */ (minItems: number, maxItems: number) =>
  ({ type: 'array', minItems, maxItems, items: shared('classifierGroup') }) as const;

/** A `oneOf` branch of a node: the node type(s) it is for and the shape of their `definition`. */
const nodeBranch = /* @__NO_SIDE_EFFECTS__ */ (type: NodeType | readonly NodeType[], definition: object) =>
  ({ properties: { type: typeof type === 'string' ? { const: type } : { enum: type }, definition } }) as const;

/** One node of the DAG; `parallel` nodes hold nodes of the same shape. */
export const orchestrationNode = {
  $id: 'OrchestrationNode',
  type: 'object',
  properties: {
    type: { type: 'string', description: 'Node type; decides the shape of `definition` (the `oneOf` branch).' },
    definition: { type: 'object', description: 'What the node runs; its shape depends on `type`.' },
    id: {
      type: ['string', 'null'],
      minLength: 1,
      maxLength: 128,
      description: 'Unique within its list; a uuid4 is assigned when missing.',
    },
    next_node_ids: shared('ids', 'Ids of the nodes that follow.'),
    name: text(200),
    description: text(2_000),
    condition: { $ref: 'WorkflowCondition' },
    retry_strategy: { $ref: 'RetryStrategy' },
    iterative_strategy: { $ref: 'IterativeStrategy' },
    stop_strategy: { $ref: 'StopStrategy' },
    input_type: outputFormat('Input format.'),
    input_schema: freeObject(),
    input_instructions: text(100_000),
    agentic_context_input_instructions: text(100_000),
    agentic_context_output_instructions: text(100_000),
    return_this: flag(),
  },
  required: ['type', 'definition'],
  additionalProperties: false,
  $defs: {
    pointer: { type: 'object', properties: pointerProperties, required: ['asset_id'], additionalProperties: false },
  },
  // `definition` by node type (docs/contracts.md): the node's `type` picks one branch, and only
  // that branch is checked and reported (an unknown type is one error on `type`).
  discriminator: { propertyName: 'type' },
  oneOf: [
    // Ajv compiles a branch once per tag value: the three share one compiled `pointer`.
    nodeBranch(['agent', 'orchestration', 'action'], { $ref: '#/$defs/pointer' }),
    // The seed's own example is `custom_function` with `{code}`: either a pointer or code.
    nodeBranch('custom_function', {
      type: 'object',
      properties: { ...pointerProperties, code: { type: 'string', minLength: 1, maxLength: 200_000 } },
      additionalProperties: false,
    }),
    nodeBranch('code', {
      type: 'object',
      properties: { code: { type: 'string', minLength: 1, maxLength: 200_000 } },
      required: ['code'],
      additionalProperties: false,
    }),
    nodeBranch('classifier', {
      type: 'object',
      properties: {
        groups: classifierGroups(1, 100),
        output_type: outputFormat('Output format.'),
        output_schema: freeObject(),
        instructions: text(100_000),
        examples,
        settings: freeObject(),
      },
      required: ['groups'],
      additionalProperties: false,
    }),
    nodeBranch('guardrail', {
      type: 'object',
      properties: { groups: classifierGroups(2, 2), examples, settings: freeObject() },
      required: ['groups'],
      additionalProperties: false,
    }),
    nodeBranch('summarizer', {
      type: 'object',
      properties: { instructions: text(100_000), examples, settings: freeObject() },
      additionalProperties: false,
    }),
    nodeBranch('wait', {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['webhook', 'hitl'] },
        definition: freeObject('Notification details.'),
      },
      required: ['type'],
      additionalProperties: false,
    }),
    nodeBranch('send_to_end', {
      type: 'object',
      properties: { message: text(10_000) },
      additionalProperties: false,
    }),
    nodeBranch('node_pointer', {
      type: 'object',
      properties: { source_node_id: idText },
      required: ['source_node_id'],
      additionalProperties: false,
    }),
    nodeBranch('parallel', {
      type: 'object',
      properties: {
        nodes: { type: 'array', minItems: 1, maxItems: 100, items: { $ref: 'OrchestrationNode' } },
        output_type: outputFormat('Output format.'),
        output_schema: freeObject(),
        output_instructions: text(100_000),
      },
      required: ['nodes'],
      additionalProperties: false,
    }),
  ],
} as const;

const notificationCommon = {
  subject: text(1_000),
  body: text(10_000),
  approve_button_text: text(100),
  deny_button_text: text(100),
  logo_url: shared('url'),
} as const;

const notificationList = /* @__NO_SIDE_EFFECTS__ */ (config: object) =>
  ({ type: 'array', maxItems: 50, items: config }) as const;

export const notificationChannels = {
  $id: 'NotificationChannels',
  type: ['object', 'null'],
  properties: {
    email: notificationList({
      type: 'object',
      properties: {
        to: {
          type: 'array',
          minItems: 1,
          maxItems: 100,
          items: { type: 'string', maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' },
        },
        ...notificationCommon,
      },
      required: ['to'],
      additionalProperties: false,
    }),
    slack: notificationList({
      type: 'object',
      properties: {
        channels: {
          type: 'array',
          minItems: 1,
          maxItems: 100,
          items: { type: 'string', minLength: 1, maxLength: 200 },
        },
        credentials: freeObject(),
        ...notificationCommon,
      },
      required: ['channels'],
      additionalProperties: false,
    }),
    webhook: notificationList({
      type: 'object',
      properties: {
        url: { type: 'string', maxLength: 2_000, format: 'http-url', pattern: httpUrlPattern },
        headers: {
          type: ['object', 'null'],
          maxProperties: 50,
          additionalProperties: { type: 'string', maxLength: 8_000 },
        },
        ...notificationCommon,
      },
      required: ['url'],
      additionalProperties: false,
    }),
  },
  additionalProperties: false,
} as const;

const workflowInputProperties = {
  organization_id: {
    type: ['string', 'null'],
    maxLength: 128,
    description: "Must be the caller's organization: a workflow cannot move.",
  },
  agent_id: text(128),
  type: {
    type: ['string', 'null'],
    enum: ['orchestration', null],
    description: "Always 'orchestration'; cannot be changed.",
  },
  name: {
    type: 'string',
    minLength: 1,
    maxLength: 255,
    pattern: '\\S',
    description: 'Workflow name (cannot be cleared: `null` is refused).',
  },
  description: text(10_000, 'Workflow description.'),
  icon: text(64, 'Emoji icon.'),
  avatar: text(255, 'Avatar identifier.'),
  status: enumOrNull(workflowStatuses, 'Workflow status.'),
  model_provider: enumOrNull(modelProviders, 'Default LLM provider.'),
  model_name: text(255, 'Default model name.'),
  llm_reasoning_effort: enumOrNull(reasoningEfforts, 'Reasoning depth.'),
  llm_api_base: shared('url', 'Custom LLM API base URL.'),
  llm_credentials_key: text(255, 'LLM credentials key.'),
  llm_credentials_key_type: enumOrNull(credentialsKeyTypes, 'Credential type.'),
  llm_credentials: {
    type: ['object', 'null'],
    description:
      'Direct LLM credentials. `value` is encrypted at rest and always returned masked; sending the mask back keeps it.',
    properties: {
      name: { type: 'string', maxLength: 255 },
      value: { type: 'string', minLength: 1, maxLength: 10_000 },
      description: text(2_000),
    },
    required: ['name', 'value'],
    additionalProperties: false,
  },
  llm_extra_headers: {
    type: ['object', 'null'],
    maxProperties: 50,
    additionalProperties: { type: 'string', maxLength: 8_000 },
    description: 'Extra LLM headers.',
  },
  instructions: {
    type: ['object', 'null'],
    description: 'Workflow instructions.',
    properties: {
      role: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 10_000 } },
      goal: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 10_000 } },
      general: { type: 'string', maxLength: 100_000 },
    },
    additionalProperties: false,
  },
  expected_output: text(100_000, 'Expected output description.'),
  output_format: outputFormat('Output format.'),
  output_schema: freeObject('JSON Schema for output.'),
  orchestration_nodes: {
    type: ['array', 'null'],
    maxItems: 500,
    items: { $ref: 'OrchestrationNode' },
    description: 'The node graph (a DAG); replaces the stored list.',
  },
  task_level_strategies: {
    type: ['object', 'null'],
    description: 'Execution strategies.',
    properties: {
      retry_strategy: { $ref: 'RetryStrategy' },
      iterative_strategy: { $ref: 'IterativeStrategy' },
      stop_strategy: { $ref: 'StopStrategy' },
      max_runs_per_day: { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000 },
      agentic_context_enabled: flag(),
      duplication_prevention: {
        type: ['object', 'null'],
        properties: {
          selectors: {
            type: 'array',
            minItems: 1,
            maxItems: 50,
            items: { type: 'string', minLength: 1, maxLength: 1_000 },
          },
          enabled: { type: 'boolean', default: false },
          ttl_minutes: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
        },
        required: ['selectors'],
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  notification_settings: {
    type: ['object', 'null'],
    description: 'Notification settings.',
    properties: { on_success: { $ref: 'NotificationChannels' }, on_error: { $ref: 'NotificationChannels' } },
    additionalProperties: false,
  },
  source_nodes: {
    type: ['array', 'null'],
    maxItems: 100,
    description: 'Trigger source nodes.',
    items: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: sourceNodeTypes },
        id: { type: ['string', 'null'], maxLength: 128 },
        targets: shared('ids'),
        metadata: freeObject(),
      },
      required: ['type'],
      additionalProperties: false,
    },
  },
  deployment_type: enumOrNull(deploymentTypes, 'Deployment type.'),
  access_scope: enumOrNull(accessScopes, 'Access scope.'),
  environment_id: {
    type: ['string', 'null'],
    minLength: 1,
    maxLength: 128,
    description: "Target environment; `null` returns it to the organization's default environment, `default`.",
  },
  using_nemo: flag('NeMo guardrails.'),
  prompts_caching_enabled: flag('Prompt caching.'),
  on_prem_event_streaming: flag('Event streaming.'),
  use_oidc_pre_auth: flag('OIDC pre-auth.'),
  pre_auth_audiences: {
    type: ['array', 'null'],
    maxItems: 50,
    items: { type: 'string', maxLength: 1_000 },
    description: 'OIDC audiences.',
  },
  use_oidc_pre_auth_token_for_llm: flag('Forward OIDC to LLM.'),
  oidc_pre_auth_token_llm_audience: text(1_000, 'OIDC LLM audience.'),
  oidc_pre_auth_token_mcp_audience: text(1_000, 'OIDC MCP audience.'),
} as const;

/** The request fields a workflow stores (everything but `organization_id` and `type`). */
export const workflowFieldNames: readonly string[] = /* @__PURE__ */ Object.keys(workflowInputProperties).filter(
  (name) => name !== 'organization_id' && name !== 'type',
);

/**
 * The shared subschemas the workflow bodies `$ref` by `$id`, registered with the validator
 * once (schemas/index.ts) so that each compiles to one function whichever body uses it.
 */
export const workflowSharedSchemas = [
  workflowDefs,
  workflowCondition,
  retryStrategy,
  iterativeStrategy,
  stopStrategy,
  notificationChannels,
  orchestrationNode,
] as const;

/** `POST /v1/workflows` body: the same fields, `name` required. */
export const createWorkflowInput = {
  $id: 'CreateWorkflowRequest',
  type: 'object',
  properties: {
    ...workflowInputProperties,
    name: { type: 'string', minLength: 1, maxLength: 255, pattern: '\\S', description: 'Workflow name.' },
  },
  required: ['name'],
  additionalProperties: false,
} as const;

export const workflowIdParams = {
  $id: 'WorkflowIdParams',
  type: 'object',
  properties: { workflow_id: { ...uuidSchema, description: 'Unique identifier of the workflow (UUID).' } },
  required: ['workflow_id'],
} as const;

/**
 * A boolean as FastAPI reads it from a query string (format `query-boolean`, any spelling of schemas/formats.ts
 * `queryBooleans`); the OpenAPI document publishes it as a boolean and names the other spellings.
 */
const queryBoolean = /* @__NO_SIDE_EFFECTS__ */ (description: string) =>
  ({ type: 'string', format: 'query-boolean', description }) as const;
const queryVersion = /* @__NO_SIDE_EFFECTS__ */ (description: string) =>
  ({ type: 'string', format: 'query-positive-int', pattern: queryPositiveIntPattern, description }) as const;
const queryLimit = {
  type: 'string',
  pattern: queryPageSizePattern,
  default: '20',
  description: 'Page size, 1 to 100 (default 20).',
} as const;
const queryCursor = {
  type: 'string',
  minLength: 1,
  maxLength: 2048,
  description: 'Opaque cursor from the previous page (`next`).',
} as const;

export const updateWorkflowQuery = {
  $id: 'UpdateWorkflowQuery',
  type: 'object',
  properties: {
    deploy: queryBoolean('Deploy the workflow after updating (default false): the change is staged otherwise.'),
  },
} as const;

export const getWorkflowQuery = {
  $id: 'GetWorkflowQuery',
  type: 'object',
  properties: {
    version: queryVersion('A deployed version to read instead of the working copy (also header `x-agent-version`).'),
  },
} as const;

export const deployWorkflowQuery = {
  $id: 'DeployWorkflowQuery',
  type: 'object',
  properties: {
    from_version: queryVersion("Roll back: deploy this version's content as a new version."),
  },
} as const;

export const listWorkflowsQuery = {
  $id: 'ListWorkflowsQuery',
  type: 'object',
  properties: { limit: queryLimit, next: queryCursor },
} as const;

const llmCredentialsOutput = {
  type: ['object', 'null'],
  properties: {
    name: { type: 'string' },
    value: { type: 'string', const: '********' },
    description: { type: ['string', 'null'] },
  },
} as const;

const nullableString = { type: ['string', 'null'] } as const;
const nullableBoolean = { type: ['boolean', 'null'] } as const;

/** A nullable response field and the seed's documented default, shown when it is unset. */
const stringOr = /* @__NO_SIDE_EFFECTS__ */ (fallback: string | null) =>
  ({ ...nullableString, default: fallback }) as const;
const booleanOr = /* @__NO_SIDE_EFFECTS__ */ (fallback: boolean) =>
  ({ ...nullableBoolean, default: fallback }) as const;
const listOrEmpty = { type: ['array', 'null'], default: [] } as const;
const objectOr = /* @__NO_SIDE_EFFECTS__ */ <T extends object>(fallback: T) =>
  ({ type: ['object', 'null'], default: fallback }) as const;
const enumOr = /* @__NO_SIDE_EFFECTS__ */ <T extends readonly string[]>(values: T, fallback: T[number]) =>
  ({ type: ['string', 'null'], enum: [...values, null], default: fallback }) as const;

const defaultAgnoSettings = {
  session_storage: true,
  learning: false,
  agent_memories: false,
  agentic_culture: false,
  user_memories: false,
  agentic_memory: false,
  session_summaries: false,
  num_history_runs: 10,
  max_tool_calls_from_history: 0,
  tool_call_limit: 0,
  coordinate_mode: true,
  pii_detection_enabled: false,
  pii_detection_mask: true,
  prompt_injection_detection_enabled: false,
  openai_moderation_enabled: false,
  reasoning_tools_enabled: false,
  tool_calls_compression: { enabled: false, instructions: '', threshold: 3 },
  max_plan_retries: 15,
  plan_retry_strategy: 'tiered',
  memory_strategy: 'disabled',
} as const;

const defaultStrategies = {
  retry_strategy: { enabled: false, max_retries: 3 },
  iterative_strategy: { enabled: false, max_iterations: 3, end_condition: null },
  stop_strategy: { enabled: false, stop_on_failure: true, stop_on_condition: null },
  max_runs_per_day: null,
  agentic_context_enabled: false,
  duplication_prevention: null,
} as const;

/**
 * The seed's `WorkflowResponse`: every field, unset ones at their documented `default`
 * (functions/domain/workflow/model.ts renders from these). The fields flowplane computes
 * (`id`, `version`, `is_latest`, `has_pending_changes`, `type`, `created_*`) have none.
 */
export const workflowResponse = {
  $id: 'WorkflowResponse',
  type: 'object',
  properties: {
    name: { type: 'string' },
    organization_id: { type: 'string' },
    webhook_url: { type: 'string' },
    id: uuidSchema,
    agent_id: stringOr(null),
    unique_name: {
      type: 'string',
      description: 'A slug of the name at creation, unique in the organization; never changes.',
    },
    origin_template: stringOr(null),
    delegation_end_strategy: enumOr(['return-to-start', 'finish-with-last'] as const, 'return-to-start'),
    environment_id: { type: 'string', default: defaultEnvironmentId },
    sub_agents_continuous_thread: booleanOr(true),
    deployment_type: enumOr(deploymentTypes, 'serverless'),
    created_by_prompt: stringOr(null),
    prompts: listOrEmpty,
    is_latest: nullableBoolean,
    has_pending_changes: nullableBoolean,
    deep_planning: booleanOr(false),
    enforce_deep_planning: booleanOr(false),
    connectivity_details: objectOr({}),
    framework: stringOr('agno'),
    description: stringOr(''),
    tools: listOrEmpty,
    icon: stringOr('🚀'),
    avatar: stringOr('male-avatar'),
    source_nodes: listOrEmpty,
    attached_tools: listOrEmpty,
    access_scope: enumOr(accessScopes, 'personal'),
    instructions: objectOr({ role: [], goal: [], general: '' }),
    oas: objectOr({}),
    graph: listOrEmpty,
    llm_settings: listOrEmpty,
    status: enumOr(workflowStatuses, 'ACTIVE'),
    knowledge_bases: listOrEmpty,
    version: { type: ['integer', 'null'], minimum: 1 },
    created_by: nullableString,
    created_at: { type: ['string', 'null'], format: 'date-time' },
    type: { type: ['string', 'null'], enum: ['manager', 'regular', 'a2a', 'curl', 'orchestration', null] },
    delegation_type: enumOr(['router', 'sequence'] as const, 'router'),
    delegation_memory_strategy: enumOr(['full', 'summarization', 'original-input'] as const, 'summarization'),
    is_ai_employee: booleanOr(false),
    using_nemo: booleanOr(false),
    deletable: booleanOr(true),
    model_provider: enumOr(modelProviders, 'anthropic'),
    model_name: stringOr('claude-sonnet-4-6'),
    llm_reasoning_effort: enumOr(reasoningEfforts, 'medium'),
    llm_api_base: stringOr(null),
    output_format: enumOr(outputFormats, 'markdown'),
    voice_id: stringOr(null),
    output_schema: objectOr({}),
    llm_credentials_key: stringOr(null),
    llm_credentials_key_type: enumOr(credentialsKeyTypes, 'xpander'),
    llm_credentials: { ...llmCredentialsOutput, default: null },
    llm_extra_headers: objectOr({}),
    expected_output: stringOr(''),
    agno_settings: objectOr(defaultAgnoSettings),
    on_prem_event_streaming: booleanOr(true),
    prompts_caching_enabled: booleanOr(false),
    is_supervised: booleanOr(false),
    orchestration_nodes: listOrEmpty,
    notification_settings: objectOr({}),
    task_level_strategies: objectOr(defaultStrategies),
    use_oidc_pre_auth: booleanOr(false),
    pre_auth_audiences: listOrEmpty,
    use_oidc_pre_auth_token_for_llm: booleanOr(false),
    oidc_pre_auth_token_llm_audience: stringOr(null),
    oidc_pre_auth_token_mcp_audience: stringOr(null),
  },
  required: [
    'name',
    'organization_id',
    'webhook_url',
    'id',
    'unique_name',
    'environment_id',
    'version',
    'is_latest',
    'has_pending_changes',
    'type',
  ],
  additionalProperties: false,
} as const;

/**
 * The response fields that belong to xpander's service and that flowplane always shows at
 * their documented default (`framework`, `agno_settings`, `tools`…), by name: a PATCH may
 * send them back, and each is accepted only as that default (functions/domain/workflow/read-only-claims.ts).
 */
export const responseOnlyDefaults: ReadonlyMap<string, unknown> = /* @__PURE__ */ new Map(
  Object.entries(workflowResponse.properties as Record<string, { default?: unknown }>)
    .filter(([name, property]) => 'default' in property && !Object.hasOwn(workflowInputProperties, name))
    .map(([name, property]) => [name, property.default]),
);

/** A response-only field in a PATCH body: any value is read, and only its default accepted (a rule, not a shape). */
function responseOnlyProperties(): Record<string, { description: string }> {
  return Object.fromEntries(
    [...responseOnlyDefaults].map(([name, value]) => [
      name,
      { description: `Read-only: accepted when it is ${JSON.stringify(value)}, the value flowplane shows.` },
    ]),
  );
}

/**
 * What the xpander SDK adds to `instructions` when it serialises them (computed from
 * `role`, `goal` and `general`): accepted in a PATCH, and ignored.
 */
export const derivedInstructionKeys = ['description', 'instructions', 'full', 'goal_str'] as const;

const derivedInstructions = {
  description: "Derived by xpander's SDK from role, goal and general: accepted and ignored.",
} as const;

/**
 * The response fields flowplane computes for each workflow: a PATCH may send them back
 * (a GET body PATCHed unchanged), and they are accepted only when they say what is stored
 * (functions/domain/workflow/read-only-claims.ts); a different value is 422.
 */
const readOnlyProperties = {
  id: { ...uuidSchema, description: "Read-only: accepted when it is this workflow's id." },
  webhook_url: {
    type: 'string',
    maxLength: 2_000,
    description: "Read-only: accepted when it is this workflow's webhook URL.",
  },
  unique_name: {
    type: 'string',
    maxLength: 128,
    description: "Read-only: accepted when it is this workflow's unique name.",
  },
  version: { type: 'integer', minimum: 1, description: 'Read-only: accepted when it is the latest deployed version.' },
  is_latest: { type: 'boolean', description: 'Read-only: accepted when it says whether nothing is staged.' },
  has_pending_changes: { type: 'boolean', description: 'Read-only: accepted when it says whether a change is staged.' },
  created_at: {
    type: 'string',
    maxLength: 64,
    description: 'Read-only: accepted when it is when the workflow was created.',
  },
  created_by: {
    type: 'string',
    maxLength: 255,
    description: 'Read-only: accepted when it is who created the workflow.',
  },
} as const;

/** `PATCH /v1/workflows/{workflow_id}` body: every field optional, at least one. */
export const updateWorkflowInput = {
  $id: 'UpdateWorkflowRequest',
  type: 'object',
  properties: {
    ...workflowInputProperties,
    instructions: {
      ...workflowInputProperties.instructions,
      properties: {
        ...workflowInputProperties.instructions.properties,
        description: derivedInstructions,
        instructions: derivedInstructions,
        full: derivedInstructions,
        goal_str: derivedInstructions,
      },
    },
    ...readOnlyProperties,
    .../* @__PURE__ */ responseOnlyProperties(),
  },
  minProperties: 1,
  additionalProperties: false,
} as const;

export const workflowListResponse = {
  $id: 'WorkflowList',
  type: 'object',
  properties: {
    items: { type: 'array', items: workflowResponse },
    next: { type: ['string', 'null'], description: 'Pass as `next` for the following page; null on the last page.' },
  },
  required: ['items', 'next'],
  additionalProperties: false,
} as const;

export const workflowVersionsResponse = {
  $id: 'WorkflowVersionList',
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          version: { type: 'integer', minimum: 1 },
          deployed_at: { type: 'string', format: 'date-time' },
          deployed_by: { type: 'string' },
          is_latest: { type: 'boolean' },
        },
        required: ['version', 'deployed_at', 'deployed_by', 'is_latest'],
        additionalProperties: false,
      },
    },
    next: { type: ['string', 'null'] },
  },
  required: ['items', 'next'],
  additionalProperties: false,
} as const;

export const workflowDeletedResponse = {
  $id: 'WorkflowDeleted',
  type: 'object',
  properties: { id: uuidSchema, detail: { type: 'string' } },
  required: ['id', 'detail'],
  additionalProperties: false,
} as const;
