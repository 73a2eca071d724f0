import { idempotent } from '../pipeline/idempotency.js';
import { lambdaHandler } from '../http/chain.js';
import { removeWorkflowNode as route } from '../routes.js';
import { removeWorkflowNode } from './remove-node.use-case.js';

export const handler = lambdaHandler(route, idempotent(route, removeWorkflowNode));
