/**
 * The one Lambda construct (in the spirit of Powertools' FunctionWithLogGroup): every
 * default lives here — Node.js 22 on arm64, ESM bundles built with the same esbuild
 * options as `npm run build` (infra/bundling.ts), source maps off unless asked for, the
 * AWS SDK bundled and pinned, an
 * explicit log group with retention, an explicit role with nothing but its own log
 * stream rights, X-Ray tracing, and an environment merged with the caller's.
 *
 * The role carries every grant in one inline policy of its own (InlinePolicyRole), not in a
 * separate AWS::IAM::Policy resource: one resource less per function, which keeps the
 * template inside its resource budget (docs/infra.md, "Resource budget").
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { bundleAliases, functionBundleOptions, rebuildHooks } from '../bundling.js';

export interface FlowplaneFunctionProps {
  /** Entry file relative to the repository root. */
  entry: string;
  description: string;
  /** Added to (never replacing) the defaults. */
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  logRetention?: logs.RetentionDays;
  removalPolicy?: RemovalPolicy;
  /** Concurrent executions reserved for (and capping) the function. Default none: the account's unreserved pool. */
  reservedConcurrentExecutions?: number;
  /** esbuild aliases (package name → file); defaults to infra/bundling.ts's. */
  aliases?: Record<string, string>;
  /**
   * Ship a source map and run with `--enable-source-maps` (stack traces in the log point
   * at the TypeScript). Default false: Node.js 22 reads the map at start-up, about 15 ms
   * of every cold start (docs/infra.md).
   */
  sourceMaps?: boolean;
}

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

/** Environment every function gets; a caller's entries are merged over it. */
export const defaultEnvironment = {
  POWERTOOLS_SERVICE_NAME: 'flowplane',
  POWERTOOLS_METRICS_NAMESPACE: 'flowplane',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_LOGGER_LOG_EVENT: 'false',
};

/**
 * A role whose grants all land in one inline policy (`access`) on the role itself. CDK's
 * Role puts them in a `DefaultPolicy`, an AWS::IAM::Policy resource of its own; the
 * statements are the same either way, and the function depends on the role, so it never
 * runs before its rights exist.
 */
export class InlinePolicyRole extends iam.Role {
  private readonly access: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    const access = new iam.PolicyDocument();
    super(scope, id, { ...props, inlinePolicies: { ...props.inlinePolicies, access } });
    this.access = access;
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.access.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

export class FlowplaneFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: FlowplaneFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: logs only to its own group.
    this.role = new InlinePolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `flowplane ${id}: least privilege`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(root, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(29),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...defaultEnvironment,
        ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
      projectRoot: root,
      depsLockFilePath: join(root, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: functionBundleOptions.minify,
        sourceMap: props.sourceMaps ?? false,
        mainFields: [...functionBundleOptions.mainFields],
        banner: functionBundleOptions.banner.js,
        // Bundle the SDK (pinned by the lockfile) rather than use the runtime's copy.
        externalModules: [],
        esbuildArgs: Object.fromEntries(
          Object.entries(props.aliases ?? bundleAliases).map(([name, path]) => [`--alias:${name}`, path]),
        ),
        // The esbuild CLI takes no plugins: rebuild with ours (docs/infra.md, "How the bundles are built").
        commandHooks: rebuildHooks(join(root, props.entry), props.aliases ?? bundleAliases, 'node22'),
      },
    });
  }
}
