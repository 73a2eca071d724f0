/**
 * `npm run api-key -- <create|list|revoke> --org ORG [--name NAME] [--prefix PREFIX]`
 *
 * Manages per-organization API keys in the table named by TABLE_NAME: against DynamoDB
 * Local when DYNAMODB_ENDPOINT is set (npm start prints it), otherwise against AWS with
 * the usual credential chain and the stack's table name. A created key is printed once;
 * only its SHA-256 hash is stored.
 */
import { parseArgs } from 'node:util';
import { organizationIdPattern } from '../functions/domain/api-keys.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../functions/store/api-keys.js';

const usage = `usage:
  npm run api-key -- create --org ORG [--name NAME]
  npm run api-key -- list   --org ORG
  npm run api-key -- revoke --org ORG --prefix PREFIX

environment: TABLE_NAME (required), DYNAMODB_ENDPOINT (DynamoDB Local), AWS_REGION`;

/** Runs one CLI command; returns the process exit code. */
export async function runApiKeyCommand(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { org: { type: 'string' }, name: { type: 'string' }, prefix: { type: 'string' }, help: { type: 'boolean' } },
  });
  const [command] = positionals;
  if (values.help || !command || !values.org) {
    print(usage);
    return values.help ? 0 : 2;
  }
  if (!process.env.TABLE_NAME) {
    print('TABLE_NAME is not set: name the table (the stack output, or flowplane-local for npm start).');
    return 2;
  }
  if (!organizationIdPattern.test(values.org)) {
    print(`--org must match ${organizationIdPattern.source} (letters, digits, . _ : -; no #)`);
    return 2;
  }
  switch (command) {
    case 'create': {
      const { apiKey, record } = await createApiKey({ organizationId: values.org, name: values.name ?? 'default' });
      print(`created key "${record.name}" for organization ${record.organizationId} (prefix ${record.prefix})`);
      print(`API key (shown once, store it now): ${apiKey}`);
      return 0;
    }
    case 'list': {
      const keys = await listApiKeys(values.org);
      if (keys.length === 0) print(`no keys for organization ${values.org}`);
      for (const key of keys) {
        print(`${key.prefix}  ${key.name.padEnd(20)}  created ${key.createdAt}${key.revokedAt ? `  revoked ${key.revokedAt}` : ''}`);
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

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runApiKeyCommand(process.argv.slice(2));
}
