/**
 * Stand-in for `@aws-lambda-powertools/jmespath` in function bundles. Powertools
 * Idempotency selects the key and the validated part of its payload with JMESPath, and
 * flowplane only ever names a top-level field (`scope`, `request`:
 * functions/pipeline/idempotency.ts); the full interpreter is 22.7 KiB of every idempotent
 * bundle (measured with esbuild's metafile). esbuild aliases the package to this module;
 * anything beyond a dotted field path throws, so a richer expression can never be
 * misread silently. test/unit/jmespath-shim.test.ts checks it against the real one.
 */

const fieldPath = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The value at a dotted field path (`a.b`), or null where a field is missing, as JMESPath answers. */
export function search(expression: string, data: unknown): unknown {
  if (!fieldPath.test(expression))
    throw new Error(`the bundled JMESPath stand-in reads dotted field paths only, not ${JSON.stringify(expression)}`);
  let value: unknown = data;
  for (const name of expression.split('.')) {
    value =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? ((value as Record<string, unknown>)[name] ?? null)
        : null;
  }
  return value;
}
