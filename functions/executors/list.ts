import { lambdaHandler } from '../http/chain.js';
import { listExecutors as route } from '../routes.js';
import { listExecutors } from './list.use-case.js';

export const handler = lambdaHandler(route, listExecutors);
