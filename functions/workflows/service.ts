/**
 * Workflow use cases, free of any transport: each takes a validated command and returns
 * a result. The Lambda entries in this folder wire them to the HTTP chain.
 *
 * A PATCH without `deploy` stages its change on the working copy (one UpdateItem). A
 * deploy (PATCH with `deploy=true`, or PUT) reads the working copy, merges and validates
 * the whole document, and writes the new snapshot and the working copy in one
 * transaction guarded by the revision it read: two requests when nobody else writes
 * meanwhile. Under contention it reads again, so concurrent deploys all land, as
 * contiguous versions.
 */
import { randomUUID } from 'node:crypto';
import { type Command, matchesPrecondition, type Precondition, type Principal, type Result } from '../core/command.js';
import { decodeCursor, encodeCursor } from '../core/cursor.js';
import { parseQueryBoolean } from '../domain/formats.js';
import { secretMask } from '../domain/secrets.js';
import {
  credentialContext,
  decodeFields,
  encodeField,
  type StoredContent,
  toWorkflowResponse,
  type WorkflowRecord,
  type WorkflowSnapshot,
  workingCopyResponse,
} from '../domain/workflow/model.js';
import { workflowFieldViolations } from '../domain/workflow/rules.js';
import { ConflictError, PreconditionFailedError, UnprocessableError } from '../http/errors.js';
import { sealSecret } from '../secrets/envelope.js';
import { workflowKey, workflowsByOrganization } from '../store/keys.js';
import {
  deleteWorkflow,
  getWorkflow,
  getWorkflowWithVersion,
  insertWorkflow,
  listWorkflows,
  listWorkflowVersions,
  stageWorkflowChange,
  type WorkflowChange,
  writeDeployment,
} from '../store/workflows.js';
import { workflowFieldNames } from '../../schemas/workflow.js';

type ById = { workflow_id: string };
type Body = Record<string, unknown>;

const storedFields = new Set(workflowFieldNames);

function assertRules(body: Body, organizationId: string): void {
  const violations = workflowFieldViolations(body, organizationId);
  if (violations.length > 0) throw new UnprocessableError(violations[0].msg, { violations });
}

/** The content change a body asks for: each provided field set, each `null` cleared. */
async function changeFrom(body: Body, organizationId: string, workflowId: string): Promise<WorkflowChange> {
  const change: WorkflowChange = { set: {}, remove: [] };
  for (const [field, value] of Object.entries(body)) {
    if (!storedFields.has(field)) continue;
    if (value === null) change.remove.push(field);
    else if (field !== 'llm_credentials') change.set[field] = encodeField(value);
  }
  if ('llm_credentials' in body) {
    const credentials = body.llm_credentials as { name: string; value: string; description?: string | null } | null;
    if (credentials === null) {
      change.credential = 'clear';
    } else {
      const { value, ...shown } = credentials;
      change.set.llm_credentials = encodeField(shown);
      change.credential =
        value === secretMask ? 'keep' : { sealed: await sealSecret(value, credentialContext(organizationId, workflowId)) };
    }
  }
  return change;
}

/** The content after applying a change to the content it was computed from. */
function applyChange(content: StoredContent, change: WorkflowChange): StoredContent {
  const fields = { ...content.fields, ...change.set };
  for (const field of change.remove) delete fields[field];
  const credential = change.credential;
  let llmCredentialsValue = content.llmCredentialsValue;
  if (credential === 'clear') llmCredentialsValue = undefined;
  else if (credential && credential !== 'keep') llmCredentialsValue = credential.sealed;
  else if (credential === 'keep' && !llmCredentialsValue) {
    throw new UnprocessableError('masked value sent, but no credential value is stored', {
      violations: [
        {
          loc: ['body', 'llm_credentials', 'value'],
          type: 'value_error',
          msg: 'Value error, the mask keeps a stored credential value, but this workflow has none: send the value itself',
        },
      ],
    });
  }
  return { fields, ...(llmCredentialsValue ? { llmCredentialsValue } : {}) };
}

function contentOf(item: StoredContent): StoredContent {
  return { fields: item.fields ?? {}, ...(item.llmCredentialsValue ? { llmCredentialsValue: item.llmCredentialsValue } : {}) };
}

function workingCopyResult(record: WorkflowRecord, status = 200): Result {
  return { status, body: workingCopyResponse(record), version: record.revision };
}

/** `POST /v1/workflows`: a new workflow, deployed as version 1. */
export async function createWorkflow(command: Command<{}, {}, Body>): Promise<Result> {
  const { body, principal } = command;
  assertRules(body, principal.organizationId);
  const id = randomUUID();
  const change = await changeFrom(body, principal.organizationId, id);
  const content = applyChange({ fields: {} }, change);
  const now = new Date().toISOString();
  const record: WorkflowRecord = {
    id,
    organizationId: principal.organizationId,
    ...content,
    version: 1,
    revision: 1,
    hasPendingChanges: false,
    createdAt: now,
    createdBy: principal.keyName,
    updatedAt: now,
    updatedBy: principal.keyName,
  };
  await insertWorkflow(record);
  return workingCopyResult(record, 201);
}

/** `GET /v1/workflows/{workflow_id}[?version=N]`: the working copy, or deployed snapshot N. */
export async function readWorkflow(command: Command<ById, { version?: string }>): Promise<Result> {
  const { principal, params, query } = command;
  if (query.version === undefined) {
    return workingCopyResult(await getWorkflow(principal.organizationId, params.workflow_id));
  }
  const { record, snapshot } = await getWorkflowWithVersion(principal.organizationId, params.workflow_id, Number(query.version));
  return {
    status: 200,
    body: toWorkflowResponse(snapshot, {
      id: record.id,
      organizationId: record.organizationId,
      version: snapshot.version,
      isLatest: snapshot.version === record.version,
      hasPendingChanges: record.hasPendingChanges,
      createdAt: record.createdAt,
      createdBy: record.createdBy,
    }),
  };
}

/** How many times a deploy re-reads after losing a race before it answers 409. */
const maxDeployAttempts = 25;

/**
 * Deploys a new version. `plan` decides, from the working copy just read (and snapshot
 * `fromVersion` when rolling back), what the working copy changes by and what the
 * snapshot holds; the merged document is validated before anything is written.
 */
async function deploy(
  principal: Principal,
  workflowId: string,
  precondition: Precondition | undefined,
  plan: (record: WorkflowRecord, snapshot?: WorkflowSnapshot) => { change: WorkflowChange; content: StoredContent },
  fromVersion?: number,
): Promise<Result> {
  const { organizationId, keyName } = principal;
  for (let attempt = 0; attempt < maxDeployAttempts; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    const { record, snapshot } =
      fromVersion === undefined
        ? { record: await getWorkflow(organizationId, workflowId, true), snapshot: undefined }
        : await getWorkflowWithVersion(organizationId, workflowId, fromVersion);
    if (!matchesPrecondition(precondition, record.revision)) {
      throw new PreconditionFailedError('The workflow changed since the version named in If-Match');
    }
    const { change, content } = plan(record, snapshot);
    assertRules(decodeFields(content.fields), organizationId);
    const now = new Date().toISOString();
    const version = record.version + 1;
    const outcome = await writeDeployment(organizationId, workflowId, {
      fromRevision: record.revision,
      version,
      change,
      content,
      actor: keyName,
      now,
    });
    if ('written' in outcome) {
      const { llmCredentialsValue: _previous, ...meta } = record;
      return workingCopyResult({
        ...meta,
        ...content,
        version,
        revision: record.revision + 1,
        hasPendingChanges: false,
        updatedAt: now,
        updatedBy: keyName,
      });
    }
    // Someone wrote first: with If-Match the caller's version is now stale; without it, merge again.
    if (precondition && !('any' in precondition)) {
      throw new PreconditionFailedError('The workflow changed since the version named in If-Match');
    }
  }
  throw new ConflictError('The workflow kept changing while deploying; retry');
}

/** `PATCH /v1/workflows/{workflow_id}?deploy=`: stage the change, or stage and deploy it. */
export async function updateWorkflow(command: Command<ById, { deploy?: string }, Body>): Promise<Result> {
  const { body, principal, params, precondition, query } = command;
  assertRules(body, principal.organizationId);
  const change = await changeFrom(body, principal.organizationId, params.workflow_id);
  if (!parseQueryBoolean(query.deploy)) {
    const record = await stageWorkflowChange(
      principal.organizationId,
      params.workflow_id,
      change,
      precondition,
      principal.keyName,
      new Date().toISOString(),
    );
    return workingCopyResult(record);
  }
  return deploy(principal, params.workflow_id, precondition, (record) => ({
    change,
    content: applyChange(contentOf(record), change),
  }));
}

/**
 * `PUT /v1/workflows/{workflow_id}[?from_version=N]`: deploy the working copy, or roll
 * back by deploying snapshot N's content (the working copy becomes that content).
 */
export async function deployWorkflow(command: Command<ById, { from_version?: string }>): Promise<Result> {
  const { principal, params, precondition, query } = command;
  if (query.from_version === undefined) {
    return deploy(principal, params.workflow_id, precondition, (record) => ({
      change: { set: {}, remove: [] },
      content: contentOf(record),
    }));
  }
  return deploy(
    principal,
    params.workflow_id,
    precondition,
    (record, snapshot) => {
      const content = contentOf(snapshot!);
      return {
        change: {
          set: content.fields,
          remove: Object.keys(record.fields ?? {}).filter((field) => !(field in content.fields)),
          credential: content.llmCredentialsValue ? { sealed: content.llmCredentialsValue } : 'clear',
        },
        content,
      };
    },
    Number(query.from_version),
  );
}

/** `GET /v1/workflows?limit=&next=`: the organization's workflows (working copies). */
export async function listWorkflowPage(command: Command<{}, { limit?: string; next?: string }>): Promise<Result> {
  const { principal, query } = command;
  const page = await listWorkflows(principal.organizationId, {
    limit: query.limit ? Number(query.limit) : 20,
    startKey: decodeCursor(query.next, {
      param: 'next',
      fields: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
      expected: workflowsByOrganization(principal.organizationId),
    }),
  });
  return { status: 200, body: { items: page.items.map(workingCopyResponse), next: encodeCursor(page.lastKey) } };
}

/** `GET /v1/workflows/{workflow_id}/versions`: deployed versions, newest first. */
export async function listVersionPage(command: Command<ById, { limit?: string; next?: string }>): Promise<Result> {
  const { principal, params, query } = command;
  const page = await listWorkflowVersions(principal.organizationId, params.workflow_id, {
    limit: query.limit ? Number(query.limit) : 20,
    startKey: decodeCursor(query.next, {
      param: 'next',
      fields: ['pk', 'sk'],
      expected: { pk: workflowKey(principal.organizationId, params.workflow_id).pk },
    }),
  });
  const latest = page.record?.version;
  return {
    status: 200,
    body: {
      items: page.snapshots.map((snapshot) => ({
        version: snapshot.version,
        deployed_at: snapshot.deployedAt,
        deployed_by: snapshot.deployedBy,
        is_latest: snapshot.version === latest,
      })),
      next: encodeCursor(page.lastKey),
    },
  };
}

/** `DELETE /v1/workflows/{workflow_id}`: 202; the workflow and its snapshots are gone. */
export async function removeWorkflow(command: Command<ById>): Promise<Result> {
  const { principal, params, precondition } = command;
  await deleteWorkflow(principal.organizationId, params.workflow_id, precondition, principal.keyName, new Date().toISOString());
  return { status: 202, body: { id: params.workflow_id, detail: 'Workflow deleted' } };
}
