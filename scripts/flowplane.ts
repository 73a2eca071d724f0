/**
 * The `flowplane` command's dispatcher (scripts/flowplane-bin.ts runs it): one module per
 * command, and a command is an entry of `commands` whose `run` takes the arguments after
 * its name and returns the exit code. Adding one is its module plus one entry here.
 */
import { runApiKeyCommand } from './api-key.js';
import { runReplayCommand } from './replay.js';
import { runRestoredTableCommand } from './restored-table.js';

/** A subcommand: what `flowplane --help` says of it, and how it runs. */
interface Command {
  readonly summary: string;
  readonly run: (argv: string[], print: (line: string) => void) => Promise<number>;
}

export const commands: Readonly<Record<string, Command>> = {
  'api-key': { summary: 'create, list or revoke an organization’s API keys', run: runApiKeyCommand },
  replay: { summary: 'send dead letters back where they failed (docs/runbook.md, Replay)', run: runReplayCommand },
  'restored-table': {
    summary: 'make a table restored from a backup adoptable by a stage (docs/runbook.md, Restore)',
    run: runRestoredTableCommand,
  },
};

const width = Math.max(...Object.keys(commands).map((name) => name.length));
const usage = [
  'usage: flowplane <command> [options]   (flowplane <command> --help for its options)',
  '',
  ...Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)} ${command.summary}`),
].join('\n');

/** Runs `flowplane <command> …`; returns the exit code (2 for a usage error). */
export async function runFlowplane(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    print(usage);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    print(`unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  return command.run(rest, print);
}
