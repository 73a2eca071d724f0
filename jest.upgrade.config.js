/**
 * `npm run test:upgrade`: the upgrade tests (test/upgrade/), which build each earlier
 * release from its commit (scripts/releases.ts) and run it against the suite's DynamoDB
 * Local before today's code. Same setup and log scan as `npm test`.
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/upgrade/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 600_000,
};
