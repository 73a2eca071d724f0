/**
 * The stack never replaces what holds data: each earlier release's template (synthesized
 * by its own CDK app from its commit) against today's, compared as `cdk diff` compares
 * them (scripts/stateful-diff.ts holds the rules, test/unit/scripts/stateful-diff.test.ts
 * shows each one refusing).
 */
import { releases, releaseTemplate } from '../../scripts/releases.js';
import { currentTemplate, statefulProblems } from '../../scripts/stateful-diff.js';

const today = currentTemplate();

test.each(Object.keys(releases()))(
  'from %s to today: no stateful resource is replaced or removed, at most one index changes',
  (version) => {
    // Prepare
    const before = releaseTemplate(version);
    // Act
    const problems = statefulProblems(before, today);
    // Assess
    expect(problems).toEqual([]);
  },
);
