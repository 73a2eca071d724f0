/**
 * The construct writes cdk-nag's suppression metadata itself (no cdk-nag at the
 * consumer): it must be what cdk-nag's own NagSuppressions writes, so a team that runs
 * cdk-nag's checks sees every suppression and its reason.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions as CdkNag } from 'cdk-nag';
import { NagSuppressions, type NagSuppression } from '../../../../infra/constructs/nag-suppressions.js';

const suppressions: NagSuppression[] = [
  { id: 'AwsSolutions-SQS3', reason: 'This queue is a dead-letter queue of its own; nothing behind it.' },
  {
    id: 'AwsSolutions-IAM5',
    reason: 'Log streams are created at run time under the function’s own log group.',
    appliesTo: [{ regex: '/^Resource::<.*Logs.*\\.Arn>:log-stream:\\*$/g' }, 'Resource::*'],
  },
];

/** The metadata each writer leaves on a queue (and, applied to children, on its policy). */
function metadataWrittenBy(write: (scope: sqs.Queue) => void) {
  const queue = new sqs.Queue(new Stack(new App()), 'Queue', { enforceSSL: true });
  write(queue);
  write(queue);
  return queue.node
    .findAll()
    .filter((child): child is CfnResource => child instanceof CfnResource)
    .map((resource) => [resource.cfnResourceType, resource.getMetadata('cdk_nag') as unknown]);
}

test('the same cdk_nag metadata as cdk-nag: applies_to, a non-Latin-1 reason base64-encoded, no duplicates', () => {
  // Act
  const ours = metadataWrittenBy((queue) => NagSuppressions.addResourceSuppressions(queue, suppressions, true));
  const theirs = metadataWrittenBy((queue) => CdkNag.addResourceSuppressions(queue, suppressions, true));
  // Assess
  expect(ours).toEqual(theirs);
  expect(ours).toEqual([
    ['AWS::SQS::Queue', { rules_to_suppress: expect.any(Array) }],
    ['AWS::SQS::QueuePolicy', { rules_to_suppress: expect.any(Array) }],
  ]);
  expect(ours[0][1]).toMatchObject({
    rules_to_suppress: [
      { id: 'AwsSolutions-SQS3' },
      { id: 'AwsSolutions-IAM5', is_reason_encoded: true, applies_to: suppressions[1].appliesTo },
    ],
  });
});

test('a reason under 10 characters is refused, as cdk-nag refuses it', () => {
  // Prepare
  const queue = new sqs.Queue(new Stack(new App()), 'Queue');
  // Act / Assess
  expect(() => NagSuppressions.addResourceSuppressions(queue, [{ id: 'AwsSolutions-SQS3', reason: 'dlq' }])).toThrow(
    'needs a reason of 10 characters',
  );
});
