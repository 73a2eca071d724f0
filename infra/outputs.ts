/**
 * The stack's output keys: what `npx cdk deploy` prints, what the runbook names and what
 * `npm run api-key` and `npm run replay` read with one CloudFormation DescribeStacks. A
 * module of its own so the CLI reads it without loading the CDK.
 */
export const stackOutputs = {
  apiUrl: 'ApiUrl',
  tableName: 'TableName',
  busName: 'BusName',
  alarmTopic: 'AlarmTopicArn',
  dashboard: 'DashboardName',
  // On call (issue 22): what `npm run replay` reads.
  streamDeadLetters: 'StreamDeadLettersUrl',
  commandDeadLetters: 'CommandDeadLettersUrl',
  commandEventDeadLetters: 'CommandEventDeadLettersUrl',
} as const;

/** The default app's stack name for a stage (infra/app.ts). */
export const stackNameOf = (stage: string) => `Flowplane-${stage}`;
