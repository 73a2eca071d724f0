/**
 * What a team sets on the `Flowplane` construct, and the checks that turn a wrong value
 * into a clear message at synth time instead of a failed deployment half an hour later.
 * Every prop is optional but the stage; the defaults are the ones the default app
 * deploys (`npx cdk deploy -c stage=dev`).
 */
import { Duration, Token, type RemovalPolicy } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as backup from 'aws-cdk-lib/aws-backup';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { oidcDefaults, type OidcSettings, oidcSettingsProblems } from '../../functions/auth/oidc-settings.js';

/**
 * The OIDC issuer whose bearer tokens the API accepts beside API keys (docs/security.md, "Who may do
 * what"). Its keys are fetched by the functions themselves (aws-jwt-verify), on the first bearer
 * request each serves: the functions need outbound HTTPS to it, as they have by default.
 */
export interface OidcAuth {
  /** The issuer's URL, exactly as its tokens' `iss` claim holds it; `https://` only. */
  readonly issuer: string;
  /** What a token's `aud` claim must hold (one of its values). */
  readonly audience: string;
  /** The claim that names the caller's organization. Default `org`. */
  readonly organizationClaim?: string;
  /** The claim carrying the permissions: space-separated text or a list of names. Default `scope`. */
  readonly permissionsClaim?: string;
  /** Where the issuer's keys are. Default: the `jwks_uri` its discovery document names (one more request per cold start). */
  readonly jwksUri?: string;
}

/** Who may call the API besides holders of its API keys. */
export interface AuthSettings {
  /** Bearer tokens of this issuer. Default: none (API keys only). */
  readonly oidc?: OidcAuth;
}

/** API Gateway token-bucket throttling: steady requests per second and the burst above it. */
export interface Throttling {
  /** Steady-state requests per second (> 0). */
  readonly rateLimit: number;
  /** Bucket size: requests served at once above the rate (an integer ≥ `rateLimit`). */
  readonly burstLimit: number;
}

/** Settings of one route, keyed by its `operationId` in functions/routes.ts. */
export interface RouteSettings {
  /** Function memory in MiB (128–10240); also its CPU share. Default: the construct's `memorySize`. */
  readonly memorySize?: number;
  /** This method's throttling instead of the stage's. */
  readonly throttling?: Throttling;
  /** Added to this route's function environment (over the construct's `environment`). */
  readonly environment?: Record<string, string>;

  // On call (issue 22): concurrency and the route's latency alarm.
  /**
   * Concurrent executions reserved for (and capping) this route's function. Default none: the
   * function shares the account's unreserved pool (docs/infra.md, "Concurrency").
   */
  readonly reservedConcurrency?: number;
  /** Command routes only: at most this many concurrent invocations from the route's SQS command queue. */
  readonly commandConcurrency?: number;
  /** The p99 latency above which the route's latency alarm counts a minute as bad. */
  readonly latencyAlarmThreshold?: Duration;
}

/** An AWS Backup plan for the table, beyond its 35 days of point-in-time recovery. */
export interface BackupSettings {
  /** When a backup is taken. Default every day at 03:00 UTC. */
  readonly schedule?: events.Schedule;
  /** How long each backup is kept. Default 365 days. */
  readonly deleteAfter?: Duration;
  /** Where backups are kept. Default a new vault encrypted with the construct's key. */
  readonly vault?: backup.IBackupVault;
}

/** A custom domain in a Route 53 hosted zone, with its ACM certificate (in the stack's region). */
export interface CustomDomain {
  /** e.g. `api.example.com`; must be in `hostedZone`. */
  readonly domainName: string;
  readonly certificate: acm.ICertificate;
  /** Gets an alias A and AAAA record for `domainName`. */
  readonly hostedZone: route53.IHostedZone;
  /**
   * Where flowplane is mounted on the domain when it shares it with other APIs (e.g.
   * `flowplane` → `https://api.example.com/flowplane/v1/...`). Default: the domain's
   * root, so the API's own `/v1/...` paths (the route table's) are the public ones:
   * `https://api.example.com/v1/executors`. An API Gateway mapping strips its base path,
   * so a base path of `v1` would publish `/v1/v1/...`; it is refused.
   */
  readonly basePath?: string;
}

export interface FlowplaneProps {
  /**
   * The stage: lower-case letters, digits and dashes, starting with a letter, at most 21
   * characters. Names the API stage and appears in descriptions and the dashboard.
   */
  readonly stage: string;
  /**
   * What happens to the table, the key, the queues and the log groups when the construct
   * is removed. Default RETAIN (and table deletion protection on); DESTROY is for
   * throwaway stages.
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * An existing table instead of a new one. It must have flowplane's key schema (`pk`,
   * `sk`, index `gsi1` on `gsi1pk`/`gsi1sk`), a NEW_AND_OLD_IMAGES stream (import it with
   * `tableStreamArn`) and TTL on `expiresAt`; import it with its `encryptionKey` when it
   * uses a customer managed key, so the functions get the KMS grants DynamoDB needs.
   */
  readonly table?: dynamodb.ITable;
  /**
   * An existing KMS key instead of a new one: it encrypts the new table (if any), the
   * alarm topic, the queues and wraps the secrets data keys. Its key policy must let
   * EventBridge (`events.amazonaws.com`) use it for the command dead-letter queue; an
   * imported key's policy cannot be changed from here.
   */
  readonly encryptionKey?: kms.IKey;
  /** Where alarms go. Default: a new topic encrypted with the key. */
  readonly alarmTopic?: sns.ITopic;
  /** E-mail addresses subscribed to the alarm topic (each confirms by mail). */
  readonly alarmEmails?: string[];
  /** The stage's throttling. Default 100 requests per second, burst 200. */
  readonly throttling?: Throttling;
  /** Per-route memory, throttling and environment, by `operationId`. */
  readonly routes?: Record<string, RouteSettings>;
  /** Memory of every route function in MiB unless its route says otherwise. Default 1024. */
  readonly memorySize?: number;
  /** Added to every route function's environment (flowplane's own variables cannot be replaced). */
  readonly environment?: Record<string, string>;
  /** Retention of every log group the construct creates. Default one month for functions, three for API access logs. */
  readonly logRetention?: logs.RetentionDays;
  /** Serve the API on a custom domain too. Default: only the execute-api URL. */
  readonly customDomain?: CustomDomain;
  /** A REGIONAL WAFv2 web ACL's ARN to associate with the API stage. Default: none. */
  readonly webAclArn?: string;
  /** Source maps in the bundles and `--enable-source-maps` (about 15 ms per cold start). Default false. */
  readonly sourceMaps?: boolean;
  /**
   * Which wrapped data key seals secrets: generation N is generated once by KMS and kept;
   * raising the number makes a new key the sealing one while every older generation
   * still opens what it sealed (docs/runbook.md, key rotation). Default 1; at most 10.
   */
  readonly dataKeyGeneration?: number;
  /**
   * CloudWatch namespace of the functions' own metrics (Powertools), which the alarms and
   * the dashboard read. Default `flowplane/<stage>`, so stages sharing an account and
   * region never count each other's answers.
   */
  readonly metricsNamespace?: string;
  /** Bearer tokens of an OIDC issuer beside API keys. Default: API keys only. */
  readonly auth?: AuthSettings;

  // On call (issue 22): safe deploys, alarms, concurrency and backups (docs/infra.md, docs/runbook.md).
  /**
   * Shift traffic to a route function's new version gradually through CodeDeploy (e.g.
   * `LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES`), rolling back when one of the
   * route's alarms goes off. Default none: every alias moves to its new version at once.
   */
  readonly gradualDeployment?: codedeploy.ILambdaDeploymentConfig;
  /** Every command route's SQS event source maximum concurrency (2–1000) unless its route says otherwise. Default 10. */
  readonly commandConcurrency?: number;
  /**
   * A rate or latency alarm counts a minute only when the API (or the route) answered at
   * least this many requests in it, so one failed request on a quiet stage pages no one. Default 10.
   */
  readonly alarmMinimumRequests?: number;
  /** An AWS Backup plan for the table (opt-in). Default none: point-in-time recovery only (35 days). */
  readonly backup?: BackupSettings;

  // Platform settings: packaging, several stages per account, tags (issue 21).
  /** Lambda architecture of every function. Default arm64: every bundle is plain JavaScript (no native code). */
  readonly architecture?: lambda.Architecture;
  /** Level of the functions' structured logs (Powertools `POWERTOOLS_LOG_LEVEL`). Default INFO. */
  readonly logLevel?: LogLevel;
  /** Tags on every resource the construct creates that CloudFormation can tag. */
  readonly tags?: Record<string, string>;
  /**
   * A `CfnOutput` in the construct's stack for each of `apiUrl`, the table name, the bus
   * name, the alarm topic ARN and the dashboard name (keys `ApiUrl`, `TableName`, `BusName`,
   * `AlarmTopicArn`, `DashboardName`, prefixed by CDK with the construct's path). Default
   * false: the construct's properties hold the same values for a team's own outputs.
   */
  readonly cfnOutputs?: boolean;
  /**
   * Create the API Gateway account-level CloudWatch role, which execution logs need. It
   * is one setting per account and region: let one stage create it (the default, true)
   * and set false on every other stage in the same account and region.
   */
  readonly apiGatewayCloudWatchRole?: boolean;
}

/** The Powertools Logger's levels. */
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';
const logLevels: readonly string[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

/** The functions' metrics namespace of a stage unless `metricsNamespace` says otherwise. */
export const defaultMetricsNamespace = (stage: string) => `flowplane/${stage}`;

/** The defaults the construct applies. */
export const flowplaneDefaults = {
  throttling: { rateLimit: 100, burstLimit: 200 },
  memorySize: 1024,
  dataKeyGeneration: 1,
  sourceMaps: false,
  logLevel: 'INFO',
  cfnOutputs: false,
  apiGatewayCloudWatchRole: true,
} as const;

/** On call (issue 22): the defaults of the alarms, concurrency and backup props, each explained in docs/infra.md. */
export const onCallDefaults = {
  commandConcurrency: 10,
  alarmMinimumRequests: 10,
  /** Above a DynamoDB call's worst case before a 503 (3.3 s, docs/infra.md "Timeouts and retries"). */
  latencyAlarmThreshold: Duration.seconds(3),
  /**
   * Routes that wait on someone else's service: the connectivity test spends up to its 20 s
   * budget on the executor's endpoints (functions/net/connectivity.ts), so its p99 is how
   * slow they are; it alarms only past that budget.
   */
  routeLatencyAlarmThresholds: { testExecutorConfiguration: Duration.seconds(21) } as Record<string, Duration>,
  backupDeleteAfter: Duration.days(365),
} as const;

/** At most this many data key generations: each wrapped key is ~250 bytes of a function's 4 KB environment. */
export const maxDataKeyGenerations = 10;

/** Variables the construct sets itself; `environment` may not replace them. */
const reservedVariables =
  /^(TABLE_NAME|PUBLIC_BASE_URL|DATA_KEY_CIPHERTEXT|DATA_KEYS_PREVIOUS|EVENT_BUS_NAME|SECRETS_KEY_FILE|DYNAMODB_ENDPOINT|ALLOW_PRIVATE_TARGETS|NODE_OPTIONS|OIDC_.*|POWERTOOLS_.*|AWS_.*|_.*)$/;

/** The issuer settings the functions get, defaults filled in. */
export function oidcSettingsOf(oidc: OidcAuth): OidcSettings {
  return {
    issuer: oidc.issuer,
    audience: oidc.audience,
    organizationClaim: oidc.organizationClaim ?? oidcDefaults.organizationClaim,
    permissionsClaim: oidc.permissionsClaim ?? oidcDefaults.permissionsClaim,
    ...(oidc.jwksUri !== undefined ? { jwksUri: oidc.jwksUri } : {}),
  };
}

const known = (value: unknown) => value !== undefined && !Token.isUnresolved(value);

function throttlingProblems(where: string, throttling: Throttling | undefined): string[] {
  if (!throttling) return [];
  const problems: string[] = [];
  const { rateLimit, burstLimit } = throttling;
  if (known(rateLimit) && !(Number.isFinite(rateLimit) && rateLimit > 0))
    problems.push(`${where}.rateLimit must be a number above 0 (got ${rateLimit})`);
  if (known(burstLimit) && !(Number.isInteger(burstLimit) && burstLimit >= 0))
    problems.push(`${where}.burstLimit must be a whole number ≥ 0 (got ${burstLimit})`);
  if (known(rateLimit) && known(burstLimit) && burstLimit < rateLimit) {
    problems.push(
      `${where}.burstLimit (${burstLimit}) is below ${where}.rateLimit (${rateLimit}): the bucket could never hold one second of traffic`,
    );
  }
  return problems;
}

function memoryProblems(where: string, memorySize: number | undefined): string[] {
  if (!known(memorySize) || (Number.isInteger(memorySize) && memorySize! >= 128 && memorySize! <= 10240)) return [];
  return [`${where} must be a whole number of MiB from 128 to 10240 (got ${memorySize})`];
}

function environmentProblems(where: string, environment: Record<string, string> | undefined): string[] {
  return Object.keys(environment ?? {}).flatMap((name) => {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return [`${where}: "${name}" is not an environment variable name`];
    if (reservedVariables.test(name))
      return [`${where}: "${name}" is set by flowplane (or by Lambda) and cannot be replaced`];
    return [];
  });
}

/**
 * Every problem with the props, as sentences naming the prop, the value and the rule;
 * empty when they are fine. Values that are tokens (known only at deploy time) pass.
 */
export function flowplanePropsProblems(
  props: FlowplaneProps,
  operationIds: readonly string[],
  commandRoutes?: readonly string[],
): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(props.stage ?? '')) {
    problems.push(
      `stage "${props.stage}" must be lower-case letters, digits and dashes, start with a letter, and be at most 21 characters`,
    );
  }
  problems.push(...throttlingProblems('throttling', props.throttling));
  problems.push(...memoryProblems('memorySize', props.memorySize));
  problems.push(...environmentProblems('environment', props.environment));
  for (const [operationId, settings] of Object.entries(props.routes ?? {})) {
    if (!operationIds.includes(operationId)) {
      problems.push(`routes.${operationId}: no route has this operationId (routes are ${operationIds.join(', ')})`);
      continue;
    }
    problems.push(...throttlingProblems(`routes.${operationId}.throttling`, settings.throttling));
    problems.push(...memoryProblems(`routes.${operationId}.memorySize`, settings.memorySize));
    problems.push(...environmentProblems(`routes.${operationId}.environment`, settings.environment));
  }
  for (const email of props.alarmEmails ?? []) {
    if (known(email) && !/^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(email))
      problems.push(`alarmEmails: "${email}" is not an e-mail address`);
  }
  const generation = props.dataKeyGeneration;
  if (
    known(generation) &&
    !(Number.isInteger(generation) && generation! >= 1 && generation! <= maxDataKeyGenerations)
  ) {
    problems.push(`dataKeyGeneration must be a whole number from 1 to ${maxDataKeyGenerations} (got ${generation})`);
  }
  if (props.table && !props.table.tableStreamArn) {
    problems.push(
      'table: an existing table must have a NEW_AND_OLD_IMAGES stream; import it with tableStreamArn (Table.fromTableAttributes)',
    );
  }
  const webAcl = props.webAclArn;
  if (known(webAcl) && !/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[^/]+\/[^/]+$/.test(webAcl!)) {
    problems.push(
      `webAclArn "${webAcl}" must be the ARN of a REGIONAL WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>)`,
    );
  }
  const domain = props.customDomain;
  if (domain) {
    const name = domain.domainName;
    if (known(name) && !/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(name)) {
      problems.push(`customDomain.domainName "${name}" must be a lower-case host name such as api.example.com`);
    }
    const zone =
      domain.hostedZone && !Token.isUnresolved(domain.hostedZone.zoneName)
        ? domain.hostedZone.zoneName.replace(/\.$/, '')
        : undefined;
    if (known(name) && zone && name !== zone && !name.endsWith(`.${zone}`)) {
      problems.push(`customDomain.domainName "${name}" is not in the hosted zone ${zone}`);
    }
    const basePath = domain.basePath;
    if (known(basePath) && basePath === 'v1') {
      problems.push(
        'customDomain.basePath "v1" would publish /v1/v1/...: the routes already start with /v1; leave basePath unset to serve them at https://<domain>/v1/',
      );
    } else if (known(basePath) && !/^[a-zA-Z0-9._~-]+(\/[a-zA-Z0-9._~-]+)*$/.test(basePath!)) {
      problems.push(
        `customDomain.basePath "${basePath}" must be path segments of letters, digits and . _ ~ - (no leading or trailing slash)`,
      );
    }
  }
  const oidc = props.auth?.oidc;
  // In AWS, an https:// issuer only: no function there may reach a loopback issuer.
  if (oidc && [oidc.issuer, oidc.audience, oidc.jwksUri].every((value) => !Token.isUnresolved(value)))
    problems.push(...oidcSettingsProblems(oidcSettingsOf(oidc), false).map((problem) => `auth.oidc.${problem}`));
  problems.push(...onCallProblems(props, operationIds, commandRoutes));
  const namespace = props.metricsNamespace;
  if (
    known(namespace) &&
    (!/^[A-Za-z0-9._/#:-][A-Za-z0-9 ._/#:-]{0,254}$/.test(namespace!) || namespace!.startsWith('AWS/'))
  ) {
    problems.push(
      `metricsNamespace "${namespace}" must be 1–255 letters, digits or . _ - / # : and not start with AWS/`,
    );
  }
  if (known(props.logLevel) && !logLevels.includes(props.logLevel!))
    problems.push(`logLevel "${props.logLevel}" must be one of ${logLevels.join(', ')}`);
  problems.push(...tagProblems(props.tags));
  return problems;
}

const wholeNumberIn = (value: number | undefined, min: number, max: number) =>
  !known(value) || (Number.isInteger(value) && value! >= min && value! <= max);

/** On call (issue 22): problems with the concurrency, alarm and backup props. */
function onCallProblems(
  props: FlowplaneProps,
  operationIds: readonly string[],
  commandRoutes: readonly string[] | undefined,
): string[] {
  const problems: string[] = [];
  const takesCommands = (operationId: string) => commandRoutes?.includes(operationId) ?? true;
  if (!wholeNumberIn(props.commandConcurrency, 2, 1000))
    problems.push(`commandConcurrency must be a whole number from 2 to 1000 (got ${props.commandConcurrency})`);
  if (!wholeNumberIn(props.alarmMinimumRequests, 1, 1_000_000))
    problems.push(`alarmMinimumRequests must be a whole number of at least 1 (got ${props.alarmMinimumRequests})`);
  for (const [operationId, settings] of Object.entries(props.routes ?? {})) {
    if (!operationIds.includes(operationId)) continue;
    const where = `routes.${operationId}`;
    const { reservedConcurrency, commandConcurrency, latencyAlarmThreshold } = settings;
    if (!wholeNumberIn(reservedConcurrency, 1, 10_000))
      problems.push(`${where}.reservedConcurrency must be a whole number of at least 1 (got ${reservedConcurrency})`);
    if (commandConcurrency !== undefined && !takesCommands(operationId))
      problems.push(`${where}.commandConcurrency: ${operationId} takes no commands (no SQS queue to limit)`);
    else if (!wholeNumberIn(commandConcurrency, 2, 1000))
      problems.push(`${where}.commandConcurrency must be a whole number from 2 to 1000 (got ${commandConcurrency})`);
    const queueConcurrency = commandConcurrency ?? props.commandConcurrency ?? onCallDefaults.commandConcurrency;
    if (
      takesCommands(operationId) &&
      known(reservedConcurrency) &&
      known(queueConcurrency) &&
      queueConcurrency > reservedConcurrency!
    ) {
      problems.push(
        `${where}: the command queue's concurrency (${queueConcurrency}) is above reservedConcurrency (${reservedConcurrency}): Lambda would throttle the queue's pollers and send commands to the dead-letter queue; lower commandConcurrency or raise the reservation`,
      );
    }
    if (latencyAlarmThreshold && !latencyAlarmThreshold.isUnresolved()) {
      const ms = latencyAlarmThreshold.toMilliseconds({ integral: false });
      if (ms < 1 || ms > 29_000)
        problems.push(
          `${where}.latencyAlarmThreshold must be from 1 ms to 29 s, the API's integration timeout (got ${ms} ms)`,
        );
    }
  }
  const deleteAfter = props.backup?.deleteAfter;
  if (deleteAfter && !deleteAfter.isUnresolved() && deleteAfter.toMilliseconds({ integral: false }) < 86_400_000)
    problems.push(`backup.deleteAfter must be at least 1 day (got ${deleteAfter.toHumanString()})`);
  // A restored table is adopted with the stream it was given after the restore, not the old table's.
  const { tableArn, tableStreamArn } = props.table ?? {};
  if (known(tableArn) && known(tableStreamArn) && !tableStreamArn!.startsWith(`${tableArn}/stream/`)) {
    problems.push(
      `table: tableStreamArn ${tableStreamArn} is not a stream of ${tableArn}; a restored table has a stream of its own once it is turned on (docs/runbook.md#restore-the-table)`,
    );
  }
  return problems;
}

/** CloudFormation's tag limits: keys of 1–128 characters not starting with `aws:`, values of at most 256. */
function tagProblems(tags: Record<string, string> | undefined): string[] {
  return Object.entries(tags ?? {}).flatMap(([key, value]) => {
    const problems: string[] = [];
    if (key.length < 1 || key.length > 128 || key.toLowerCase().startsWith('aws:'))
      problems.push(`tags: key "${key}" must be 1–128 characters and not start with aws:`);
    if (known(value) && (typeof value !== 'string' || value.length > 256))
      problems.push(`tags: the value of "${key}" must be a string of at most 256 characters`);
    return problems;
  });
}
