import { appliedOnce } from '../core/idempotency.js';
import { httpHandler } from '../http/chain.js';
import { deleteWorkflow as route } from '../routes.js';
import { deleteWorkflow } from './delete.use-case.js';

export const handler = httpHandler(route, appliedOnce(route, deleteWorkflow));
