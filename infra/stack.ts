/**
 * The stack `npx cdk deploy -c stage=dev` deploys: the `Flowplane` construct with its
 * outputs on (the runbook, `flowplane api-key --stage` and `flowplane replay --stage` read
 * them), on a table restored from a backup when `tableAttributes` says so. The construct's
 * id is `Default`, which CDK leaves out of logical ids, so every resource keeps the id it
 * had when this stack held them itself, and the outputs keep their plain keys
 * (`TableName`): upgrading a deployed stage replaces no table, key or data key.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { Flowplane } from './constructs/flowplane.js';
import type { FlowplaneProps } from './constructs/flowplane-props.js';

export interface FlowplaneStackProps extends StackProps, FlowplaneProps {
  /**
   * An existing table by ARN, such as one restored from a backup once its stream is on
   * (docs/runbook.md, "Restore the table"): the `table` prop, from plain values a cdk.json can hold.
   */
  readonly tableAttributes?: { tableArn: string; tableStreamArn: string; encryptionKeyArn?: string };
}

export class FlowplaneStack extends Stack {
  readonly flowplane: Flowplane;

  constructor(scope: Construct, id: string, props: FlowplaneStackProps) {
    super(scope, id, props);
    const restored = props.tableAttributes;
    const table = restored
      ? dynamodb.Table.fromTableAttributes(this, 'RestoredTable', {
          tableArn: restored.tableArn,
          tableStreamArn: restored.tableStreamArn,
          ...(restored.encryptionKeyArn
            ? { encryptionKey: kms.Key.fromKeyArn(this, 'RestoredTableKey', restored.encryptionKeyArn) }
            : {}),
        })
      : props.table;
    this.flowplane = new Flowplane(this, 'Default', { cfnOutputs: true, ...props, ...(table ? { table } : {}) });
  }
}
