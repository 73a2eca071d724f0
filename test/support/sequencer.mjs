/**
 * Jest's own order (failed first, then the longest by the durations it cached), except in
 * a run with no durations cached (a fresh clone, CI), where jest falls back to the largest
 * files first: there the slowest files start first instead, longest first, so no worker
 * sits idle while the other finishes a long file at the end of the run. The list is what
 * `jest --json` measured (issue 19 §5); a file missing from it only starts later.
 */
import TestSequencer from '@jest/test-sequencer';

const slowest = [
  'test/infra/fresh-clone.test.ts',
  'test/integration/faults/executors.test.ts',
  'test/integration/faults/workflows.test.ts',
  'test/infra/stack.test.ts',
  'test/infra/on-call.test.ts',
  'test/infra/construct.test.ts',
  'test/integration/local-server.test.ts',
  'test/integration/fuzz.test.ts',
];

export default class SlowestFirst extends TestSequencer.default {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const rank = (test) => {
      const index = slowest.findIndex((path) => test.path.endsWith(`/${path}`));
      return index === -1 ? slowest.length : index;
    };
    return sorted
      .map((test, order) => ({ test, order }))
      .sort((a, b) => rank(a.test) - rank(b.test) || a.order - b.order)
      .map(({ test }) => test);
  }
}
