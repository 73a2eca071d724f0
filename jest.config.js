/** Jest runs the TypeScript sources as ESM (middy 6 is ESM only). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^#validators$': '<rootDir>/functions/generated/validators.js', '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testSequencer: '<rootDir>/test/support/sequencer.mjs',
  setupFiles: ['<rootDir>/test/support/env.ts'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // The upgrade tests build earlier releases and run as their own step (npm run test:upgrade, jest.upgrade.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/upgrade/'],
  // Earlier releases built for those tests are whole repositories of their own.
  modulePathIgnorePatterns: ['<rootDir>/.cache/'],
  testTimeout: 60_000,
  // Two workers on this two-core machine (jest's default, cores minus one, ran the suite in band), sharing one
  // DynamoDB Local; fixed, so a machine with more cores does not load that JVM and the fault tests' 1 s bounds more.
  maxWorkers: 2,
};
