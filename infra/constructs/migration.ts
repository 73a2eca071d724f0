/**
 * The migration (functions/migrations/): one function, made like every other
 * (FlowplaneFunction, from its prebuilt bundle), run as a custom resource once the stack's
 * functions are updated, on every deploy of a new release or of new migration steps (the
 * resource's properties name the release and the current formats, both recorded in the
 * build's manifest when the bundle was built, so either changing updates it). CloudFormation
 * waits for the run, and a run that fails, or stops before the end of the table, fails the
 * deploy. It reads and rewrites every kind of item, and opens and seals secrets: the
 * table's whole item actions (never a query of an index), the table key, the data keys.
 * The provider framework's own function logs to a group with the stage's retention.
 */
import { CustomResource, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { MigrationManifest } from '../assets.js';
import { FlowplaneFunction } from './flowplane-function.js';
import { NagSuppressions } from './nag-suppressions.js';
import type { SecretsDataKeys } from './secrets-data-keys.js';

export interface TableMigrationProps {
  /** The migration's prebuilt bundle, its release and the current formats (the build's manifest). */
  manifest: MigrationManifest;
  table: dynamodb.ITable;
  /** The table's KMS key (when it has one). */
  tableKey?: kms.IKey;
  /** The KMS key that wraps the data keys, and the wrapped keys. */
  key: kms.IKey;
  dataKeys: SecretsDataKeys;
  /** What must be deployed before the migration runs: the functions that read items it rewrites. */
  runAfter: Construct[];
  environment?: Record<string, string>;
  removalPolicy: RemovalPolicy;
  logRetention: logs.RetentionDays;
  sourceMaps?: boolean;
  architecture?: lambda.Architecture;
  logLevel?: string;
  metricsNamespace?: string;
}

export class TableMigration extends Construct {
  readonly function: FlowplaneFunction;
  /** The custom resource whose create and update run the migration. */
  readonly run: CustomResource;
  /** The provider framework, for cdk-nag suppressions. */
  readonly provider: cr.Provider;

  constructor(scope: Construct, id: string, props: TableMigrationProps) {
    super(scope, id);
    const { manifest } = props;
    this.function = new FlowplaneFunction(this, manifest.name, {
      bundle: manifest.name,
      description: manifest.description,
      timeout: Duration.seconds(manifest.timeoutSeconds),
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      sourceMaps: props.sourceMaps,
      architecture: props.architecture,
      logLevel: props.logLevel,
      metricsNamespace: props.metricsNamespace,
      environment: {
        ...props.environment,
        TABLE_NAME: props.table.tableName,
        DATA_KEY_CIPHERTEXT: props.dataKeys.current,
        ...(props.dataKeys.previous.length > 0 ? { DATA_KEYS_PREVIOUS: props.dataKeys.previous.join(',') } : {}),
      },
    });
    const { role } = this.function;
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'dynamodb:Scan',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [props.table.tableArn],
      }),
    );
    if (props.tableKey)
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [props.tableKey.keyArn],
        }),
      );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [props.key.keyArn] }));
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function.function,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', {
        retention: props.logRetention,
        removalPolicy: props.removalPolicy,
      }),
    });
    this.run = new CustomResource(this, 'Run', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::FlowplaneMigration',
      properties: { Release: manifest.release, Formats: JSON.stringify(manifest.formats) },
    });
    for (const scope of props.runAfter) this.run.node.addDependency(scope);
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Log streams are created at run time under the function\'s own log group; X-Ray segment APIs only accept "*".',
          appliesTo: [{ regex: '/^Resource::<.*Logs.*\\.Arn>:log-stream:\\*$/g' }, 'Resource::*'],
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(
      this.provider,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'The CDK custom-resource provider framework uses AWSLambdaBasicExecutionRole; it runs only at deploy time.',
        },
        {
          id: 'AwsSolutions-IAM5',
          reason: 'The provider framework may invoke its own handler versions (":*"), as the CDK generates it.',
        },
        { id: 'AwsSolutions-L1', reason: 'The provider framework pins its own runtime.' },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(this.function.function, [
      {
        id: 'AwsSolutions-L1',
        reason: 'Node.js 22 is the runtime flowplane is built and tested for, like every function.',
      },
    ]);
  }
}
