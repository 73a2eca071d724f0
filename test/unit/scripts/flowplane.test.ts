/**
 * The `flowplane` command's dispatcher (scripts/flowplane.ts), its replay and restored-table
 * subcommands' usage, and the api-key command's choice of the stack output that names the
 * table (scripts/api-key.ts).
 */
import { commands, runFlowplane } from '../../../scripts/flowplane.js';
import { tableOutputKey } from '../../../scripts/api-key.js';

async function flowplane(...argv: string[]) {
  const lines: string[] = [];
  const code = await runFlowplane(argv, (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

test('no command prints the usage and exits 2; --help exits 0; every command is listed', async () => {
  // Act
  const none = await flowplane();
  const help = await flowplane('--help');
  // Assess
  expect([none.code, help.code]).toEqual([2, 0]);
  for (const name of Object.keys(commands)) expect(help.text).toContain(`  ${name} `);
});

test('an unknown command is refused with exit 2, including names of Object.prototype', async () => {
  for (const name of ['apikey', 'constructor', '__proto__']) {
    // Act
    const result = await flowplane(name);
    // Assess
    expect(result).toEqual({ code: 2, text: expect.stringContaining(`unknown command "${name}"`) });
  }
});

test('a command gets the arguments after its name', async () => {
  // Act
  const result = await flowplane('api-key', '--help');
  // Assess
  expect(result).toEqual({ code: 0, text: expect.stringContaining('flowplane api-key create --org ORG') });
});

test.each([
  ['replay', 'flowplane replay stream          --stage STAGE'],
  ['restored-table', 'flowplane restored-table --table NAME'],
])("the runbook's %s is a subcommand: its own usage, through the dispatcher (issue 22)", async (name, usage) => {
  // Act
  const help = await flowplane(name, '--help');
  const refused = await flowplane(name, '--no-such-option');
  // Assess
  expect(help).toEqual({ code: 0, text: expect.stringContaining(usage) });
  expect(refused).toEqual({ code: 2, text: expect.stringContaining(usage) });
});

test.each([
  [['ApiUrl', 'TableName', 'BusName'], 'TableName'],
  [['FlowplaneApiUrl1A2B3C4D', 'FlowplaneTableName0F1E2D3C', 'TeamUrl'], 'FlowplaneTableName0F1E2D3C'],
  [['PaymentsFlowplaneTableNameAB12CD34'], 'PaymentsFlowplaneTableNameAB12CD34'],
])('the table output among %j is %s', (keys, expected) => {
  // Act / Assess
  expect(tableOutputKey(keys)).toBe(expected);
});

test('no table output, or two flowplane constructs in one stack, is a problem to state', () => {
  // Act / Assess
  expect(tableOutputKey(['ApiUrl', 'MyTableNameX'])).toEqual({
    problem: 'no TableName output (is it a flowplane stack, fully deployed?)',
  });
  expect(tableOutputKey(['ATableName0F1E2D3C', 'BTableName4A5B6C7D'])).toEqual({
    problem: 'several flowplane table outputs (ATableName0F1E2D3C, BTableName4A5B6C7D): name the table with TABLE_NAME',
  });
});
