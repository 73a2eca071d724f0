/**
 * `If-Match` as a write reads it (functions/domain/precondition.ts): the versions it names,
 * `*`, a tag that is well-formed but can never match, and a header that is no entity tag
 * at all, which is refused rather than read as "changed" (issue 25 §4).
 */
import { matchesPrecondition, parsePrecondition } from '../../../functions/domain/precondition.js';
import { MalformedHeaderError } from '../../../functions/errors.js';

test.each([
  ['"3"', { versions: [3] }],
  ['W/"3"', { versions: [3] }],
  [' "3" , W/"4", "3"', { versions: [3, 4] }],
  ['"3", , "4",', { versions: [3, 4] }],
  ['*', { any: true }],
])('%s names %j', (header, precondition) => {
  // Act / Assess
  expect(parsePrecondition(header)).toEqual(precondition);
});

test('no header guards nothing', () => {
  // Act / Assess
  expect(parsePrecondition(undefined)).toBeUndefined();
  expect(matchesPrecondition(undefined, 7)).toBe(true);
});

test.each(['"abc"', '"1234567890123456"', '""'])(
  'a well-formed tag that names no version of ours (%s) can never match',
  (header) => {
    // Act
    const precondition = parsePrecondition(header);
    // Assess
    expect(precondition).toEqual({ versions: [-1] });
    expect(matchesPrecondition(precondition, 1)).toBe(false);
  },
);

test.each(['1', '', ' ', 'W/1', '"1', "'1'", '"1", 2', 'W/ "1"', '"1" "2"'])(
  'a header that is no list of entity tags (%j) is refused as unreadable, naming the header',
  (header) => {
    // Act
    const parse = () => parsePrecondition(header);
    // Assess
    expect(parse).toThrow(MalformedHeaderError);
    expect(parse).toThrow(expect.objectContaining({ header: 'if-match' }));
  },
);
