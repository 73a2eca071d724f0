import { idempotent } from '../pipeline/idempotency.js';
import { lambdaHandler } from '../http/chain.js';
import { createWorkflow as route } from '../routes.js';
import { createWorkflow } from './create.use-case.js';

export const handler = lambdaHandler(route, idempotent(route, createWorkflow));
