/**
 * The stack `npx cdk deploy -c stage=dev` deploys: the `Flowplane` construct with its
 * outputs on (the runbook and `flowplane api-key --stage` read them). The construct's id
 * is `Default`, which CDK leaves out of logical ids, so every resource keeps the id it had
 * when this stack held them itself, and the outputs keep their plain keys (`TableName`):
 * upgrading a deployed stage replaces no table, key or data key.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Flowplane } from './constructs/flowplane.js';
import type { FlowplaneProps } from './constructs/flowplane-props.js';

export interface FlowplaneStackProps extends StackProps, FlowplaneProps {}

export class FlowplaneStack extends Stack {
  readonly flowplane: Flowplane;

  constructor(scope: Construct, id: string, props: FlowplaneStackProps) {
    super(scope, id, props);
    this.flowplane = new Flowplane(this, 'Default', { cfnOutputs: true, ...props });
  }
}
