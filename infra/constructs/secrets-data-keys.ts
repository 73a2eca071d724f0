/**
 * The wrapped data keys that seal secrets (functions/secrets/keyring.ts). Each
 * generation is a custom resource that asks KMS for a 256-bit key once
 * (GenerateDataKeyWithoutPlaintext) and keeps only the wrapped form; the plaintext never
 * leaves KMS except into a function's memory. Generation N is the sealing key
 * (`DATA_KEY_CIPHERTEXT`); generations 1…N-1 stay in `DATA_KEYS_PREVIOUS`, so every
 * envelope still opens after a rotation, and the next write re-seals it under N.
 *
 * Generation 1 keeps the id it always had (`SecretsDataKey`): a generation's resource is
 * never replaced, since a new key under an old generation would orphan its secrets.
 */
import { CustomResource, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';

/**
 * The provider's handler (Node.js 22, the runtime's own SDK). The wrapped key is the
 * physical id too: an update (a new provider after a CDK upgrade, say) answers the same
 * key instead of losing it; moving a generation to another KMS key is refused.
 */
export const dataKeyHandlerSource = `
const { KMSClient, GenerateDataKeyWithoutPlaintextCommand } = require('@aws-sdk/client-kms');
exports.handler = async (event) => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  if (event.RequestType === 'Update') {
    if (event.OldResourceProperties.KeyId !== event.ResourceProperties.KeyId) {
      throw new Error('A data key generation cannot move to another KMS key: raise dataKeyGeneration instead');
    }
    if (!/^[A-Za-z0-9+/=]{100,}$/.test(event.PhysicalResourceId)) {
      throw new Error('This data key generation predates keys kept in the physical id: raise dataKeyGeneration to rotate');
    }
    return { PhysicalResourceId: event.PhysicalResourceId, Data: { Ciphertext: event.PhysicalResourceId } };
  }
  const out = await new KMSClient({}).send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: event.ResourceProperties.KeyId, KeySpec: 'AES_256' }));
  const ciphertext = Buffer.from(out.CiphertextBlob).toString('base64');
  return { PhysicalResourceId: ciphertext, Data: { Ciphertext: ciphertext } };
};`;

export interface SecretsDataKeys {
  /** The wrapped key that seals (`DATA_KEY_CIPHERTEXT`). */
  current: string;
  /** Older wrapped keys, newest first (`DATA_KEYS_PREVIOUS`, comma-separated). */
  previous: string[];
  /** The provider framework and its handler, for cdk-nag suppressions. */
  providerScopes: Construct[];
}

/** The logical id of a generation's resource. */
export const dataKeyResourceId = (generation: number) =>
  generation === 1 ? 'SecretsDataKey' : `SecretsDataKey${generation}`;

/** How long the provider's logs are kept and what happens to them when the construct goes. */
export interface ProviderLogs {
  retention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * Generations 1…`generation` of the data key, wrapped by `key`, created in `scope`; the
 * generator runs on `architecture`. The handler and the provider framework's function
 * each log to an explicit group (retention and removal as every other group), with a
 * generated name: a stage deployed before had Lambda create `/aws/lambda/<function>`
 * already, and a group of that name would fail the deploy as existing (CHANGELOG, 0.3.0).
 */
export function secretsDataKeys(
  scope: Construct,
  key: kms.IKey,
  generation: number,
  logging: ProviderLogs,
  architecture = lambda.Architecture.ARM_64,
): SecretsDataKeys {
  const logGroup = (id: string) =>
    new logs.LogGroup(scope, id, { retention: logging.retention, removalPolicy: logging.removalPolicy });
  const onEvent = new lambda.Function(scope, 'DataKeyProvider', {
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture,
    handler: 'index.handler',
    description: 'Generates the wrapped secrets data keys (GenerateDataKeyWithoutPlaintext)',
    timeout: Duration.seconds(30),
    code: lambda.Code.fromInline(dataKeyHandlerSource),
    logGroup: logGroup('DataKeyProviderLogs'),
  });
  onEvent.addToRolePolicy(
    new iam.PolicyStatement({ actions: ['kms:GenerateDataKeyWithoutPlaintext'], resources: [key.keyArn] }),
  );
  const provider = new cr.Provider(scope, 'DataKeyProviderFramework', {
    onEventHandler: onEvent,
    logGroup: logGroup('DataKeyProviderFrameworkLogs'),
  });
  const wrapped = Array.from({ length: generation }, (_, index) =>
    new CustomResource(scope, dataKeyResourceId(index + 1), {
      serviceToken: provider.serviceToken,
      properties: { KeyId: key.keyArn, Generation: String(index + 1) },
    }).getAttString('Ciphertext'),
  );
  return {
    current: wrapped[generation - 1],
    previous: wrapped.slice(0, -1).reverse(),
    providerScopes: [provider, onEvent],
  };
}
