import { idempotent } from '../pipeline/idempotency.js';
import { lambdaHandler } from '../http/chain.js';
import { deleteWorkflow as route } from '../routes.js';
import { deleteWorkflow } from './delete.use-case.js';

export const handler = lambdaHandler(route, idempotent(route, deleteWorkflow));
