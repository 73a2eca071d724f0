/**
 * The stack alarms on every 503 (`Responses503`, namespace flowplane, any operation),
 * through one Metrics Insights query, so a route added later is covered too. Synthesized
 * without bundling (only the template matters here).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app.js';

test('one alarm on Responses503 across every operation, to the alarm topic', () => {
  // Prepare
  const outdir = mkdtempSync(join(tmpdir(), 'flowplane-cdk-'));
  const { stack } = buildApp(new App({ outdir, context: { stage: 'test', 'aws:cdk:bundling-stacks': [] } }));
  // Act
  const template = Template.fromStack(stack);
  // Assess
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Metrics: [Match.objectLike({ Expression: 'SELECT SUM(Responses503) FROM SCHEMA(flowplane, operation, service)', Period: 300 })],
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [{ Ref: stack.getLogicalId(stack.alarms.node.defaultChild as never) }],
  });
}, 120_000);
