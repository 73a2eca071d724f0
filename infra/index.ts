/**
 * The package's entry (`import { Flowplane } from 'flowplane'`): the construct, its props
 * and the stack the repository's own app deploys. Built into dist/lib (ESM and CommonJS,
 * with declarations) by scripts/build-package.ts; needs nothing but aws-cdk-lib and
 * constructs at the consumer.
 */
export { Flowplane } from './constructs/flowplane.js';
export type {
  AuthSettings,
  BackupSettings,
  CustomDomain,
  FlowplaneProps,
  LogLevel,
  OidcAuth,
  RouteSettings,
  Throttling,
} from './constructs/flowplane-props.js';
export { defaultMetricsNamespace, flowplaneDefaults, onCallDefaults } from './constructs/flowplane-props.js';
export { alarmNamePrefix, runbookSections } from './constructs/alarms.js';
export type { ConsumerManifest, FunctionsManifest, RouteManifest } from './assets.js';
export { stackNameOf, stackOutputs } from './outputs.js';
export { FlowplaneStack, type FlowplaneStackProps } from './stack.js';
