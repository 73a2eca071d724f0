import { transitions } from '../domain/executor/lifecycle.js';
import { idempotent } from '../pipeline/idempotency.js';
import { lambdaHandler } from '../http/chain.js';
import { enableExecutor as route } from '../routes.js';
import { transitionUseCase } from './transition.use-case.js';

export const handler = lambdaHandler(route, idempotent(route, transitionUseCase(transitions.enable)));
