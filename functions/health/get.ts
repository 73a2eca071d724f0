import { lambdaHandler } from '../http/chain.js';
import { health as route } from '../routes.js';

export const handler = lambdaHandler(route, async () => ({ status: 200, body: { status: 'ok' } }));
