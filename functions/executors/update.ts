import { idempotent } from '../pipeline/idempotency.js';
import { lambdaHandler } from '../http/chain.js';
import { updateExecutor as route } from '../routes.js';
import { updateExecutor } from './update.use-case.js';

export const handler = lambdaHandler(route, idempotent(route, updateExecutor));
