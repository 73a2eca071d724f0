/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy -c stage=dev`. Synthesis needs no
 * network and no credentials (the stack is environment-agnostic). cdk-nag's AWS
 * Solutions checks run on every synth.
 */
import { App, Aspects, RemovalPolicy } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FlowplaneStack } from './stack.js';

/** Builds the app for a stage; tests call this too. */
export function buildApp(app = new App()) {
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(stage)) throw new Error(`stage "${stage}" must be lower-case letters, digits and dashes`);
  const removal = app.node.tryGetContext('removalPolicy') === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
  const stack = new FlowplaneStack(app, `Flowplane-${stage}`, { stage, removalPolicy: removal, description: `flowplane control plane (${stage})` });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  buildApp().app.synth();
}
