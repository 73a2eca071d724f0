/**
 * The DynamoDB expression builders: the clauses they spell, the placeholders they fill,
 * and that a caller's map key (`a.b`, `#x`, `:v`, anything) only ever lands in the
 * placeholder tables, never in the expression text.
 */
import fc from 'fast-check';
import {
  mapEntryPaths,
  placeholders,
  setMapEntries,
  statusIn,
  updateExpression,
  versionIn,
} from '../../../functions/store/expressions.js';

/** Keys that are expression syntax if spelled into an expression. */
const syntaxKeys = ['a.b', '#x', ':v', 'a[0]', 'x = :y', 'SET', ' REMOVE b', ''];

describe('placeholders', () => {
  test('starts empty, or from copies of the seeds (filling it never touches them)', () => {
    // Prepare
    const values = { ':pk': 'p' };
    const names = { '#n': 'name' };
    // Act
    const empty = placeholders();
    const seeded = placeholders(values, names);
    seeded.values[':x'] = 1;
    seeded.names['#y'] = 'y';
    // Assess
    expect(empty).toEqual({ names: {}, values: {} });
    expect(seeded).toEqual({ names: { '#n': 'name', '#y': 'y' }, values: { ':pk': 'p', ':x': 1 } });
    expect(values).toEqual({ ':pk': 'p' });
    expect(names).toEqual({ '#n': 'name' });
  });
});

describe('updateExpression', () => {
  test.each([
    [['a = :a'], undefined, 'SET a = :a'],
    [['a = :a', 'b = :b'], [], 'SET a = :a, b = :b'],
    [['a = :a'], ['c'], 'SET a = :a REMOVE c'],
    [['a = :a', 'b = :b'], ['c', 'd.#e'], 'SET a = :a, b = :b REMOVE c, d.#e'],
  ])('SET %j REMOVE %j → %s', (sets, removes, expected) => {
    // Act
    const expression = updateExpression(sets, removes);
    // Assess
    expect(expression).toBe(expected);
  });
});

describe('versionIn', () => {
  test('no versions named (no If-Match): no condition and no placeholder', () => {
    // Prepare
    const into = placeholders({ ':pk': 'p' });
    // Act
    const condition = versionIn('version', undefined, into);
    // Assess
    expect(condition).toBe('');
    expect(into).toEqual({ names: {}, values: { ':pk': 'p' } });
  });

  test('each version named becomes a value placeholder in an IN list', () => {
    // Prepare
    const into = placeholders({ ':pk': 'p' });
    // Act
    const condition = versionIn('version', [3, 7], into);
    // Assess
    expect(condition).toBe(' AND version IN (:v0, :v1)');
    expect(into.values).toEqual({ ':pk': 'p', ':v0': 3, ':v1': 7 });
    expect(into.names).toEqual({});
  });

  test('another prefix keeps its placeholders apart from the default ones', () => {
    // Prepare
    const into = placeholders();
    // Act
    const condition = `${versionIn('version', [1], into)}${versionIn('revision', [2], into, ':r')}`;
    // Assess
    expect(condition).toBe(' AND version IN (:v0) AND revision IN (:r0)');
    expect(into.values).toEqual({ ':v0': 1, ':r0': 2 });
  });
});

describe('statusIn', () => {
  test('the statuses become value placeholders and `status` a name placeholder (a reserved word)', () => {
    // Prepare
    const into = placeholders();
    // Act
    const condition = statusIn(['unconfigured', 'configured'], into);
    // Assess
    expect(condition).toBe('#status IN (:status0, :status1)');
    expect(into).toEqual({
      names: { '#status': 'status' },
      values: { ':status0': 'unconfigured', ':status1': 'configured' },
    });
  });
});

describe('setMapEntries', () => {
  test('each entry is one SET clause under generated names; keys and values sit only in the placeholders', () => {
    // Prepare
    const into = placeholders();
    const entries = Object.fromEntries(syntaxKeys.map((key, index) => [key, `value ${index}`]));
    // Act
    const clauses = setMapEntries('metadata', entries, 'm', into);
    // Assess
    expect(clauses).toEqual(syntaxKeys.map((_, index) => `metadata.#m${index} = :m${index}`));
    expect(into.names).toEqual(Object.fromEntries(syntaxKeys.map((key, index) => [`#m${index}`, key])));
    expect(into.values).toEqual(Object.fromEntries(syntaxKeys.map((_, index) => [`:m${index}`, `value ${index}`])));
  });

  test('no entries, no clause', () => {
    // Prepare
    const into = placeholders();
    // Act
    const clauses = setMapEntries('metadata', {}, 'm', into);
    // Assess
    expect(clauses).toEqual([]);
    expect(into).toEqual({ names: {}, values: {} });
  });

  test('for any map keys, every clause is `<map>.#<prefix><n> = :<prefix><n>` and the names give the keys back', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 8 }), (entries) => {
        // Prepare
        const into = placeholders();
        // Act
        const clauses = setMapEntries('metadata', entries, 'meta', into);
        // Assess
        expect(clauses.every((clause) => /^metadata\.#meta\d+ = :meta\d+$/.test(clause))).toBe(true);
        expect(clauses.map((clause) => into.names[clause.split(' = ')[0].slice('metadata.'.length)])).toEqual(
          Object.keys(entries),
        );
        expect(clauses.map((clause) => into.values[clause.split(' = ')[1]])).toEqual(Object.values(entries));
      }),
    );
  });
});

describe('mapEntryPaths', () => {
  test('each key is one path under a generated name; the key sits only in the name placeholders', () => {
    // Prepare
    const into = placeholders({ ':keep': 1 });
    // Act
    const paths = mapEntryPaths('authSecrets', syntaxKeys, 'gone', into);
    // Assess
    expect(paths).toEqual(syntaxKeys.map((_, index) => `authSecrets.#gone${index}`));
    expect(into.names).toEqual(Object.fromEntries(syntaxKeys.map((key, index) => [`#gone${index}`, key])));
    expect(into.values).toEqual({ ':keep': 1 });
  });

  test('set and removed entries of one map, under two prefixes, share no placeholder', () => {
    // Prepare
    const into = placeholders();
    // Act
    const expression = updateExpression(
      setMapEntries('metadata', { 'a.b': 1 }, 'set', into),
      mapEntryPaths('metadata', ['a.b'], 'del', into),
    );
    // Assess
    expect(expression).toBe('SET metadata.#set0 = :set0 REMOVE metadata.#del0');
    expect(into).toEqual({ names: { '#set0': 'a.b', '#del0': 'a.b' }, values: { ':set0': 1 } });
  });
});
