import { idempotent } from '../pipeline/idempotency.js';
import { lambdaHandler } from '../http/chain.js';
import { deployWorkflow as route } from '../routes.js';
import { deployWorkflow } from './deploy.use-case.js';

export const handler = lambdaHandler(route, idempotent(route, deployWorkflow));
