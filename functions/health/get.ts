import { httpHandler } from '../http/chain.js';
import { health as route } from '../routes.js';

export const handler = httpHandler(route, async () => ({ status: 200, body: { status: 'ok' } }));
