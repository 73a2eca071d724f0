/**
 * Upgrading a table release 0.2.0 wrote to today's code (issue 20): the checks are in
 * test/support/upgrade/checks.ts, the data set in test/support/upgrade/dataset.ts.
 */
import { describeUpgradeFrom } from '../support/upgrade/checks.js';

describeUpgradeFrom('0.2.0');
