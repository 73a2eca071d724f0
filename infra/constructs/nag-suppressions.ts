/**
 * cdk-nag suppressions without depending on cdk-nag: the construct writes the same
 * `cdk_nag` resource metadata that cdk-nag's `NagSuppressions.addResourceSuppressions`
 * writes (cdk-nag 2.x, lib/utils/nag-suppression-helper.js), so a team's app needs no
 * cdk-nag to use flowplane, and one that runs cdk-nag's checks reads every suppression
 * with its reason. Called the same way as cdk-nag's, so code reads the same.
 */
import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A rule suppressed, why, and optionally only for some findings (exact strings or `{ regex: '/…/flags' }`). */
export interface NagSuppression {
  readonly id: string;
  readonly reason: string;
  readonly appliesTo?: (string | { readonly regex: string })[];
}

interface RulesMetadata {
  rules_to_suppress?: Record<string, unknown>[];
}

/** cdk-nag's stored form: `applies_to`, and a reason with characters beyond Latin-1 base64-encoded. */
function toCfnFormat({ appliesTo, reason, ...rest }: NagSuppression): Record<string, unknown> {
  const result: Record<string, unknown> = { ...rest, ...(appliesTo ? { applies_to: appliesTo } : {}) };
  if ([...reason].some((c) => (c.codePointAt(0) ?? 0) > 255)) {
    return { reason: Buffer.from(reason).toString('base64'), ...result, is_reason_encoded: true };
  }
  return { reason, ...result };
}

export const NagSuppressions = {
  /**
   * Adds suppressions to a construct's CloudFormation resource (or, with
   * `applyToChildren`, to every resource below it), keeping those already there.
   */
  addResourceSuppressions(
    construct: IConstruct,
    suppressions: readonly NagSuppression[],
    applyToChildren = false,
  ): void {
    const short = suppressions.find((s) => s.reason.length < 10);
    if (short) throw new Error(`${construct.node.id}: the suppression of ${short.id} needs a reason of 10 characters`);
    for (const child of applyToChildren ? construct.node.findAll() : [construct]) {
      const resource = child.node.defaultChild ?? child;
      if (!(resource instanceof CfnResource)) continue;
      const existing = (resource.getMetadata('cdk_nag') as RulesMetadata | undefined)?.rules_to_suppress ?? [];
      const rules = new Set([...existing, ...suppressions.map(toCfnFormat)].map((rule) => JSON.stringify(rule)));
      resource.addMetadata('cdk_nag', { rules_to_suppress: [...rules].map((rule) => JSON.parse(rule) as unknown) });
    }
  },
};
