/**
 * The stack `npx cdk deploy -c stage=dev` deploys: the `Flowplane` construct and the
 * outputs the runbook and `npm run api-key` read. The construct's id is `Default`, which
 * CDK leaves out of logical ids, so every resource keeps the id it had when this stack
 * held them itself: upgrading a deployed stage replaces no table, key or data key.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { Flowplane } from './constructs/flowplane.js';
import type { FlowplaneProps } from './constructs/flowplane-props.js';
import { stackOutputs } from './outputs.js';

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
    this.flowplane = new Flowplane(this, 'Default', { ...props, ...(table ? { table } : {}) });
    const outputs: Record<string, [string, string]> = {
      [stackOutputs.apiUrl]: [this.flowplane.apiUrl, 'Base URL of the API (routes start with /v1; /health is public)'],
      [stackOutputs.tableName]: [this.flowplane.table.tableName, 'The DynamoDB table (TABLE_NAME for npm run api-key)'],
      [stackOutputs.busName]: [this.flowplane.bus.eventBusName, 'EventBridge bus of domain events and commands'],
      [stackOutputs.alarmTopic]: [this.flowplane.alarmTopic.topicArn, 'SNS topic every alarm notifies'],
      [stackOutputs.dashboard]: [this.flowplane.dashboard.dashboardName, 'CloudWatch dashboard of this stage'],
      // On call (issue 22): the dead-letter queues npm run replay reads.
      [stackOutputs.streamDeadLetters]: [
        this.flowplane.eventsAndAudit.streamDeadLetters.queueUrl,
        'Stream records given up (npm run replay -- stream)',
      ],
      [stackOutputs.commandDeadLetters]: [
        this.flowplane.eventsAndAudit.commandDeadLetters.queueUrl,
        'SQS commands given up (npm run replay -- command-queues)',
      ],
      [stackOutputs.commandEventDeadLetters]: [
        this.flowplane.eventsAndAudit.commandEventDeadLetters.queueUrl,
        'EventBridge commands given up (npm run replay -- command-events)',
      ],
    };
    for (const [key, [value, description]] of Object.entries(outputs)) new CfnOutput(this, key, { value, description });
  }
}
