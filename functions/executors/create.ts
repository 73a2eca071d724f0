import { idempotent } from '../pipeline/idempotency.js';
import { lambdaHandler } from '../http/chain.js';
import { createExecutor as route } from '../routes.js';
import { createExecutor } from './create.use-case.js';

export const handler = lambdaHandler(route, idempotent(route, createExecutor));
