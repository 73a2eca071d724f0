import { transitions } from '../domain/executor/lifecycle.js';
import { httpHandler } from '../http/chain.js';
import { disableExecutor as route } from '../routes.js';
import { transitionUseCase } from './transition.use-case.js';

export const handler = httpHandler(route, transitionUseCase(transitions.disable));
