/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy -c stage=dev`. Synthesis needs no
 * network and no credentials (the stack is environment-agnostic), and no prior build:
 * the construct generates the validators its bundles import. cdk-nag's AWS Solutions
 * checks run on every synth.
 *
 * Context (`-c key=value`, or cdk.json): `stage` (default dev), `removalPolicy`
 * (`destroy` for a throwaway stage; default retain), `dataKeyGeneration` (a whole number,
 * default 1; raising it rotates the secrets data key), `alarmEmails` (comma-separated),
 * `sourceMaps` (`true` to ship source maps), `oidcIssuer` and `oidcAudience` (with
 * `oidcOrganizationClaim`, `oidcPermissionsClaim`, `oidcJwksUri`: bearer tokens of that
 * issuer, the construct's `auth.oidc`). Teams embedding flowplane in their own app
 * use the `Flowplane` construct directly (infra/index.ts, infra/examples/).
 */
import { App, Aspects, RemovalPolicy } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
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
  const issuer = context('oidcIssuer');
  const organizationClaim = context('oidcOrganizationClaim');
  const permissionsClaim = context('oidcPermissionsClaim');
  const jwksUri = context('oidcJwksUri');
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
    ...(issuer !== undefined
      ? {
          auth: {
            oidc: {
              issuer,
              audience: context('oidcAudience') ?? '',
              ...(organizationClaim !== undefined ? { organizationClaim } : {}),
              ...(permissionsClaim !== undefined ? { permissionsClaim } : {}),
              ...(jwksUri !== undefined ? { jwksUri } : {}),
            },
          },
        }
      : {}),
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  buildApp().app.synth();
}
