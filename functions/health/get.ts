import { httpHandler } from '../http/chain.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.health, async () => ({ status: 200, body: { status: 'ok' } }));
