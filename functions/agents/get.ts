import { httpHandler } from '../http/chain.js';
import { getAgent as route } from '../routes.js';
import { readAgent } from './get.use-case.js';

export const handler = httpHandler(route, readAgent);
