import { httpHandler } from '../http/chain.js';
import { verifyAuditEvent as route } from '../routes.js';
import { verifyAuditEvent } from './verify.use-case.js';

export const handler = httpHandler(route, verifyAuditEvent);
