/** The local server's router picks routes as API Gateway does: a literal segment beats a placeholder. */
import { randomUUID } from 'node:crypto';
import { routeList } from '../../../../functions/routes.js';
import { createRouter } from '../../../../scripts/local/router.js';

const route = createRouter(routeList);

test('/v1/agents/list is the list, whatever order the table has; /v1/agents/<id> is one agent', () => {
  // Prepare
  const id = randomUUID();
  const reversed = createRouter([...routeList].reverse());
  // Act
  const matches = [
    route('GET', '/v1/agents/list'),
    reversed('GET', '/v1/agents/list'),
    route('GET', `/v1/agents/${id}`),
  ];
  // Assess
  expect(
    matches.map((match) => (match.kind === 'route' ? [match.route.operationId, match.pathParameters] : match.kind)),
  ).toEqual([
    ['listAgents', {}],
    ['listAgents', {}],
    ['getAgent', { agent_id: id }],
  ]);
});

test('another method on an agent path is 405 with Allow: GET', () => {
  // Act
  const match = route('PATCH', '/v1/agents/list');
  // Assess
  expect(match).toEqual({ kind: 'method-not-allowed', allow: ['GET'] });
});
