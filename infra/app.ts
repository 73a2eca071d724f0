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
 * default 1; raising it rotates the secrets data key), `alarmEmails` (a list in cdk.json,
 * or comma-separated), `sourceMaps` (`true` to ship source maps), `gradualDeployment` (a
 * CodeDeploy `LambdaDeploymentConfig` name such as `CANARY_10PERCENT_5MINUTES`), `backup`
 * (`true`, or `{ "deleteAfterDays": N }`), `commandConcurrency`, `alarmMinimumRequests`,
 * `table` (`{ "tableArn", "tableStreamArn", "encryptionKeyArn" }`: a restored table,
 * docs/runbook.md), and `oidcIssuer` and `oidcAudience` (with `oidcOrganizationClaim`,
 * `oidcPermissionsClaim`, `oidcJwksUri`: bearer tokens of that issuer, the construct's
 * `auth.oidc`). A setting the stage must keep belongs in cdk.json, committed: a deploy
 * without the `-c` flag would drop it. Teams embedding flowplane in their own app install
 * the package and use the `Flowplane` construct (README, "Use it from your CDK app").
 */
import { App, Aspects, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { LambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildFunctionsIfStale } from './build-if-stale.js';
import { stackNameOf } from './outputs.js';
import { FlowplaneStack, type FlowplaneStackProps } from './stack.js';

/** Builds the app for a stage; tests call this too. */
export function buildApp(app = new App()) {
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    if (typeof value === 'string') return value === '' ? undefined : value;
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  };
  const stage = context('stage') ?? 'dev';
  const generation = context('dataKeyGeneration');
  const onCall = onCallContext((key) => app.node.tryGetContext(key) as unknown);
  const issuer = context('oidcIssuer');
  const organizationClaim = context('oidcOrganizationClaim');
  const permissionsClaim = context('oidcPermissionsClaim');
  const jwksUri = context('oidcJwksUri');
  const stack = new FlowplaneStack(app, stackNameOf(stage), {
    stage,
    description: `flowplane control plane (${stage})`,
    removalPolicy: context('removalPolicy') === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    ...(generation !== undefined ? { dataKeyGeneration: Number(generation) } : {}),
    sourceMaps: context('sourceMaps') === 'true',
    ...onCall,
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

const deploymentConfigs = [
  'ALL_AT_ONCE',
  'CANARY_10PERCENT_5MINUTES',
  'CANARY_10PERCENT_10MINUTES',
  'CANARY_10PERCENT_15MINUTES',
  'CANARY_10PERCENT_30MINUTES',
  'LINEAR_10PERCENT_EVERY_1MINUTE',
  'LINEAR_10PERCENT_EVERY_2MINUTES',
  'LINEAR_10PERCENT_EVERY_3MINUTES',
  'LINEAR_10PERCENT_EVERY_10MINUTES',
] as const;

/**
 * On call (issue 22): the alarm, deploy, concurrency, backup and restored-table settings
 * from context. cdk.json holds JSON (a list, an object, a number); `-c` gives strings.
 */
export function onCallContext(value: (key: string) => unknown): Partial<FlowplaneStackProps> {
  const problems: string[] = [];
  const parsed = (key: string): unknown => {
    const raw = value(key);
    if (typeof raw !== 'string' || !/^[[{]/.test(raw.trim())) return raw === '' ? undefined : raw;
    try {
      return JSON.parse(raw);
    } catch {
      problems.push(`context ${key}: not JSON (${raw})`);
      return undefined;
    }
  };
  const text = (raw: unknown) => (typeof raw === 'object' ? JSON.stringify(raw) : `${raw as string}`);
  const number = (key: string) => {
    const raw = parsed(key);
    return raw === undefined ? undefined : Number(raw);
  };
  const settings: { -readonly [K in keyof FlowplaneStackProps]?: FlowplaneStackProps[K] } = {};
  const emails = parsed('alarmEmails');
  if (emails !== undefined) {
    settings.alarmEmails = (Array.isArray(emails) ? emails.map(text) : text(emails).split(','))
      .map((email) => email.trim())
      .filter(Boolean);
  }
  const gradual = parsed('gradualDeployment');
  if (gradual !== undefined) {
    if (deploymentConfigs.includes(gradual as never))
      settings.gradualDeployment = LambdaDeploymentConfig[gradual as (typeof deploymentConfigs)[number]];
    else problems.push(`context gradualDeployment: "${text(gradual)}" is none of ${deploymentConfigs.join(', ')}`);
  }
  const backup = parsed('backup');
  if (backup === true || backup === 'true') settings.backup = {};
  else if (backup && typeof backup === 'object') {
    const days = (backup as { deleteAfterDays?: unknown }).deleteAfterDays;
    settings.backup = days === undefined ? {} : { deleteAfter: Duration.days(Number(days)) };
  } else if (backup !== undefined && backup !== false && backup !== 'false')
    problems.push(`context backup: true, false or { "deleteAfterDays": N } (got ${text(backup)})`);
  const commandConcurrency = number('commandConcurrency');
  if (commandConcurrency !== undefined) settings.commandConcurrency = commandConcurrency;
  const alarmMinimumRequests = number('alarmMinimumRequests');
  if (alarmMinimumRequests !== undefined) settings.alarmMinimumRequests = alarmMinimumRequests;
  const table = parsed('table');
  if (table !== undefined) {
    const { tableArn, tableStreamArn, encryptionKeyArn } = (table ?? {}) as Record<string, unknown>;
    if (typeof tableArn === 'string' && typeof tableStreamArn === 'string')
      settings.tableAttributes = {
        tableArn,
        tableStreamArn,
        ...(typeof encryptionKeyArn === 'string' ? { encryptionKeyArn } : {}),
      };
    else
      problems.push('context table: { "tableArn", "tableStreamArn", "encryptionKeyArn" } (docs/runbook.md, restore)');
  }
  if (problems.length > 0) throw new Error(`flowplane app: invalid context:\n  - ${problems.join('\n  - ')}`);
  return settings;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  buildFunctionsIfStale();
  buildApp().app.synth();
}
