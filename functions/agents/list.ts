import { lambdaHandler } from '../http/chain.js';
import { listAgents as route } from '../routes.js';
import { listAgents } from './list.use-case.js';

export const handler = lambdaHandler(route, listAgents);
