import { lambdaHandler } from '../http/chain.js';
import { getAuditEvent as route } from '../routes.js';
import { getAuditEvent } from './get.use-case.js';

export const handler = lambdaHandler(route, getAuditEvent);
