import { httpHandler } from '../http/chain.js';
import { routes } from '../routes.js';
import { transitions, transitionUseCase } from './lifecycle.js';

export const handler = httpHandler(routes.disableExecutor, transitionUseCase(transitions.disable));
