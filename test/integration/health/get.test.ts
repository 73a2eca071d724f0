/** GET /health through the real handler. */
import { handler as healthHandler } from '../../../functions/health/get.js';
import { invoke, restEvent } from '../../support/api.js';

test('health is public', async () => {
  // Act
  const reply = await invoke(healthHandler, restEvent({ method: 'GET', path: '/health' }));
  // Assess
  expect(reply).toMatchObject({ status: 200, body: { status: 'ok' } });
});
