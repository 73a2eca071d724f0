/**
 * `flowplane api-key <create|list|revoke> --org ORG [--stage STAGE | --stack NAME] [--name NAME]
 * [--permissions P,Q] [--prefix PREFIX]` (`npx flowplane api-key …` from the installed package,
 * `npm run api-key -- …` here; scripts/flowplane.ts dispatches).
 *
 * Manages per-organization API keys in flowplane's table: the one TABLE_NAME names when
 * it is set (DynamoDB Local with DYNAMODB_ENDPOINT, as `npm start` prints), otherwise the
 * table output of the deployed stack (`Flowplane-<stage>`, or `--stack` for a team's own
 * stack with the construct's `cfnOutputs`), read with one CloudFormation DescribeStacks
 * under the usual credential chain. A created key is printed once; only its SHA-256 hash
 * is stored. A key may do what `--permissions` lists (docs/security.md, "Who may do
 * what"), or everything without it. This module is the one home of the command and its
 * `--permissions` flag: the `flowplane` bin (scripts/flowplane.ts) runs `runApiKeyCommand`
 * rather than repeat it.
 */
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { organizationIdPattern } from '../functions/domain/api-keys.js';
import { parsePermissionList, type Permission, permissions } from '../functions/domain/permissions.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../functions/store/api-keys.js';
import { stackNameOf, stackOutputs } from '../infra/outputs.js';

const usage = `usage:
  flowplane api-key create --org ORG --stage STAGE [--name NAME] [--permissions P,Q,...]
  flowplane api-key list   --org ORG --stage STAGE
  flowplane api-key revoke --org ORG --stage STAGE --prefix PREFIX

  --stage STAGE        the deployed stack Flowplane-STAGE: its TableName output names the table
  --stack NAME         another stack with the construct's table output (flowplane in a team's app, cfnOutputs: true)
  --permissions P,Q    what the key may do (default: everything), among
                       ${permissions.join(', ')}

environment: TABLE_NAME (wins over --stage/--stack), DYNAMODB_ENDPOINT (DynamoDB Local),
AWS_REGION and the usual AWS credentials (DescribeStacks, DynamoDB)`;

/**
 * The stack output that names the table: `TableName` (the default app's stack), or the
 * one output CDK named `<construct path>TableName<hash>` (the construct's `cfnOutputs`
 * in a team's stack). A string is the key; `{ problem }` says why there is none.
 */
export function tableOutputKey(keys: readonly string[]): string | { problem: string } {
  if (keys.includes(stackOutputs.tableName)) return stackOutputs.tableName;
  const candidates = keys.filter((key) => new RegExp(`^[A-Za-z0-9]+${stackOutputs.tableName}[0-9A-F]{8}$`).test(key));
  if (candidates.length === 1) return candidates[0];
  return {
    problem:
      candidates.length === 0
        ? `no ${stackOutputs.tableName} output (is it a flowplane stack, fully deployed?)`
        : `several flowplane table outputs (${candidates.join(', ')}): name the table with TABLE_NAME`,
  };
}

/**
 * The table to use: TABLE_NAME when set, else the stack's table output (one
 * DescribeStacks). A string is the name; `{ problem }` says why there is none.
 */
export async function resolveTableName(stack: string | undefined): Promise<string | { problem: string }> {
  if (process.env.TABLE_NAME) return process.env.TABLE_NAME;
  if (!stack)
    return {
      problem:
        "name the table: --stage STAGE (reads the deployed stack's outputs), --stack NAME, or TABLE_NAME (flowplane-local for npm start)",
    };
  try {
    const { Stacks } = await new CloudFormationClient({}).send(new DescribeStacksCommand({ StackName: stack }));
    const outputs = Stacks?.[0]?.Outputs ?? [];
    const key = tableOutputKey(outputs.flatMap((o) => (o.OutputKey ? [o.OutputKey] : [])));
    if (typeof key !== 'string') return { problem: `stack ${stack} has ${key.problem}` };
    return outputs.find((o) => o.OutputKey === key)?.OutputValue ?? { problem: `stack ${stack}: ${key} has no value` };
  } catch (error) {
    const { name, message } = error as Error;
    return { problem: `could not read the outputs of stack ${stack}: ${name}: ${message}` };
  }
}

/** Runs one CLI command; returns the process exit code. */
export async function runApiKeyCommand(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      org: { type: 'string' },
      stage: { type: 'string' },
      stack: { type: 'string' },
      name: { type: 'string' },
      prefix: { type: 'string' },
      permissions: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const [command] = positionals;
  if (values.help || !command || !values.org) {
    print(usage);
    return values.help ? 0 : 2;
  }
  if (!organizationIdPattern.test(values.org)) {
    print(`--org must match ${organizationIdPattern.source} (letters, digits, . _ : -; no #)`);
    return 2;
  }
  if (values.stage !== undefined && values.stack !== undefined) {
    print('give --stage or --stack, not both');
    return 2;
  }
  let granted: Permission[] | undefined;
  if (values.permissions !== undefined) {
    const parsed = parsePermissionList(values.permissions);
    if (parsed.unknown.length > 0 || parsed.permissions.length === 0) {
      const unknown = parsed.unknown.length > 0 ? `unknown permission ${parsed.unknown.join(', ')}; ` : '';
      print(`--permissions: ${unknown}name one or more of ${permissions.join(', ')}`);
      return 2;
    }
    granted = parsed.permissions;
  }
  const table = await resolveTableName(
    values.stack ?? (values.stage !== undefined ? stackNameOf(values.stage) : undefined),
  );
  if (typeof table !== 'string') {
    print(table.problem);
    return 2;
  }
  process.env.TABLE_NAME = table;
  switch (command) {
    case 'create': {
      const { apiKey, record } = await createApiKey({
        organizationId: values.org,
        name: values.name ?? 'default',
        ...(granted ? { permissions: granted } : {}),
      });
      print(`created key "${record.name}" for organization ${record.organizationId} (prefix ${record.prefix})`);
      print(`permissions: ${record.permissions.join(',')}`);
      print(`API key (shown once, store it now): ${apiKey}`);
      return 0;
    }
    case 'list': {
      const keys = await listApiKeys(values.org);
      if (keys.length === 0) print(`no keys for organization ${values.org}`);
      for (const key of keys) {
        print(
          `${key.prefix}  ${key.name.padEnd(20)}  created ${key.createdAt}${key.revokedAt ? `  revoked ${key.revokedAt}` : ''}  ${key.permissions.join(',')}`,
        );
      }
      return 0;
    }
    case 'revoke': {
      if (!values.prefix) {
        print('revoke needs --prefix (see list)');
        return 2;
      }
      const count = await revokeApiKey(values.org, values.prefix);
      print(
        count === 0
          ? `no key with prefix ${values.prefix} in organization ${values.org}`
          : `revoked ${count} key(s); warm functions stop accepting it within 60 s (their key cache)`,
      );
      return count === 0 ? 1 : 0;
    }
    default:
      print(usage);
      return 2;
  }
}
