/**
 * The pure builders of an executor PATCH (functions/store/executors.ts): the UpdateItem, the rename's
 * TransactWriteItems, and the reading of the old item a failed condition returns. What DynamoDB does with them is
 * in test/integration/executors/update.test.ts; here, what they say.
 */
import type { ExecutorRecord } from '../../../functions/domain/executor/model.js';
import {
  NotFoundError,
  RequestValidationError,
  RuleViolationError,
  StaleVersionError,
  WrongStatusError,
} from '../../../functions/errors.js';
import {
  type ExecutorReplacement,
  nameRelease,
  renameTransaction,
  replacementReading,
  replacementUpdate,
} from '../../../functions/store/executors.js';
import { executorKey, executorNameKey } from '../../../functions/store/keys.js';

const organizationId = 'org-1';
const executorId = 'b2c3d4e5-f6a7-4901-bcde-f23456789012';
const now = '2026-02-01T00:00:00.000Z';
const current = 'enc:v1:key2:';
const older = 'enc:v1:key1:';
const destination = 'basic https://api.example.com';

/** A configured executor holding a password sealed under `sealedUnder`. */
function storedExecutor(overrides: Partial<ExecutorRecord> = {}, sealedUnder = current): ExecutorRecord {
  return {
    id: executorId,
    organizationId,
    name: 'Serasa KYC',
    baseUrl: 'https://api.example.com',
    endpoints: [{ name: 'e', path: '/e', method: 'GET', timeout: 30 }],
    authType: 'basic',
    authConfig: { username: '"u"' },
    authSecrets: { password: `${sealedUnder}iv:payload` },
    secretsBoundTo: destination,
    metadata: {},
    status: 'configured',
    version: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    updatedBy: 'ci',
    ...overrides,
  };
}

/** The stored executor PATCHed back with a new description and the password masked. */
function replacementOf(overrides: Partial<ExecutorReplacement> = {}): ExecutorReplacement {
  return {
    name: 'Serasa KYC',
    baseUrl: 'https://api.example.com',
    endpoints: [{ name: 'e', path: '/e', method: 'GET', timeout: 30 }],
    authType: 'basic',
    secretsBoundTo: destination,
    authConfig: { username: '"u"' },
    authSecrets: { set: {}, keep: ['password'], sealedUnder: current, resealed: {} },
    description: 'new',
    metadata: {},
    updatedBy: 'ci',
    authorizedBy: { principal: 'apikey:fp_AbCdEfG', permission: 'executors:write' },
    ...overrides,
  };
}

const write = { now, readOnlyClaims: [] };

/** Every `#name` and `:value` placeholder an expression text refers to. */
const referenced = (...texts: (string | undefined)[]) => [
  ...new Set(texts.flatMap((text) => text?.match(/[#:][A-Za-z0-9_]+/g) ?? [])),
];

describe('replacementUpdate', () => {
  test.each([
    ['a masked secret', replacementOf(), undefined],
    ['If-Match, a read-only claim, metadata', replacementOf({ metadata: { tier: '"gold"' } }), { versions: [3, 4] }],
    [
      'a secret in clear, no description',
      replacementOf({
        description: undefined,
        authSecrets: { set: { password: `${current}x` }, keep: [], sealedUnder: '', resealed: {} },
      }),
      { any: true as const },
    ],
    [
      'a re-sealed secret',
      replacementOf({
        authSecrets: {
          set: {},
          keep: ['password'],
          sealedUnder: current,
          resealed: { password: { from: `${older}a`, to: `${current}b` } },
        },
      }),
      undefined,
    ],
  ])(
    '%s: every placeholder it defines is used, and every one it uses is defined',
    (_case, replacement, precondition) => {
      // Act
      const input = replacementUpdate(executorKey(organizationId, executorId), replacement, precondition, {
        now,
        readOnlyClaims: [{ field: 'status', value: 'configured' }],
      });
      // Assess
      const used = referenced(input.UpdateExpression, input.ConditionExpression).sort();
      const defined = [
        ...Object.keys(input.ExpressionAttributeNames ?? {}),
        ...Object.keys(input.ExpressionAttributeValues ?? {}),
      ].sort();
      expect(used).toEqual(defined);
    },
  );

  test('the condition: exists, editable status, If-Match version, same name, kept secret, read-only claims, a change to write', () => {
    // Act
    const input = replacementUpdate(
      executorKey(organizationId, executorId),
      replacementOf(),
      { versions: [3] },
      { now, readOnlyClaims: [{ field: 'createdAt', value: '2026-01-01T00:00:00.000Z' }] },
    );
    // Assess
    expect(input.ConditionExpression).toBe(
      'attribute_exists(pk) AND #status IN (:status0, :status1) AND #name = :name AND version IN (:v0)' +
        ' AND begins_with(authSecrets.#k0, :sealedUnder) AND secretsBoundTo = :boundTo AND #readOnly0 = :readOnly0' +
        ' AND NOT (baseUrl = :baseUrl AND endpoints = :endpoints AND authType = :authType' +
        ' AND secretsBoundTo = :boundTo AND authConfig = :authConfig AND #status = :configured' +
        ' AND attribute_not_exists(authSecrets.#r0) AND attribute_not_exists(authSecrets.#r1)' +
        ' AND attribute_not_exists(authSecrets.#r2) AND attribute_not_exists(authSecrets.#r3)' +
        ' AND description = :description)',
    );
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':status0': 'unconfigured',
      ':status1': 'configured',
      ':v0': 3,
      ':sealedUnder': current,
      ':readOnly0': '2026-01-01T00:00:00.000Z',
    });
    expect(input.ExpressionAttributeNames).toMatchObject({ '#k0': 'password', '#readOnly0': 'createdAt' });
    expect(input).toMatchObject({ ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
  });

  test('the update replaces the configuration, merges metadata and removes every secret not sent, and any sealed copy of a key that is no secret (written before 0.2.0)', () => {
    // Act
    const input = replacementUpdate(
      executorKey(organizationId, executorId),
      replacementOf({ metadata: { tier: '"gold"' } }),
      undefined,
      write,
    );
    // Assess
    expect(input.UpdateExpression).toBe(
      'SET #name = :name, baseUrl = :baseUrl, endpoints = :endpoints, authType = :authType,' +
        ' secretsBoundTo = :boundTo, authConfig = :authConfig, #status = :configured, updatedAt = :now,' +
        ' updatedBy = :actor, authorizedBy = :authorizedBy, version = version + :one, description = :description,' +
        ' #metadata.#m0 = :m0' +
        ' REMOVE authSecrets.#r0, authSecrets.#r1, authSecrets.#r2, authSecrets.#r3',
    );
    const removed = ['#r0', '#r1', '#r2', '#r3'].map((name) => input.ExpressionAttributeNames?.[name]);
    expect(removed.sort()).toEqual(['client_secret', 'key', 'token', 'token_endpoint_auth_method']);
  });

  test('a secret sent in clear or a re-sealed one always writes: no "nothing to change" clause', () => {
    // Prepare
    const inClear = replacementOf({
      authSecrets: { set: { password: `${current}new` }, keep: [], sealedUnder: '', resealed: {} },
    });
    const resealed = replacementOf({
      authSecrets: {
        set: {},
        keep: ['password'],
        sealedUnder: current,
        resealed: { password: { from: `${older}a`, to: `${current}b` } },
      },
    });
    const key = executorKey(organizationId, executorId);
    // Act
    const conditions = [inClear, resealed].map(
      (replacement) => replacementUpdate(key, replacement, undefined, write).ConditionExpression,
    );
    // Assess
    expect(conditions.map((condition) => condition?.includes('NOT ('))).toEqual([false, false]);
  });

  test('a re-sealed secret is written over the value it re-sealed, only while that is the one stored', () => {
    // Prepare
    const replacement = replacementOf({
      authSecrets: {
        set: {},
        keep: ['password'],
        sealedUnder: current,
        resealed: { password: { from: `${older}a`, to: `${current}b` } },
      },
    });
    // Act
    const input = replacementUpdate(executorKey(organizationId, executorId), replacement, undefined, write);
    // Assess
    expect(input.UpdateExpression).toContain('authSecrets.#s0 = :s0');
    expect(input.ConditionExpression).toContain(' AND authSecrets.#w0 = :was0 AND secretsBoundTo = :boundTo');
    expect(input.ConditionExpression).not.toContain('begins_with');
    expect(input.ExpressionAttributeValues).toMatchObject({ ':s0': `${current}b`, ':was0': `${older}a` });
    expect(input.ExpressionAttributeNames).toMatchObject({ '#s0': 'password', '#w0': 'password' });
  });
});

describe('renameTransaction', () => {
  test('the update guarded by the version seen, the new claim put, the old one released', () => {
    // Prepare
    const prior = storedExecutor({ name: 'Serasa KYC' });
    // Act
    const { TransactItems } = renameTransaction(
      organizationId,
      executorId,
      replacementOf({ name: 'Serasa KYC v2' }),
      prior,
      now,
    );
    // Assess
    const [update, put, release] = TransactItems ?? [];
    expect(TransactItems).toHaveLength(3);
    expect(update.Update).toMatchObject({
      Key: executorKey(organizationId, executorId),
      ConditionExpression:
        'version = :seen AND begins_with(authSecrets.#k0, :sealedUnder) AND secretsBoundTo = :boundTo',
    });
    expect(update.Update?.ExpressionAttributeValues).toMatchObject({ ':seen': 3, ':name': 'Serasa KYC v2' });
    const used = referenced(update.Update?.UpdateExpression, update.Update?.ConditionExpression).sort();
    const defined = [
      ...Object.keys(update.Update?.ExpressionAttributeNames ?? {}),
      ...Object.keys(update.Update?.ExpressionAttributeValues ?? {}),
    ].sort();
    expect(used).toEqual(defined);
    expect(put.Put).toMatchObject({
      Item: { ...executorNameKey(organizationId, 'Serasa KYC v2'), executorId, name: 'Serasa KYC v2' },
      ConditionExpression: 'attribute_not_exists(pk) OR executorId = :id',
      ExpressionAttributeValues: { ':id': executorId },
    });
    expect(release.Delete).toMatchObject({
      Key: executorNameKey(organizationId, 'Serasa KYC'),
      ConditionExpression: 'attribute_not_exists(pk) OR executorId = :id',
    });
  });

  test('a new spelling of the same name keeps its one claim: put again, nothing released', () => {
    // Prepare
    const prior = storedExecutor({ name: 'Serasa KYC' });
    // Act
    const { TransactItems } = renameTransaction(
      organizationId,
      executorId,
      replacementOf({ name: 'serasa  kyc' }),
      prior,
      now,
    );
    // Assess
    expect(TransactItems?.map((item) => Object.keys(item)[0])).toEqual(['Update', 'Put']);
    expect(TransactItems?.[1].Put?.Item).toMatchObject({ name: 'serasa  kyc' });
  });
});

describe('replacementReading', () => {
  test('no old item: not found', () => {
    // Act
    const reading = replacementReading(undefined, replacementOf(), undefined, []);
    // Assess
    expect(reading).toEqual({ refusal: expect.any(NotFoundError) });
  });

  test('a read-only field the stored item contradicts: 400, before anything else the item says', () => {
    // Prepare
    const old = storedExecutor({ status: 'active' });
    // Act
    const reading = replacementReading(old, replacementOf(), undefined, [{ field: 'status', value: 'configured' }]);
    // Assess
    expect(reading).toEqual({ refusal: expect.any(RequestValidationError) });
  });

  test('it already holds the change, in any status: unchanged, nothing to write', () => {
    // Prepare
    const old = storedExecutor({ status: 'active', description: 'new' }, older);
    // Act
    const reading = replacementReading(old, replacementOf(), { versions: [3] }, []);
    // Assess
    expect(reading).toEqual({ unchanged: old });
  });

  const contradicting = [{ field: 'status' as const, value: 'unconfigured' }];
  test.each([
    ['a status that cannot be edited', storedExecutor({ status: 'tested' }), { versions: [3] }, [], WrongStatusError],
    [
      'a status that cannot be edited, If-Match stale (the read-only claims of a stale body are not read)',
      storedExecutor({ status: 'active' }),
      { versions: [9] },
      contradicting,
      WrongStatusError,
    ],
    ['an If-Match naming another version', storedExecutor(), { versions: [2] }, contradicting, StaleVersionError],
  ])('%s: refused', (_case, old, precondition, readOnlyClaims, refusal) => {
    // Act
    const reading = replacementReading(old, replacementOf(), precondition, readOnlyClaims);
    // Assess
    expect(reading).toEqual({ refusal: expect.any(refusal) });
  });

  test.each([
    ['a masked secret with none stored', storedExecutor({ authSecrets: {} }), 'secret_not_stored'],
    [
      'a masked secret for a new destination',
      storedExecutor({ secretsBoundTo: 'basic https://other.example' }),
      'secret_same_destination',
    ],
  ])('%s: 422 naming the secret', (_case, old, rule) => {
    // Act
    const reading = replacementReading(old, replacementOf(), undefined, []);
    // Assess
    expect(reading).toEqual({ refusal: expect.any(RuleViolationError) });
    const { violations } = (reading as { refusal: RuleViolationError }).refusal;
    expect(violations).toEqual([
      expect.objectContaining({ rule, loc: ['body', 'authentication', 'config', 'password'] }),
    ]);
  });

  test('a kept secret sealed under an older key: reported for the caller to re-seal, nothing decided here', () => {
    // Prepare
    const old = storedExecutor({}, older);
    // Act
    const reading = replacementReading(old, replacementOf({ name: 'Serasa KYC v2' }), undefined, []);
    // Assess
    expect(reading).toEqual({ staleSecrets: { password: `${older}iv:payload` } });
  });

  test('re-sealed from what is stored: the condition failed only on the name, a rename', () => {
    // Prepare
    const old = storedExecutor({}, older);
    const replacement = replacementOf({
      name: 'Serasa KYC v2',
      authSecrets: {
        set: {},
        keep: ['password'],
        sealedUnder: current,
        resealed: { password: { from: `${older}iv:payload`, to: `${current}b` } },
      },
    });
    // Act
    const reading = replacementReading(old, replacement, undefined, []);
    // Assess
    expect(reading).toEqual({ rename: old });
  });

  test('re-sealed from a value no longer stored: under the current key, written again without it', () => {
    // Prepare
    const old = storedExecutor({}, current);
    const replacement = replacementOf({
      authSecrets: {
        set: {},
        keep: ['password'],
        sealedUnder: current,
        resealed: { password: { from: `${older}iv:payload`, to: `${current}b` } },
      },
    });
    // Act
    const reading = replacementReading(old, replacement, undefined, []);
    // Assess
    expect(reading).toEqual({ resealed: {} });
  });

  test('re-sealed from a value no longer stored: under another older key, reported again', () => {
    // Prepare
    const old = storedExecutor({}, 'enc:v1:key0:');
    const replacement = replacementOf({
      authSecrets: {
        set: {},
        keep: ['password'],
        sealedUnder: current,
        resealed: { password: { from: `${older}iv:payload`, to: `${current}b` } },
      },
    });
    // Act
    const reading = replacementReading(old, replacement, undefined, []);
    // Assess
    expect(reading).toEqual({ staleSecrets: { password: 'enc:v1:key0:iv:payload' } });
  });

  test('nothing else refuses: a rename', () => {
    // Prepare
    const old = storedExecutor();
    // Act
    const reading = replacementReading(old, replacementOf({ name: 'Serasa KYC v2' }), { any: true }, []);
    // Assess
    expect(reading).toEqual({ rename: old });
  });
});

describe('an executor stored before 0.2.0 (no destination binding)', () => {
  test('read as bound to where its configuration sends: the same destination writes again, guarded by its version', () => {
    // Prepare
    const old = storedExecutor({ secretsBoundTo: undefined, version: 7 });
    // Act
    const reading = replacementReading(old, replacementOf(), undefined, []);
    const again = replacementUpdate(
      executorKey(organizationId, executorId),
      replacementOf({
        authSecrets: { set: {}, keep: ['password'], sealedUnder: current, resealed: {}, unboundAt: 7 },
      }),
      undefined,
      write,
    );
    // Assess
    expect(reading).toEqual({ unbound: 7 });
    expect(again.ConditionExpression).toContain('AND attribute_not_exists(secretsBoundTo) AND version = :unboundAt');
    expect(again.ConditionExpression).not.toContain('secretsBoundTo = :boundTo AND #fact');
    expect(again.ExpressionAttributeValues).toMatchObject({ ':unboundAt': 7 });
  });

  test('another destination is refused as for any executor; its own GET body back is unchanged', () => {
    // Prepare
    const old = storedExecutor({ secretsBoundTo: undefined });
    // Act
    const moved = replacementReading(
      old,
      replacementOf({ baseUrl: 'https://evil.example.net', secretsBoundTo: 'basic https://evil.example.net' }),
      undefined,
      [],
    );
    const same = replacementReading(old, replacementOf({ description: undefined }), undefined, []);
    // Assess
    expect('refusal' in moved && moved.refusal).toMatchObject({ violations: [{ rule: 'secret_same_destination' }] });
    expect(same).toEqual({ unchanged: old });
  });
});

describe('nameRelease: a name claim the migration found shared (two executors named alike before 0.2.0)', () => {
  const key = executorNameKey(organizationId, 'acme pay');

  test('held alone: deleted, while this executor holds it', () => {
    // Act
    const [release] = nameRelease(key, { executorId, name: 'acme pay' }, executorId);
    // Assess
    expect(release.Delete).toMatchObject({ Key: key, ConditionExpression: 'executorId = :id' });
  });

  test('held and shared: passed to the next executor sharing it, never freed', () => {
    // Act
    const [release] = nameRelease(key, { executorId, name: 'acme pay', sharedWith: { other: 'Acme Pay' } }, executorId);
    // Assess
    expect(release.Update).toMatchObject({
      Key: key,
      UpdateExpression: 'SET executorId = :next, #name = :nextName REMOVE sharedWith.#next',
      ConditionExpression: 'executorId = :id',
      ExpressionAttributeNames: { '#next': 'other' },
      ExpressionAttributeValues: { ':next': 'other', ':nextName': 'Acme Pay', ':id': executorId },
    });
  });

  test('shared by this executor: its share removed; a claim naming it no more: nothing', () => {
    // Act
    const [share] = nameRelease(
      key,
      { executorId: 'other', name: 'acme pay', sharedWith: { [executorId]: 'Acme Pay' } },
      executorId,
    );
    const none = nameRelease(key, { executorId: 'other', name: 'acme pay' }, executorId);
    // Assess
    expect(share.Update).toMatchObject({
      UpdateExpression: 'REMOVE sharedWith.#id',
      ExpressionAttributeNames: { '#id': executorId },
    });
    expect(none).toEqual([]);
  });

  test('a rename of a shared name releases what it is given, and drops the mark; a new spelling updates the claim', () => {
    // Prepare
    const prior = storedExecutor({ name: 'acme pay', nameShared: true });
    const release = nameRelease(key, { executorId, name: 'acme pay', sharedWith: { other: 'Acme Pay' } }, executorId);
    // Act
    const renamed = renameTransaction(
      organizationId,
      executorId,
      replacementOf({ name: 'Billing' }),
      prior,
      now,
      release,
    );
    const respelled = renameTransaction(organizationId, executorId, replacementOf({ name: 'Acme  PAY' }), prior, now);
    // Assess
    expect(renamed.TransactItems?.[2]).toEqual(release[0]);
    expect(renamed.TransactItems?.[0].Update?.UpdateExpression).toMatch(/REMOVE .*nameShared$/);
    expect(respelled.TransactItems?.map((item) => Object.keys(item)[0])).toEqual(['Update', 'Update']);
    expect(respelled.TransactItems?.[1].Update).toMatchObject({
      Key: key,
      UpdateExpression: 'SET #name = :name',
      ConditionExpression: 'executorId = :id',
    });
  });
});
