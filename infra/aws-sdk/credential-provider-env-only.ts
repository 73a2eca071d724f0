/**
 * Stand-in for `@aws-sdk/credential-provider-node` in function bundles. In Lambda the
 * credentials are always in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), and local runs pass static credentials explicitly, so the default
 * chain's SSO, INI, IMDS, process and STS providers (and the clients they bundle) are
 * dead weight on every cold start. esbuild aliases the package to this module.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The only credential source a Lambda function needs. */
export const defaultProvider = () => fromEnv();
