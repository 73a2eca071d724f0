/** functions/domain/names.ts: the slug a workflow's unique_name is made from, and the candidates a create tries. */
import fc from 'fast-check';
import {
  nameIdentity,
  numberedUniqueNames,
  uniqueNameBase,
  uniqueNameCandidate,
} from '../../../functions/domain/names.js';

test.each([
  ['Serasa KYC', 'serasa-kyc'],
  ['  Serasa   KYC  ', 'serasa-kyc'],
  ['Café Über', 'cafe-uber'],
  ['Cafe\u0301 U\u0308ber', 'cafe-uber'],
  ['serasa\u200b kyc', 'serasa-kyc'],
  ['SERASA\u00a0KYC', 'serasa-kyc'],
  ['ＳｅｒａｓａＫＹＣ 2', 'serasakyc-2'],
  ['KYC / AML: v2.1!', 'kyc-aml-v2-1'],
  ['日本語', 'workflow'],
  ['🚀', 'workflow'],
  ['---', 'workflow'],
])('%j → %s', (name, slug) => {
  // Act / Assess
  expect(uniqueNameBase(name)).toBe(slug);
});

test('names that are the same name (nameIdentity) always make the same slug; every slug is lowercase ASCII words joined by -', () => {
  // Act / Assess
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (name) => {
      const slug = uniqueNameBase(name);
      expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(slug.length).toBeLessThanOrEqual(64);
      expect(uniqueNameBase(nameIdentity(name))).toBe(slug);
      expect(uniqueNameBase(name.normalize('NFD').toUpperCase())).toBe(
        uniqueNameBase(name.normalize('NFC').toUpperCase()),
      );
    }),
  );
});

test('a create tries the base, then -2 … -10, then random suffixes', () => {
  // Act
  const numbered = Array.from({ length: numberedUniqueNames }, (_, i) => uniqueNameCandidate('kyc', i + 1));
  const random = [
    uniqueNameCandidate('kyc', numberedUniqueNames + 1),
    uniqueNameCandidate('kyc', numberedUniqueNames + 1),
  ];
  // Assess
  expect(numbered).toEqual(['kyc', 'kyc-2', 'kyc-3', 'kyc-4', 'kyc-5', 'kyc-6', 'kyc-7', 'kyc-8', 'kyc-9', 'kyc-10']);
  for (const candidate of random) expect(candidate).toMatch(/^kyc-[0-9a-f]{6}$/);
  expect(random[0]).not.toBe(random[1]);
});
