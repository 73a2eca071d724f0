import { lambdaHandler } from '../http/chain.js';
import { getAgent as route } from '../routes.js';
import { getAgent } from './get.use-case.js';

export const handler = lambdaHandler(route, getAgent);
