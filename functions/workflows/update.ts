import { idempotent } from '../pipeline/idempotency.js';
import { lambdaHandler } from '../http/chain.js';
import { updateWorkflow as route } from '../routes.js';
import { updateWorkflow } from './update.use-case.js';

export const handler = lambdaHandler(route, idempotent(route, updateWorkflow));
