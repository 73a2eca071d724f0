/** Response-shape checks: every body a test receives is validated against the contract schemas. */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { fastApiError, fastApiValidationError } from '../../functions/contracts/fastapi.js';
import { flowkerErrorResponse } from '../../functions/contracts/flowker.js';
import { executorOutput } from '../../schemas/executor.js';
import { workflowResponse } from '../../schemas/workflow.js';

const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);

const compiled = new Map<object, ReturnType<typeof ajv.compile>>();

/** Throws with Ajv's errors when `value` does not fit `schema`. */
export function assertFits(schema: object, value: unknown): void {
  let validate = compiled.get(schema);
  if (!validate) {
    // A schema may already be registered through another that embeds it (by $id).
    const id = (schema as { $id?: string }).$id;
    validate = (id ? ajv.getSchema(id) : undefined) ?? ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(value))
    throw new Error(
      `response does not fit ${String((schema as { $id?: string }).$id)}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`,
    );
}

/** The seed's schema for a Flowker reply of this status and route (a 204 has no body). */
export function assertFlowkerReply(reply: { status: number; body: unknown }, success: object = executorOutput): void {
  if (reply.status === 204) {
    if (reply.body !== undefined) throw new Error(`a 204 reply carries a body: ${JSON.stringify(reply.body)}`);
    return;
  }
  assertFits(reply.status < 300 ? success : flowkerErrorResponse, reply.body);
}

/** The seed's schema for an xpander (FastAPI) reply of this status and route. */
export function assertWorkflowReply(
  reply: { status: number; body: unknown },
  success: object = workflowResponse,
): void {
  if (reply.status < 300) assertFits(success, reply.body);
  else assertFits(reply.status === 422 ? fastApiValidationError : fastApiError, reply.body);
}
