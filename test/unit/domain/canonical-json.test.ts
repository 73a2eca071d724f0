/** Canonical JSON and the hashes of the audit log: one text per value, whatever its key order. */
import { canonicalJson, hashOf, sha256Hex } from '../../../functions/domain/canonical-json.js';

test('canonical JSON sorts keys at every depth, keeps array order, drops undefined and is stable', () => {
  // Act
  const a = canonicalJson({ b: 1, a: [true, null, 'x', { z: 1, y: undefined, x: 0.5 }], c: { e: 'é', d: -0 } });
  const b = canonicalJson({ c: { d: 0, e: 'é' }, a: [true, null, 'x', { x: 0.5, z: 1 }], b: 1 });
  // Assess
  expect(a).toBe('{"a":[true,null,"x",{"x":0.5,"z":1}],"b":1,"c":{"d":0,"e":"é"}}');
  expect(b).toBe(a);
  expect(hashOf({ b: 1, a: 2 })).toBe(sha256Hex('{"a":2,"b":1}'));
  expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  expect(canonicalJson(new Set(['b', 'a']))).toBe('["a","b"]');
  expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite/);
});
