import { idempotent } from '../pipeline/idempotency.js';
import { lambdaHandler } from '../http/chain.js';
import { addWorkflowNode as route } from '../routes.js';
import { addWorkflowNode } from './add-node.use-case.js';

export const handler = lambdaHandler(route, idempotent(route, addWorkflowNode));
