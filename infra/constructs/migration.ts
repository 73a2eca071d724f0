/**
 * The migration (functions/migrations/): one function, made like every other
 * (FlowplaneFunction), run by a CDK trigger once the stack's functions are updated, on
 * every deploy of a new release (the trigger runs whenever the function's code or
 * configuration changes, and each release changes its `FLOWPLANE_RELEASE`). The trigger
 * waits for the run, and a run that fails, or stops before the end of the table, fails the
 * deploy. It reads and rewrites every kind of item, and opens and seals secrets: the
 * table's whole item actions (never a query of an index), the table key, the data keys.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as triggers from 'aws-cdk-lib/triggers';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { migrationFunction } from '../../functions/migrations/function.js';
import { FlowplaneFunction } from './flowplane-function.js';
import type { SecretsDataKeys } from './secrets-data-keys.js';

export interface TableMigrationProps {
  table: dynamodb.ITable;
  /** The table's KMS key (when it has one). */
  tableKey?: kms.IKey;
  /** The KMS key that wraps the data keys, and the wrapped keys. */
  key: kms.IKey;
  dataKeys: SecretsDataKeys;
  /** What must be deployed before the migration runs: the functions that read items it rewrites. */
  runAfter: Construct[];
  environment?: Record<string, string>;
  removalPolicy?: RemovalPolicy;
  logRetention?: logs.RetentionDays;
  sourceMaps?: boolean;
}

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

/** The release being deployed (package.json's version): a new one changes the function, so the trigger runs. */
const release = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

export class TableMigration extends Construct {
  readonly function: FlowplaneFunction;
  readonly trigger: triggers.Trigger;

  constructor(scope: Construct, id: string, props: TableMigrationProps) {
    super(scope, id);
    this.function = new FlowplaneFunction(this, migrationFunction.name, {
      entry: migrationFunction.entry,
      description: migrationFunction.description,
      timeout: Duration.seconds(migrationFunction.timeoutSeconds),
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
      sourceMaps: props.sourceMaps,
      environment: {
        ...props.environment,
        TABLE_NAME: props.table.tableName,
        FLOWPLANE_RELEASE: release,
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
    this.trigger = new triggers.Trigger(this, 'Run', {
      handler: this.function.function,
      invocationType: triggers.InvocationType.REQUEST_RESPONSE,
      timeout: Duration.seconds(migrationFunction.timeoutSeconds + 30),
      executeAfter: props.runAfter,
    });
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
    NagSuppressions.addResourceSuppressions(this.function.function, [
      {
        id: 'AwsSolutions-L1',
        reason: 'Node.js 22 is the runtime flowplane is built and tested for, like every function.',
      },
    ]);
  }
}
