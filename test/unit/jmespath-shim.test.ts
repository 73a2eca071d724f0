/**
 * The bundled stand-in for Powertools' JMESPath (infra/powertools/jmespath) answers the
 * expressions flowplane's idempotency uses exactly as the real interpreter does, and
 * refuses anything richer instead of misreading it.
 */
import { search as realSearch } from '@aws-lambda-powertools/jmespath';
import { search } from '../../infra/powertools/jmespath/index.js';

const payload = {
  scope: { organizationId: 'org-1', key: 'k' },
  request: { params: { id: 'x' }, query: {}, body: { a: [1, 2] }, ifMatch: null },
};

test.each(['scope', 'request', 'request.params', 'request.body.a', 'missing', 'request.missing.deeper'])(
  '%s reads as the real JMESPath reads it',
  (expression) => {
    expect(search(expression, payload)).toEqual(realSearch(expression, payload));
  },
);

test.each(['request.body.a[0]', 'powertools_json(body)', 'a || b', '*'])('%s is refused', (expression) => {
  expect(() => search(expression, payload)).toThrow(/dotted field paths only/);
});
