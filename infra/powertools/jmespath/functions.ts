/** Stand-in for `@aws-lambda-powertools/jmespath/functions` (see ./index.ts): field paths call no function. */
export class PowertoolsFunctions {}
