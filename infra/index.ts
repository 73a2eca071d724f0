/**
 * What a team imports to embed flowplane in its own CDK app (infra/examples/team-app.ts):
 * the construct, its props and the stack the default app deploys.
 */
export { Flowplane } from './constructs/flowplane.js';
export type { CustomDomain, FlowplaneProps, RouteSettings, Throttling } from './constructs/flowplane-props.js';
export { flowplaneDefaults } from './constructs/flowplane-props.js';
// On call (issue 22).
export type { BackupSettings } from './constructs/flowplane-props.js';
export { onCallDefaults } from './constructs/flowplane-props.js';
export { alarmNamePrefix, runbookSections } from './constructs/alarms.js';
export { stackNameOf, stackOutputs } from './outputs.js';
export { FlowplaneStack, type FlowplaneStackProps } from './stack.js';
