/**
 * The data key provider's handler (infra/constructs/secrets-data-keys.ts), run with a
 * stand-in for the Lambda runtime's KMS client: a generation's key is made once, an
 * update (a new provider, say) answers the same wrapped key instead of losing it, moving
 * a generation to another KMS key is refused, and a delete leaves KMS alone.
 */
import { createContext, runInContext } from 'node:vm';
import { dataKeyHandlerSource } from '../../infra/constructs/secrets-data-keys.js';

const blob = Buffer.from('wrapped-data-key-'.repeat(10));
const wrapped = blob.toString('base64');

/** The handler, with `@aws-sdk/client-kms` standing for the runtime's: it records each command. */
function providerHandler() {
  const sent: unknown[] = [];
  class GenerateDataKeyWithoutPlaintextCommand {
    constructor(readonly input: unknown) {}
  }
  class KMSClient {
    async send(command: GenerateDataKeyWithoutPlaintextCommand) {
      sent.push(command.input);
      return { CiphertextBlob: new Uint8Array(blob) };
    }
  }
  const module = { exports: {} as { handler: (event: Record<string, unknown>) => Promise<Record<string, unknown>> } };
  const require = (name: string) => {
    if (name !== '@aws-sdk/client-kms') throw new Error(`unexpected require ${name}`);
    return { KMSClient, GenerateDataKeyWithoutPlaintextCommand };
  };
  runInContext(dataKeyHandlerSource, createContext({ require, exports: module.exports, Buffer }));
  return { handler: module.exports.handler, sent };
}

const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1111';

test('create asks KMS once for a wrapped AES-256 key and answers it as the physical id and Ciphertext', async () => {
  // Prepare
  const { handler, sent } = providerHandler();
  // Act
  const created = await handler({ RequestType: 'Create', ResourceProperties: { KeyId: keyArn, Generation: '2' } });
  // Assess
  expect(sent).toEqual([{ KeyId: keyArn, KeySpec: 'AES_256' }]);
  expect(created).toEqual({ PhysicalResourceId: wrapped, Data: { Ciphertext: wrapped } });
});

test('an update keeps the key (no KMS call); moving to another KMS key or updating a pre-rotation id is refused', async () => {
  // Prepare
  const { handler, sent } = providerHandler();
  const update = (physicalId: string, oldKey: string) =>
    handler({
      RequestType: 'Update',
      PhysicalResourceId: physicalId,
      ResourceProperties: { KeyId: keyArn, Generation: '1' },
      OldResourceProperties: { KeyId: oldKey, Generation: '1' },
    });
  // Act
  const kept = await update(wrapped, keyArn);
  // Assess
  expect(kept).toEqual({ PhysicalResourceId: wrapped, Data: { Ciphertext: wrapped } });
  await expect(update(wrapped, 'arn:aws:kms:eu-west-1:123456789012:key/2222')).rejects.toThrow(
    'cannot move to another KMS key: raise dataKeyGeneration instead',
  );
  await expect(update('data-key-abcdef0123456789', keyArn)).rejects.toThrow('predates keys kept in the physical id');
  expect(sent).toEqual([]);
});

test('delete leaves KMS alone', async () => {
  const { handler, sent } = providerHandler();
  await expect(
    handler({ RequestType: 'Delete', PhysicalResourceId: wrapped, ResourceProperties: { KeyId: keyArn } }),
  ).resolves.toEqual({ PhysicalResourceId: wrapped });
  expect(sent).toEqual([]);
});
