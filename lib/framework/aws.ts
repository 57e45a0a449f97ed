/**
 * The AWS provider's classes vpce-hub synthesizes (`@cdktf/provider-aws` 21.22.1, bound to the
 * hashicorp/aws provider 6.25.0), each by its deep path: the package root loads every resource of
 * the provider (5 s and 560 MB). Part of the framework seam (cdktf.ts).
 */
export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
export { RamPrincipalAssociation } from '@cdktf/provider-aws/lib/ram-principal-association';
export { RamResourceAssociation } from '@cdktf/provider-aws/lib/ram-resource-association';
export { RamResourceShare } from '@cdktf/provider-aws/lib/ram-resource-share';
export { RamResourceShareAccepter } from '@cdktf/provider-aws/lib/ram-resource-share-accepter';
export { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
export { Route53VpcAssociationAuthorization } from '@cdktf/provider-aws/lib/route53-vpc-association-authorization';
export { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
export { Route53ZoneAssociation } from '@cdktf/provider-aws/lib/route53-zone-association';
export { Route53ProfilesAssociation } from '@cdktf/provider-aws/lib/route53profiles-association';
export { Route53ProfilesProfile } from '@cdktf/provider-aws/lib/route53profiles-profile';
export { Route53ProfilesResourceAssociation } from '@cdktf/provider-aws/lib/route53profiles-resource-association';
export { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
export { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
export { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
