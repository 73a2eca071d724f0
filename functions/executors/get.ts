import { lambdaHandler } from '../http/chain.js';
import { getExecutor as route } from '../routes.js';
import { getExecutor } from './get.use-case.js';

export const handler = lambdaHandler(route, getExecutor);
