/**
 * What an upgrade's template change may never do to what holds data: replace, delete or
 * orphan the table, the KMS key, the event bus, a queue, a log group or a secrets data
 * key (a replaced data key generation makes every secret it sealed unreadable); change a
 * stateful resource's logical id (the same thing to CloudFormation); add or remove more
 * than one global secondary index of a table in one update (CloudFormation refuses:
 * "Cannot perform more than one GSI creation or deletion in a single update"); or change
 * a table's stream (a new stream makes the consumers start over).
 *
 * The comparison is `@aws-cdk/cloudformation-diff`'s, the library behind `cdk diff`.
 * `tsx scripts/stateful-diff.ts [version]` compares an earlier release's template
 * (releases.json, built by scripts/releases.ts; the latest by default) with today's, both
 * synthesized offline, and exits 1 on any problem.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../infra/app.js';
import { releases, releaseTemplate } from './releases.js';

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/** Resource types that hold data (or, for a data key, the means to read it). */
export const statefulTypes = [
  'AWS::DynamoDB::Table',
  'AWS::KMS::Key',
  'AWS::Events::EventBus',
  'AWS::SQS::Queue',
  'AWS::Logs::LogGroup',
] as const;

/** The data key generations are custom resources (infra/constructs/secrets-data-keys.ts) named `SecretsDataKey…`. */
export function isStateful(logicalId: string, type: string | undefined): boolean {
  return (
    (statefulTypes as readonly string[]).includes(type ?? '') ||
    (type === 'AWS::CloudFormation::CustomResource' && logicalId.startsWith('SecretsDataKey'))
  );
}

const lossy = new Set<ResourceImpact>([
  ResourceImpact.WILL_REPLACE,
  ResourceImpact.MAY_REPLACE,
  ResourceImpact.WILL_DESTROY,
  ResourceImpact.WILL_ORPHAN,
]);

const indexNames = (table: { Properties?: Record<string, unknown> } | undefined) =>
  new Set(
    ((table?.Properties?.GlobalSecondaryIndexes as { IndexName: string }[] | undefined) ?? []).map(
      (index) => index.IndexName,
    ),
  );

/** Every way the change from `before` to `after` would lose or replace something that holds data; empty when none. */
export function statefulProblems(before: Template, after: Template): string[] {
  const problems: string[] = [];
  const diff = fullDiff(before, after);
  diff.resources.forEachDifference((logicalId, change) => {
    const type = change.oldResourceType;
    if (!isStateful(logicalId, type)) return;
    if (change.isRemoval) problems.push(`${logicalId} (${type}) is removed: its logical id is frozen`);
    else if (change.newResourceType !== type)
      problems.push(`${logicalId} (${type}) becomes ${change.newResourceType ?? 'nothing'}`);
    else if (lossy.has(change.changeImpact))
      problems.push(`${logicalId} (${type}): ${change.changeImpact.toLowerCase().replace(/_/g, ' ')}`);
  });
  for (const [logicalId, table] of Object.entries(before.Resources ?? {})) {
    const next = after.Resources?.[logicalId];
    if (table.Type !== 'AWS::DynamoDB::Table' || next?.Type !== table.Type) continue;
    const [was, is] = [indexNames(table), indexNames(next)];
    const added = [...is].filter((name) => !was.has(name));
    const removed = [...was].filter((name) => !is.has(name));
    if (added.length + removed.length > 1)
      problems.push(
        `${logicalId}: ${[...added.map((name) => `+${name}`), ...removed.map((name) => `-${name}`)].join(', ')} ` +
          'in one update (CloudFormation creates or deletes one global secondary index per update: release them apart)',
      );
    if (JSON.stringify(table.Properties?.StreamSpecification) !== JSON.stringify(next.Properties?.StreamSpecification))
      problems.push(`${logicalId}: its stream changes (a new stream makes the stream consumers start over)`);
  }
  return problems;
}

/** Today's template for a stage, synthesized offline without bundling. */
export function currentTemplate(stage = 'test'): Template {
  const built = buildApp(
    new App({
      outdir: mkdtempSync(join(tmpdir(), 'flowplane-stateful-')),
      context: { stage, 'aws:cdk:bundling-stacks': [] },
    }),
  );
  return built.app.synth().getStackByName(built.stack.stackName).template as Template;
}

async function main(argv: string[]): Promise<void> {
  const version = argv[0] ?? Object.keys(releases()).at(-1)!;
  const problems = statefulProblems(releaseTemplate(version), currentTemplate());
  for (const problem of problems) console.log(`stateful: ${problem}`);
  console.log(
    problems.length === 0
      ? `from ${version} to today: nothing that holds data is replaced or removed`
      : `from ${version} to today: ${problems.length} problem(s)`,
  );
  process.exit(problems.length === 0 ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(`stateful-diff: ${error.message}`);
    process.exit(1);
  });
}
