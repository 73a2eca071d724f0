import { httpHandler } from '../http/chain.js';
import { enableExecutor as route } from '../routes.js';
import { transitions, transitionUseCase } from './lifecycle.js';

export const handler = httpHandler(route, transitionUseCase(transitions.enable));
