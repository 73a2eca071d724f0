/** fast-check generators shared by the property tests. */
import fc from 'fast-check';

/** Request bodies that are not a JSON object: broken JSON, or JSON of another type. */
export const notAJsonObject = fc.oneof(
  fc.string().filter((s) => {
    try {
      const value = JSON.parse(s);
      return value === null || typeof value !== 'object' || Array.isArray(value);
    } catch {
      return true;
    }
  }),
  fc
    .jsonValue()
    .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
    .map((v) => JSON.stringify(v)),
);
