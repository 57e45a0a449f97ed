/**
 * The security group of the hub's interface endpoints: HTTPS in from the configured CIDRs, nothing else.
 */
import { SecurityGroup, VpcSecurityGroupIngressRule } from '../framework/aws';
import { TerraformIterator } from '../framework/cdktf';
import { Construct } from 'constructs';

/** Properties of {@link EndpointSecurityGroup}. */
export interface EndpointSecurityGroupProps {
  /** The hub VPC. */
  readonly vpcId: string;
  /** The only networks admitted, on tcp/443 (IPv4 and/or IPv6 CIDR blocks). */
  readonly allowedCidrs: readonly string[];
}

/**
 * One security group for all endpoints, with one ingress rule per CIDR (`for_each` keyed by the CIDR,
 * so adding a network never touches the others). It has no egress rule: Terraform removes the AWS
 * default allow-all egress rule when it creates a group, and endpoints only answer connections.
 *
 * Terraform addresses: `aws_security_group.endpoints`,
 * `aws_vpc_security_group_ingress_rule.https_ipv4["<cidr>"]` (and `https_ipv6`).
 */
export class EndpointSecurityGroup extends Construct {
  /** The group the endpoints use. */
  readonly group: SecurityGroup;

  constructor(scope: Construct, id: string, props: EndpointSecurityGroupProps) {
    super(scope, id);
    this.group = new SecurityGroup(this, 'group', {
      name: 'vpce-hub-endpoints',
      description: 'vpce-hub interface endpoints: HTTPS from the allowed CIDRs only',
      vpcId: props.vpcId,
      tags: { Name: 'vpce-hub-endpoints' },
      // Replaced only with the hub VPC (its name is unique per VPC): the new group comes first, like
      // the endpoints that use it.
      lifecycle: { createBeforeDestroy: true },
    });
    this.group.overrideLogicalId('endpoints');

    const families: Array<{ name: string; cidrs: string[]; field: 'cidrIpv4' | 'cidrIpv6' }> = [
      { name: 'https_ipv4', cidrs: props.allowedCidrs.filter((c) => !c.includes(':')), field: 'cidrIpv4' },
      { name: 'https_ipv6', cidrs: props.allowedCidrs.filter((c) => c.includes(':')), field: 'cidrIpv6' },
    ];
    for (const { name, cidrs, field } of families) {
      if (cidrs.length === 0) continue;
      const each = TerraformIterator.fromList([...cidrs].sort());
      const rule = new VpcSecurityGroupIngressRule(this, name, {
        forEach: each,
        securityGroupId: this.group.id,
        description: 'HTTPS to the interface endpoints',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        [field]: each.value,
      });
      rule.overrideLogicalId(name);
    }
  }
}
