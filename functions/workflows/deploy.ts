import { appliedOnce } from '../core/idempotency.js';
import { httpHandler } from '../http/chain.js';
import { deployWorkflow as route } from '../routes.js';
import { deployWorkflow } from './deploy.use-case.js';

export const handler = httpHandler(route, appliedOnce(route, deployWorkflow));
