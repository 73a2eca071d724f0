import { lambdaHandler } from '../http/chain.js';
import { listWorkflowVersions as route } from '../routes.js';
import { listWorkflowVersions } from './versions.use-case.js';

export const handler = lambdaHandler(route, listWorkflowVersions);
