/**
 * The IAM authorizations an API call needs, as AWS evaluates them: the action, the resources it is
 * authorized against, and the condition keys the request carries. The fake records them with every
 * call, so a test can replay a run's calls against IAM policies.
 *
 * Sources: the Service Authorization Reference of EC2 and Route 53 (resource types and condition
 * keys per action; Route 53's `route53:VPCs` is `VPCId=<vpc-id>,VPCRegion=<region>`), and the EC2
 * user guide on tagging at creation (`TagSpecifications` also needs `ec2:CreateTags`, with
 * `ec2:CreateAction` naming the creating action). Dependent actions: a private hosted zone's
 * creation and `AssociateVPCWithHostedZone` also need `ec2:DescribeVpcs`.
 */
import { qList, qString, qStrings, type QueryObject } from './protocol';

/** One authorization a call needs. */
export interface IamCheck {
  /** e.g. `route53:AssociateVPCWithHostedZone`. */
  readonly action: string;
  /** The resources the action is authorized against (`*` where it has none). */
  readonly resources: readonly string[];
  /** Condition keys of the request, each with its values. */
  readonly context: Readonly<Record<string, readonly string[]>>;
}

const EC2_CREATE_ACTIONS: Record<string, string> = {
  CreateVpcEndpoint: 'vpc-endpoint',
  CreateSecurityGroup: 'security-group',
  AuthorizeSecurityGroupIngress: 'security-group-rule',
  AuthorizeSecurityGroupEgress: 'security-group-rule',
};

/** The checks of one EC2 call by `account` in `region`. */
export function ec2Checks(action: string, params: QueryObject, account: string, region: string): IamCheck[] {
  const arn = (type: string, id: string) => `arn:aws:ec2:${region}:${account}:${type}/${id}`;
  const many = (type: string, ids: string[]) => ids.map((id) => arn(type, id));
  const check = (resources: string[], context: Record<string, string[]> = {}): IamCheck => ({ action: `ec2:${action}`, resources, context });
  const checks: IamCheck[] = [];
  switch (action) {
    case 'CreateVpcEndpoint':
      checks.push(
        check([
          arn('vpc', qString(params, 'VpcId') ?? ''),
          ...many('subnet', qStrings(params, 'SubnetId')),
          ...many('security-group', qStrings(params, 'SecurityGroupId')),
          ...many('route-table', qStrings(params, 'RouteTableId')),
          arn('vpc-endpoint', '*'),
        ]),
      );
      break;
    case 'ModifyVpcEndpoint':
      checks.push(
        check([
          arn('vpc-endpoint', qString(params, 'VpcEndpointId') ?? ''),
          ...many('subnet', [...qStrings(params, 'AddSubnetId'), ...qStrings(params, 'RemoveSubnetId')]),
          ...many('security-group', [...qStrings(params, 'AddSecurityGroupId'), ...qStrings(params, 'RemoveSecurityGroupId')]),
          ...many('route-table', [...qStrings(params, 'AddRouteTableId'), ...qStrings(params, 'RemoveRouteTableId')]),
        ]),
      );
      break;
    case 'DeleteVpcEndpoints':
      checks.push(check(many('vpc-endpoint', qStrings(params, 'VpcEndpointId'))));
      break;
    case 'CreateSecurityGroup':
      checks.push(check([arn('security-group', '*'), arn('vpc', qString(params, 'VpcId') ?? '')]));
      break;
    case 'AuthorizeSecurityGroupIngress':
    case 'AuthorizeSecurityGroupEgress':
    case 'RevokeSecurityGroupIngress':
    case 'RevokeSecurityGroupEgress':
    case 'DeleteSecurityGroup':
      checks.push(check([arn('security-group', qString(params, 'GroupId') ?? '')]));
      break;
    case 'CreateTags':
    case 'DeleteTags':
      checks.push(check(qStrings(params, 'ResourceId').map((id) => arn(ec2ResourceType(id), id))));
      break;
    default:
      // Describe* (and the world set-up's CreateVpc/CreateSubnet) authorize against no resource.
      checks.push(check(['*']));
  }
  // Tagging at creation is authorized as ec2:CreateTags on the new resource.
  const created = EC2_CREATE_ACTIONS[action];
  if (created && qList(params, 'TagSpecification').length > 0) {
    checks.push({ action: 'ec2:CreateTags', resources: [arn(created, '*')], context: { 'ec2:CreateAction': [action] } });
  }
  return checks;
}

function ec2ResourceType(id: string): string {
  const prefix = id.split('-')[0];
  return { vpce: 'vpc-endpoint', sg: 'security-group', sgr: 'security-group-rule', vpc: 'vpc', subnet: 'subnet', rtb: 'route-table' }[prefix] ?? prefix;
}

/** `VPCId=<vpc-id>,VPCRegion=<region>`, the value of `route53:VPCs`. */
export function route53VpcKey(vpcId: string, region: string): string {
  return `VPCId=${vpcId.toLowerCase()},VPCRegion=${region.toLowerCase()}`;
}

/** The checks of one Route 53 call; `zoneId` is the zone the path names, `vpc` the request's VPC. */
export function route53Checks(action: string, zoneId: string | undefined, vpc: { vpcId: string; region: string } | undefined): IamCheck[] {
  const zone = zoneId ? [`arn:aws:route53:::hostedzone/${zoneId}`] : ['*'];
  const vpcs: Record<string, string[]> = vpc ? { 'route53:VPCs': [route53VpcKey(vpc.vpcId, vpc.region)] } : {};
  const check = (resources: string[], context: Record<string, string[]> = {}): IamCheck => ({ action: `route53:${action}`, resources, context });
  const describeVpcs: IamCheck = { action: 'ec2:DescribeVpcs', resources: ['*'], context: {} };
  switch (action) {
    case 'CreateHostedZone':
      return vpc ? [check(['*'], vpcs), describeVpcs] : [check(['*'])];
    case 'AssociateVPCWithHostedZone':
      return [check(zone, vpcs), describeVpcs];
    case 'DisassociateVPCFromHostedZone':
    case 'CreateVPCAssociationAuthorization':
    case 'DeleteVPCAssociationAuthorization':
      return [check(zone, vpcs)];
    case 'ListHostedZonesByVPC':
      return [check(['*'], vpcs)];
    case 'GetChange':
      return [check([`arn:aws:route53:::change/${zoneId ?? '*'}`])];
    case 'ListHostedZones':
      return [check(['*'])];
    default:
      return [check(zone)];
  }
}
