import { appliedOnce } from '../core/idempotency.js';
import { httpHandler } from '../http/chain.js';
import { updateWorkflow as route } from '../routes.js';
import { updateWorkflow } from './update.use-case.js';

export const handler = httpHandler(route, appliedOnce(route, updateWorkflow));
