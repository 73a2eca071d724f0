/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy -c stage=dev`. It uses the `Flowplane`
 * construct as a team's app does (the stack in infra/stack.ts), deploying the prebuilt
 * bundles of dist/functions; run as the app (cdk.json), it first builds them when they
 * are missing or stale (infra/build-if-stale.ts: seconds after a change, a hash check
 * otherwise), so a fresh clone synthesizes right after `npm ci`. Synthesis needs no
 * network and no credentials (the stack is environment-agnostic). cdk-nag's AWS Solutions
 * checks run on every synth.
 *
 * Context (`-c key=value`, or cdk.json): `stage` (default dev), `removalPolicy`
 * (`destroy` for a throwaway stage; default retain), `dataKeyGeneration` (a whole number,
 * default 1; raising it rotates the secrets data key), `alarmEmails` (comma-separated),
 * `sourceMaps` (`true` to ship source maps). Teams embedding flowplane in their own app
 * install the package and use the `Flowplane` construct (README, "Use it from your CDK app").
 */
import { App, Aspects, RemovalPolicy } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildFunctionsIfStale } from './build-if-stale.js';
import { stackNameOf } from './outputs.js';
import { FlowplaneStack } from './stack.js';

/** Builds the app for a stage; tests call this too. */
export function buildApp(app = new App()) {
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    if (typeof value === 'string') return value === '' ? undefined : value;
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  };
  const stage = context('stage') ?? 'dev';
  const generation = context('dataKeyGeneration');
  const stack = new FlowplaneStack(app, stackNameOf(stage), {
    stage,
    description: `flowplane control plane (${stage})`,
    removalPolicy: context('removalPolicy') === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    ...(generation !== undefined ? { dataKeyGeneration: Number(generation) } : {}),
    alarmEmails: context('alarmEmails')
      ?.split(',')
      .map((email) => email.trim())
      .filter(Boolean),
    sourceMaps: context('sourceMaps') === 'true',
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  buildFunctionsIfStale();
  buildApp().app.synth();
}
