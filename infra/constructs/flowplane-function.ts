/**
 * The one Lambda construct (in the spirit of Powertools' FunctionWithLogGroup): every
 * default lives here — Node.js 22 on arm64, the prebuilt ESM bundle of the function
 * (infra/assets.ts: built by `npm run build`, shipped in the package, checked against
 * its manifest; nothing is bundled at synth), source maps off unless asked for, the AWS
 * SDK bundled and pinned, an explicit log group with retention, an explicit role with
 * nothing but its own log stream rights, X-Ray tracing, and an environment merged with
 * the caller's.
 *
 * The role carries every grant in one inline policy of its own (InlinePolicyRole), not in a
 * separate AWS::IAM::Policy resource: one resource less per function, which keeps the
 * template inside its resource budget (docs/infra.md, "Resource budget").
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { functionAsset } from '../assets.js';

export interface FlowplaneFunctionProps {
  /** The bundle's name in the manifest: a route's operationId or a stream consumer's name. */
  bundle: string;
  description: string;
  /** Added to (never replacing) the defaults. */
  environment?: Record<string, string>;
  memorySize?: number;
  timeout?: Duration;
  logRetention?: logs.RetentionDays;
  removalPolicy?: RemovalPolicy;
  /** Concurrent executions reserved for (and capping) the function. Default none: the account's unreserved pool. */
  reservedConcurrentExecutions?: number;
  /** Default arm64: every bundle is plain JavaScript (test/infra/stack.test.ts proves it). */
  architecture?: lambda.Architecture;
  /** The Powertools Logger's level (`POWERTOOLS_LOG_LEVEL`). Default INFO. */
  logLevel?: string;
  /** Namespace of the function's own metrics (`POWERTOOLS_METRICS_NAMESPACE`). Default `flowplane`. */
  metricsNamespace?: string;
  /**
   * Deploy the bundle with its source map and run with `--enable-source-maps` (stack
   * traces in the log point at the TypeScript). Default false: Node.js 22 reads the map
   * at start-up, a cost on every cold start (docs/infra.md).
   */
  sourceMaps?: boolean;
}

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
  readonly function: lambda.Function;
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
    this.function = new lambda.Function(this, 'Function', {
      code: lambda.Code.fromAsset(functionAsset(props.bundle, props.sourceMaps ?? false)),
      handler: 'index.handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(29),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...defaultEnvironment,
        ...(props.logLevel ? { POWERTOOLS_LOG_LEVEL: props.logLevel } : {}),
        ...(props.metricsNamespace ? { POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace } : {}),
        ...(props.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        ...props.environment,
      },
    });
  }
}
