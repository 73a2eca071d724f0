/**
 * `flowplane replay <stream|command-events|command-queues> --stage STAGE [options]`
 * (`npx flowplane replay …` from the installed package, `npm run replay -- …` here;
 * scripts/flowplane.ts dispatches).
 *
 * Sends what a dead-letter queue holds back where it failed, once its cause is fixed
 * (docs/runbook.md, "Replay"):
 *
 * - `stream`: each message names a consumer and a range of the table's stream it gave
 *   up; the records are read again (within the stream's 24 hours) and handed to that
 *   consumer; the message is deleted when the consumer accepts them.
 * - `command-events`: each message is a command event sent through EventBridge that was
 *   not delivered or failed; it is put on the bus again and deleted once accepted.
 * - `command-queues`: SQS moves the SQS commands' dead letters back to the queue each came from.
 *
 * The queues and the bus come from the deployed stack's outputs (`Flowplane-<stage>`, or
 * `--stack` for a team's stack that declares the same outputs), or are named with
 * `--queue`/`--bus`.
 */
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { stackNameOf, stackOutputs } from '../infra/outputs.js';
import {
  dynamoDbStreamRecords,
  eventBridgeCommandBus,
  lambdaConsumerInvoker,
  redriveToSourceQueues,
  sqsDeadLetterQueue,
} from './replay/aws.js';
import { replayCommandEvents } from './replay/commands.js';
import { type ReplayOutcome, replayStreamDeadLetters } from './replay/stream.js';

const usage = `usage:
  flowplane replay stream          --stage STAGE [--max N] [--dry-run]
  flowplane replay command-events  --stage STAGE [--max N] [--dry-run]
  flowplane replay command-queues  --stage STAGE

  --stage STAGE    the deployed stack Flowplane-STAGE: its outputs name the queues and the bus
  --stack NAME     another stack with the same outputs (flowplane embedded in a team's app)
  --queue URL      the dead-letter queue itself (instead of the stack's output)
  --bus NAME       command-events: the event bus (instead of the stack's BusName output)
  --max N          at most N messages (default 100)
  --dry-run        read and report; invoke, put and delete nothing

environment: AWS_REGION and the usual AWS credentials`;

const subcommands = {
  stream: stackOutputs.streamDeadLetters,
  'command-events': stackOutputs.commandEventDeadLetters,
  'command-queues': stackOutputs.commandDeadLetters,
} as const;
type Subcommand = keyof typeof subcommands;

/** The replay's inputs once checked: everything it needs to know before calling AWS. */
export interface ReplayRequest {
  command: Subcommand;
  stack?: string;
  queue?: string;
  bus?: string;
  max: number;
  dryRun: boolean;
}

/** The checked request, or every problem with the arguments at once. */
export function parseReplayArguments(argv: string[]): ReplayRequest | { problems: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        stage: { type: 'string' },
        stack: { type: 'string' },
        queue: { type: 'string' },
        bus: { type: 'string' },
        max: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    return { problems: [(error as Error).message] };
  }
  const { positionals, values } = parsed;
  const problems: string[] = [];
  const [command, ...extra] = positionals;
  if (!(command in subcommands)) problems.push(`the first argument is one of ${Object.keys(subcommands).join(', ')}`);
  if (extra.length > 0) problems.push(`unexpected arguments: ${extra.join(' ')}`);
  if (values.stage !== undefined && values.stack !== undefined) problems.push('give --stage or --stack, not both');
  if (values.stage !== undefined && !/^[a-z][a-z0-9-]{0,20}$/.test(values.stage))
    problems.push(`--stage "${values.stage}" is no stage name (lower-case letters, digits and dashes)`);
  const needsStack = values.queue === undefined || (command === 'command-events' && values.bus === undefined);
  if (needsStack && values.stage === undefined && values.stack === undefined)
    problems.push(
      'name the stage (--stage) or the stack (--stack), or the queue (--queue, and --bus for command-events)',
    );
  if (
    values.queue !== undefined &&
    !/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/\d{12}\/[\w-]+$/.test(values.queue)
  )
    problems.push(
      `--queue must be a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>), got ${values.queue}`,
    );
  if (values.bus !== undefined && command !== 'command-events') problems.push('--bus is for command-events only');
  const max = values.max === undefined ? 100 : Number(values.max);
  if (!(Number.isInteger(max) && max >= 1 && max <= 10_000))
    problems.push(`--max must be a whole number from 1 to 10000 (got ${values.max})`);
  if (values['dry-run'] && command === 'command-queues')
    problems.push('command-queues has no dry run: SQS moves the messages itself (see the queue in the console first)');
  if (problems.length > 0) return { problems };
  return {
    command: command as Subcommand,
    ...(values.stack !== undefined || values.stage !== undefined
      ? { stack: values.stack ?? stackNameOf(values.stage!) }
      : {}),
    ...(values.queue !== undefined ? { queue: values.queue } : {}),
    ...(values.bus !== undefined ? { bus: values.bus } : {}),
    max,
    dryRun: values['dry-run'] === true,
  };
}

/** A stack's outputs by key (one DescribeStacks). */
async function outputsOf(stack: string): Promise<Record<string, string>> {
  const { Stacks } = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: stack }));
  return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

const describe = (outcome: ReplayOutcome) =>
  [
    outcome.result.padEnd(12),
    `${outcome.records} record(s)`,
    outcome.functionArn ? `→ ${outcome.functionArn.split(':').slice(6, 7).join('')}` : '',
    outcome.reason ? `(${outcome.reason})` : '',
  ]
    .filter(Boolean)
    .join('  ');

/** Runs one replay; returns the process exit code (1 when a message was kept). */
export async function runReplayCommand(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  if (argv.includes('--help')) {
    print(usage);
    return 0;
  }
  const request = parseReplayArguments(argv);
  if ('problems' in request) {
    for (const problem of request.problems) print(problem);
    print(usage);
    return 2;
  }
  const outputs = request.stack ? await outputsOf(request.stack) : {};
  const queue = request.queue ?? outputs[subcommands[request.command]];
  const bus = request.bus ?? outputs[stackOutputs.busName];
  if (!queue || (request.command === 'command-events' && !bus)) {
    print(`stack ${request.stack} has no ${subcommands[request.command]} (or ${stackOutputs.busName}) output: name it`);
    return 2;
  }
  if (request.command === 'command-queues') {
    const { queueArn, taskHandle } = await redriveToSourceQueues(queue);
    print(`moving the messages of ${queueArn} back to their command queues (task ${taskHandle})`);
    print(`follow it: aws sqs list-message-move-tasks --source-arn ${queueArn}`);
    return 0;
  }
  const outcomes =
    request.command === 'stream'
      ? await replayStreamDeadLetters({
          queue: sqsDeadLetterQueue(queue),
          stream: dynamoDbStreamRecords(),
          invoker: lambdaConsumerInvoker(),
          max: request.max,
          dryRun: request.dryRun,
        })
      : await replayCommandEvents({
          queue: sqsDeadLetterQueue(queue),
          bus: eventBridgeCommandBus(bus),
          max: request.max,
          dryRun: request.dryRun,
        });
  for (const outcome of outcomes) print(describe(outcome));
  const kept = outcomes.filter((o) => o.result === 'kept').length;
  print(
    `${outcomes.length} message(s): ${outcomes.length - kept} ${request.dryRun ? 'to replay' : 'replayed'}, ${kept} kept`,
  );
  return kept > 0 ? 1 : 0;
}
