/**
 * Every HTTP response is counted (Powertools Metrics, embedded metric format in the log)
 * by operation and status class, plus a cold-start count, and the line says nothing else.
 */
import { readFileSync } from 'node:fs';
import { invoke, restEvent } from '../support/api.js';
import { structuredLogFile } from '../support/log-capture.js';

function metricLines(): Record<string, any>[] {
  return readFileSync(structuredLogFile(), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"_aws":'))
    .map((line) => JSON.parse(line));
}

test('a refused request emits Responses4xx for its operation, and the first one a ColdStart', async () => {
  // Prepare: Lambda says how the environment started; Powertools counts a cold start only for on-demand.
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  const { handler: getWorkflowHandler } = await import('../../functions/workflows/get.js');
  // Act
  const reply = await invoke(
    getWorkflowHandler,
    restEvent({ method: 'GET', path: '/v1/workflows/x', pathParameters: { workflow_id: 'x' } }),
  );
  // Assess
  expect(reply.status).toBe(401);
  const lines = metricLines();
  const counted = lines.find((line) => line.operation === 'getWorkflow' && line.Responses4xx === 1);
  expect(counted?._aws.CloudWatchMetrics[0]).toMatchObject({
    Namespace: 'flowplane',
    Dimensions: [expect.arrayContaining(['operation', 'service'])],
  });
  expect(lines.some((line) => line.ColdStart === 1 && line.function_name !== undefined)).toBe(true);
  expect(JSON.stringify(lines)).not.toMatch(/x-api-key|fp_/i);
});
