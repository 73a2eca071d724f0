/**
 * `npm run replay`'s arguments (scripts/replay.ts): every problem reported at once,
 * before any AWS call, and what a valid command line asks for.
 */
import { parseReplayArguments, runReplayCommand } from '../../../scripts/replay.js';

test.each([
  [['stream', '--stage', 'prod'], { command: 'stream', stack: 'Flowplane-prod', max: 100, dryRun: false }],
  [
    ['command-events', '--stack', 'TeamPlatform', '--max', '5', '--dry-run'],
    { command: 'command-events', stack: 'TeamPlatform', max: 5, dryRun: true },
  ],
  [
    ['command-events', '--queue', 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq', '--bus', 'team-bus'],
    {
      command: 'command-events',
      queue: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq',
      bus: 'team-bus',
      max: 100,
      dryRun: false,
    },
  ],
  [
    ['command-queues', '--stage', 'dev'],
    { command: 'command-queues', stack: 'Flowplane-dev', max: 100, dryRun: false },
  ],
])('%j asks for %j', (argv, request) => {
  // Act / Assess
  expect(parseReplayArguments(argv)).toEqual(request);
});

test.each([
  [
    [],
    [
      'the first argument is one of stream, command-events, command-queues',
      'name the stage (--stage) or the stack (--stack), or the queue (--queue, and --bus for command-events)',
    ],
  ],
  [['stream', '--stage', 'prod', '--stack', 'X'], ['give --stage or --stack, not both']],
  [['stream', '--stage', 'Prod'], ['--stage "Prod" is no stage name (lower-case letters, digits and dashes)']],
  [['stream', '--stage', 'prod', '--max', '0'], ['--max must be a whole number from 1 to 10000 (got 0)']],
  [['stream', '--stage', 'prod', '--bus', 'b'], ['--bus is for command-events only']],
  [
    ['stream', '--queue', 'dlq'],
    ['--queue must be a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>), got dlq'],
  ],
  [
    ['command-events', '--queue', 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq'],
    ['name the stage (--stage) or the stack (--stack), or the queue (--queue, and --bus for command-events)'],
  ],
  [['command-queues', '--stage', 'prod', '--dry-run'], [expect.stringContaining('command-queues has no dry run')]],
  [['stream', 'extra', '--stage', 'prod'], ['unexpected arguments: extra']],
  [['stream', '--stage'], [expect.stringContaining("Option '--stage <value>' argument missing")]],
])('%j is refused: %j', (argv, problems) => {
  // Act / Assess
  expect(parseReplayArguments(argv)).toEqual({ problems });
});

test('a refused command line prints its problems and the usage and exits 2, calling nothing', async () => {
  // Prepare
  const lines: string[] = [];
  // Act
  const code = await runReplayCommand(['stream', '--max', 'lots'], (line) => lines.push(line));
  // Assess
  expect(code).toBe(2);
  expect(lines[0]).toBe(
    'name the stage (--stage) or the stack (--stack), or the queue (--queue, and --bus for command-events)',
  );
  expect(lines[1]).toBe('--max must be a whole number from 1 to 10000 (got lots)');
  expect(lines[2]).toContain('usage:\n  flowplane replay stream');
});
