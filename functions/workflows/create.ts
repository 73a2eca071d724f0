import { appliedOnce } from '../core/idempotency.js';
import { httpHandler } from '../http/chain.js';
import { createWorkflow as route } from '../routes.js';
import { createWorkflow } from './create.use-case.js';

export const handler = httpHandler(route, appliedOnce(route, createWorkflow));
