/**
 * VPC endpoint policies that admit only principals of one AWS Organization (`endpointPolicy` in
 * hub.yaml). Without one, AWS gives an endpoint a full-access policy: any principal that reaches it
 * may use it, for any resource (through the `s3` endpoint: any bucket of any account).
 */
import { ecrLayerBucket, S3 } from '../services/catalog';

/** The policy of one endpoint of `service`, as JSON: only principals of `organizationId`. */
export function organizationEndpointPolicy(service: string, region: string, organizationId: string): string {
  const inOrganization = { StringEquals: { 'aws:PrincipalOrgID': organizationId } };
  const statements =
    service === S3
      ? [
          {
            Sid: 'OrganizationPrincipalsOnOrganizationBuckets',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId, 'aws:ResourceOrgID': organizationId } },
          },
          {
            // ECR serves image layers from its own bucket, outside every organization.
            Sid: 'EcrImageLayers',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${ecrLayerBucket(region)}/*`,
            Condition: inOrganization,
          },
        ]
      : [
          {
            Sid: 'OrganizationPrincipalsOnly',
            Effect: 'Allow',
            Principal: '*',
            Action: '*',
            Resource: '*',
            Condition: inOrganization,
          },
        ];
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
