/**
 * The migration's registry: each kind's steps numbered 1, 2, … without a gap, its last
 * one the format today's code writes (functions/domain/formats.ts), names unique. Each
 * step's work on stored items: test/integration/migration.test.ts.
 */
import { currentFormats, formatOf } from '../../../functions/domain/formats.js';
import { migrationSteps, stepsAfter } from '../../../functions/migrations/steps.js';

test('every kind with a format has its steps numbered 1..current, and no step is for a kind without one', () => {
  // Act
  const numbers = Object.fromEntries(
    Object.keys(currentFormats).map((kind) => [kind, stepsAfter(kind, 0).map((step) => step.version)]),
  );
  // Assess
  for (const [kind, current] of Object.entries(currentFormats))
    expect([kind, numbers[kind]]).toEqual([kind, Array.from({ length: current }, (_, index) => index + 1)]);
  expect(migrationSteps.every((step) => step.kind in currentFormats)).toBe(true);
  expect(new Set(migrationSteps.map((step) => step.name)).size).toBe(migrationSteps.length);
});

test('an item has the steps after its format, in order; one written before formats is format 0', () => {
  // Act / Assess
  expect(stepsAfter('workflow', 1).map((step) => step.name)).toEqual([
    'workflow-bind-credential',
    'workflow-claim-unique-name',
  ]);
  expect(stepsAfter('workflow', currentFormats.workflow)).toEqual([]);
  expect([formatOf({}), formatOf({ formatVersion: 2 })]).toEqual([0, 2]);
});
