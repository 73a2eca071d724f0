/**
 * Reading a synthesized template's identity policies. A role's rights live in two places:
 * the inline policies of the role itself (every flowplane function's role keeps its grants
 * there, infra/constructs/flowplane-function.ts) and AWS::IAM::Policy resources attached to
 * it (CDK's own roles). Tests that ask what a role may do read both.
 */
type Resource = { Type: string; Properties?: Record<string, any> };
export type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** Every identity-policy statement of the role with logical id `role`, or of every role when none is named. */
export function identityStatements(resources: Record<string, Resource>, role?: string): Statement[] {
  const ofRole = (id: string) => role === undefined || id === role;
  const inline = Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::IAM::Role' && ofRole(id))
    .flatMap(([, r]) => (r.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]);
  const attached = Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (role === undefined || (r.Properties?.Roles ?? []).some((ref: { Ref?: string }) => ref.Ref === role)),
    )
    .map((r) => r.Properties as { PolicyDocument: { Statement: Statement[] } });
  return [...inline, ...attached].flatMap((p) => p.PolicyDocument.Statement);
}
