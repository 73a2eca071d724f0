import { idempotent } from '../pipeline/idempotency.js';
import { lambdaHandler } from '../http/chain.js';
import { testExecutor as route } from '../routes.js';
import { testExecutor } from './test.use-case.js';

export const handler = lambdaHandler(route, idempotent(route, testExecutor));
