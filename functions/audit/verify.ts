import { lambdaHandler } from '../http/chain.js';
import { verifyAuditEvent as route } from '../routes.js';
import { verifyAuditEvent } from './verify.use-case.js';

export const handler = lambdaHandler(route, verifyAuditEvent);
