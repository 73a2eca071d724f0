/**
 * `POST /v1/executors/{id}/test`: calls the executor for real (through the SSRF guard),
 * records `lastTestedAt`, and moves configured → tested when every stage passed.
 */
import type { Result } from '../pipeline/command.js';
import type { CommandFor } from '../pipeline/route.js';
import { WrongStatusError } from '../errors.js';
import { runConnectivityTest } from '../net/connectivity.js';
import * as executorStore from '../store/executors.js';
import type { executorIdParams } from '../../schemas/executor.js';
import { openConfig } from './secrets.js';

export async function testExecutor(command: CommandFor<{ params: typeof executorIdParams }>): Promise<Result> {
  const { organizationId } = command.principal;
  const record = await executorStore.getExecutor(organizationId, command.params.id);
  if (record.status === 'unconfigured' || !record.baseUrl || !record.endpoints?.length || !record.authType) {
    throw new WrongStatusError('test', record.status, 'configured');
  }
  const result = await runConnectivityTest({
    baseUrl: record.baseUrl,
    endpoints: record.endpoints,
    authType: record.authType,
    authConfig: await openConfig(record),
  });
  const testedAt = new Date().toISOString();
  const updated = await executorStore.recordTest(
    organizationId,
    record,
    { passed: result.overall === 'passed', testedAt },
    command.actor,
  );
  return {
    status: 200,
    body: { executorId: record.id, overall: result.overall, stages: result.stages, testedAt, status: updated.status },
    version: updated.version,
  };
}
