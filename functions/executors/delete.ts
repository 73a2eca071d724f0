import { idempotent } from '../pipeline/idempotency.js';
import { lambdaHandler } from '../http/chain.js';
import { deleteExecutor as route } from '../routes.js';
import { deleteExecutor } from './delete.use-case.js';

export const handler = lambdaHandler(route, idempotent(route, deleteExecutor));
