import { lambdaHandler } from '../http/chain.js';
import { listAuditEvents as route } from '../routes.js';
import { listAuditEvents } from './list.use-case.js';

export const handler = lambdaHandler(route, listAuditEvents);
