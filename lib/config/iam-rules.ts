/**
 * Rules of `iam` that span several values: one organization for the IAM roles and the endpoint
 * policies, and principals of any account only within that organization. Like `rules.ts`, they read
 * the raw YAML data defensively, so that every problem is reported in one run.
 */
import type { Problem } from './problems';
import { asList, asRecord, duplicates } from './raw';
import type { YamlFile } from './yaml-file';

/** Every IAM rule, over hub.yaml. */
export function iamRules(hubFile: YamlFile): Problem[] {
  const hubData = asRecord(hubFile.data) ?? {};
  const iam = asRecord(hubData.iam) ?? {};
  const policyOrganization = asRecord(hubData.endpointPolicy)?.organizationId;
  const problems: Problem[] = [];
  if (
    typeof iam.organizationId === 'string' &&
    typeof policyOrganization === 'string' &&
    iam.organizationId !== policyOrganization
  ) {
    problems.push(
      hubFile.problemAt(
        ['iam', 'organizationId'],
        `iam.organizationId is ${iam.organizationId}, but endpointPolicy.organizationId is ${policyOrganization}: one ` +
          `hub serves one organization. Correct one of them (or leave iam.organizationId out: it defaults to ` +
          `endpointPolicy.organizationId).`,
      ),
    );
  }
  const organization = iam.organizationId ?? policyOrganization;
  const trusted = asRecord(iam.trustedPrincipals) ?? {};
  for (const kind of ['deployers', 'planners']) {
    const patterns = asList(trusted[kind]);
    problems.push(
      ...duplicates(
        hubFile,
        patterns.map((value, i) => ({ value, path: ['iam', 'trustedPrincipals', kind, i] })),
        (value, line) => `principal ${value} is listed twice (first at line ${line}). Remove one.`,
      ),
    );
    if (typeof organization === 'string') continue;
    patterns.forEach((value, i) => {
      if (typeof value !== 'string' || !value.startsWith('arn:aws:iam::*:')) return;
      problems.push(
        hubFile.problemAt(
          ['iam', 'trustedPrincipals', kind, i],
          `this principal may be in any account, and no organization limits it: the roles would trust a role of ` +
            `that name in any AWS account. Set iam.organizationId (aws organizations describe-organization prints ` +
            `it), or name the account instead of *.`,
        ),
      );
    });
  }
  return problems;
}
