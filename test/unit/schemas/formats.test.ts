/**
 * The private formats and the rules the OpenAPI document publishes for them
 * (schemas/formats.ts): what a tool reads from the pattern or enum is what the validators
 * accept, and the query booleans mean what FastAPI says they mean.
 */
import fc from 'fast-check';
import { displayName } from '../../../functions/domain/names.js';
import {
  displayNamePattern,
  httpUrlPattern,
  isDisplayName,
  isHttpUrl,
  isQueryBoolean,
  isQueryPositiveInt,
  parseQueryBoolean,
  queryPositiveIntPattern,
} from '../../../schemas/formats.js';

test.each([
  ['1', true],
  ['true', true],
  ['t', true],
  ['yes', true],
  ['y', true],
  ['on', true],
  ['0', false],
  ['false', false],
  ['f', false],
  ['no', false],
  ['n', false],
  ['off', false],
])('deploy=%s means %s, in any case', (text, meaning) => {
  // Act / Assess
  for (const spelling of [text, text.toUpperCase(), text[0].toUpperCase() + text.slice(1)]) {
    expect([spelling, isQueryBoolean(spelling), parseQueryBoolean(spelling)]).toEqual([spelling, true, meaning]);
  }
});

test('an absent or unknown query boolean is false, and only the unknown one is refused', () => {
  // Act / Assess
  expect(parseQueryBoolean(undefined)).toBe(false);
  for (const text of ['', 'maybe', 'tru', '2', ' true', 'yes '])
    expect([text, isQueryBoolean(text)]).toEqual([text, false]);
});

test('the published version pattern is the positive-integer format', () => {
  // Prepare
  const pattern = new RegExp(queryPositiveIntPattern);
  // Act / Assess
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ maxLength: 12 }), fc.nat().map(String), fc.integer().map(String)),
      (text) => pattern.test(text) === isQueryPositiveInt(text),
    ),
  );
  expect(['1', '42', '999999999'].every(isQueryPositiveInt)).toBe(true);
  expect(['0', '01', '-1', '1000000000', '+1', ' 1', ''].some(isQueryPositiveInt)).toBe(false);
});

test('every URL the http-url format accepts matches the published pattern, and texts without a scheme and host match neither', () => {
  // Prepare
  const pattern = new RegExp(httpUrlPattern);
  // Act / Assess
  fc.assert(
    fc.property(
      fc.oneof(
        fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true }),
        fc.string(),
      ),
      (text) => !isHttpUrl(text) || pattern.test(text),
    ),
  );
  for (const bad of [
    '0',
    '',
    'ftp://example.com',
    'http://',
    'https:///path',
    'example.com',
    'http://exa mple.com',
    'mailto:a@b.c',
  ]) {
    expect([bad, pattern.test(bad), isHttpUrl(bad)]).toEqual([bad, false, false]);
  }
  for (const good of [
    'https://api.example.com/v1',
    'HTTP://localhost:8080',
    'http://[::1]/x?y#z',
    'https://u:p@host',
  ]) {
    expect([good, pattern.test(good), isHttpUrl(good)]).toEqual([good, true, true]);
  }
});

/** The rule names were held to before the schema stated it: nothing visible, or a control character, once trimmed. */
function refusedByNameRule(name: string): boolean {
  const shown = displayName(name);
  return /\p{Cc}/u.test(shown) || shown.replace(/[\p{Z}\s\p{Cf}]/gu, '') === '';
}

test('the published display-name pattern, read as JSON Schema reads it (u), is the name rule (issue 25)', () => {
  // Prepare
  const pattern = new RegExp(displayNamePattern, 'u');
  const characters = fc.constantFrom(
    'a',
    'é',
    'e\u0301',
    ' ',
    '\t',
    '\n',
    '\u0007',
    '\u007f',
    '\u00a0',
    '\u00ad',
    '\u200b',
    '\u2028',
    '\u3000',
    '\ufeff',
    'ｃ',
    '🚀',
  );
  // Act / Assess
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.array(characters, { maxLength: 8 }).map((parts) => parts.join('')),
      ),
      (name) => pattern.test(name) === isDisplayName(name) && isDisplayName(name) === !refusedByNameRule(name),
    ),
    { numRuns: 2000 },
  );
  expect(['Serasa KYC', '  Café\t', '🚀', 'a\u00a0b'].every(isDisplayName)).toBe(true);
  expect(['', ' ', '\u200b\u200c', '\u00ad\u00a0', 'acme\u0007pay', 'acme\npay'].some(isDisplayName)).toBe(false);
});
