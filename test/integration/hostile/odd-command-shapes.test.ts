/**
 * Issue 15, finding 13: whatever a caller without HTTP sends — a string, a number, null,
 * `Records: [null]`, a record without `messageId` — gets a typed error object, never a
 * throw (and never a batch failure without an identifier, which would fail the whole batch).
 */
import { handler as updateHandler } from '../../../functions/executors/update.js';
import { handler as deployHandler } from '../../../functions/workflows/deploy.js';
import { lambdaContext } from '../../support/api.js';

test.each([
  ['a string', 'hello'],
  ['a number', 42],
  ['null', null],
  ['an array', [1, 2]],
  ['Records: [null]', { Records: [null] }],
  ['a record without messageId', { Records: [{ eventSource: 'aws:sqs', body: '{}' }] }],
  ['records of another source', { Records: [{ eventSource: 'aws:s3', messageId: 'x' }] }],
  [
    'an EventBridge event whose detail is a string',
    { 'detail-type': 'flowplane.command.updateExecutorConfiguration', detail: 'x', source: 's', id: 'e' },
  ],
])('%s is answered with a typed error object', async (_what, event) => {
  // Act
  const executor = await updateHandler(event, lambdaContext());
  const workflow = await deployHandler(event, lambdaContext());
  // Assess
  expect(executor).toMatchObject({
    error: true,
    type: 'RequestValidationError',
    status: 400,
    code: expect.stringMatching(/^FLK-/),
  });
  expect(workflow).toMatchObject({ error: true, type: 'RequestValidationError', status: 422, code: null });
});
