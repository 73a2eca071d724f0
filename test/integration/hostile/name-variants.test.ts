/**
 * Issue 15, finding 9: executor names are unique as people read them. Case, surrounding
 * blanks (space, tab), NBSP, zero-width characters and NFD/NFC spellings do not make a
 * new name; a name of control or invisible characters only is refused with a clear 400;
 * the name is stored as typed (NFC, trimmed, case kept).
 */
import { randomUUID } from 'node:crypto';
import { handler as createHandler } from '../../../functions/executors/create.js';
import { handler as updateHandler } from '../../../functions/executors/update.js';
import { executorNameKey } from '../../../functions/store/keys.js';
import { invoke, newOrganization, rawItem, restEvent } from '../../support/api.js';

let org: Awaited<ReturnType<typeof newOrganization>>;
beforeAll(async () => {
  org = await newOrganization();
});

const create = (name: string) =>
  invoke(
    createHandler,
    restEvent({ method: 'POST', path: '/v1/executors', headers: { 'x-api-key': org.apiKey }, body: { name } }),
  );

test.each([
  ['upper case', (n: string) => n.toUpperCase()],
  ['a trailing space', (n: string) => `${n} `],
  ['a trailing tab', (n: string) => `${n}\t`],
  ['an NBSP for the space', (n: string) => n.replace(' ', '\u00a0')],
  ['a zero-width space inside', (n: string) => n.replace(' ', ' \u200b')],
  ['full-width letters', (n: string) => n.replace('acme', 'ａｃｍｅ')],
])('%s is the same name: 409 FLK-0251', async (_what, variant) => {
  // Prepare
  const name = `acme pay ${randomUUID()}`;
  expect((await create(name)).status).toBe(201);
  // Act
  const reply = await create(variant(name));
  // Assess
  expect(reply.status).toBe(409);
  expect(reply.body.code).toBe('FLK-0251');
});

test('NFD Cafe\\u0301 next to NFC Café is the same name; the name is stored as typed, in NFC', async () => {
  // Prepare
  const suffix = randomUUID();
  // Act
  const first = await create(`  Café ${suffix}\t`);
  const second = await create(`Cafe\u0301 ${suffix}`);
  // Assess
  expect(first.status).toBe(201);
  expect(first.body.name).toBe(`Café ${suffix}`);
  expect(second.status).toBe(409);
});

test.each([
  ['only zero-width characters', '\u200b\u200c\u200d'],
  ['only a soft hyphen and NBSP', '\u00ad\u00a0'],
  ['a control character inside', 'acme\u0007pay'],
  ['a line feed inside', 'acme\npay'],
])('%s is 400 FLK-0260 with a clear message; nothing stored', async (_what, name) => {
  // Act
  const reply = await create(name);
  // Assess
  expect(reply.status).toBe(400);
  expect(reply.body.code).toBe('FLK-0260');
  expect(reply.body.fields['/name']).toMatch(/no visible character|control character/);
  expect(await rawItem(executorNameKey(org.organizationId, name))).toBeUndefined();
});

test('renaming to another spelling of its own name keeps one claim, stored as newly typed', async () => {
  // Prepare
  const name = `acme pay ${randomUUID()}`;
  const id = (await create(name)).body.id;
  const body = (newName: string) => ({
    name: newName,
    baseUrl: 'https://api.example.com',
    endpoints: [{ name: 'e', path: '/e', method: 'GET' }],
    authentication: { type: 'none' },
  });
  // Act
  const reply = await invoke(
    updateHandler,
    restEvent({
      method: 'PATCH',
      path: `/v1/executors/${id}`,
      pathParameters: { id },
      headers: { 'x-api-key': org.apiKey },
      body: body(name.toUpperCase()),
    }),
  );
  // Assess
  expect(reply.status).toBe(200);
  expect(reply.body.name).toBe(name.toUpperCase());
  expect(await rawItem(executorNameKey(org.organizationId, name))).toMatchObject({
    executorId: id,
    name: name.toUpperCase(),
  });
  expect((await create(name)).status).toBe(409);
});
