/**
 * One centralized service: its interface endpoint and, unless the endpoint answers its names with
 * AWS's private DNS, its private hosted zone and the alias records that point the service's DNS
 * names at the endpoint.
 */
import { type Route53Record, Route53Zone, VpcEndpoint } from '../framework/aws';
import { Construct } from 'constructs';
import { endpointServiceName, resourceName, S3, serviceEntry, zoneName } from '../services/catalog';
import { aliasRecord, type AliasTarget } from './alias-record';

/** Properties of {@link ServiceEndpoint}. */
export interface ServiceEndpointProps {
  /** The catalog name of the service, e.g. `ecr.dkr`. */
  readonly service: string;
  /** The hub region. */
  readonly region: string;
  /** The hub VPC: the endpoint lives in it, and the zone is created with it. */
  readonly vpcId: string;
  /** The subnets that get an endpoint network interface (one per Availability Zone). */
  readonly subnetIds: readonly string[];
  /** The endpoint security group. */
  readonly securityGroupId: string;
  /**
   * `lifecycle.prevent_destroy` on the endpoint and the zone: every spoke resolves through them, so
   * Terraform refuses to destroy or replace them unless `protect: false` says so.
   * @default true
   */
  readonly protect?: boolean;
  /** The endpoint policy (JSON); AWS's full-access default when absent. */
  readonly policy?: string;
  /**
   * The endpoint answers the service's names with AWS's private DNS (`sharing.dns: endpoints`),
   * and there is no self-managed zone. See the catalog's `privateDns` for the names.
   * @default false
   */
  readonly privateDns?: boolean;
  /**
   * The zone `depends_on` the endpoint, so that Terraform destroys the zone before it turns on the
   * endpoint's private DNS (a zone of the same name on the hub VPC makes that fail with
   * ConflictingDomainExists), and creates it only after turning private DNS off. Terraform orders
   * a destroy by the dependencies stored in the state, so the zone must have been applied with it
   * once before a switch to `sharing.dns: endpoints`: every Profile-mode hub has it.
   * @default false
   */
  readonly zoneAfterEndpoint?: boolean;
}

/**
 * Endpoint, zone and apex/wildcard records of one service. Registry records of `ecr.dkr` are added
 * by `EcrRegistryRecords`.
 *
 * Terraform addresses (`<name>` is the service with dots as underscores, e.g. `ecr_dkr`):
 * `aws_vpc_endpoint.<name>`, and without private DNS `aws_route53_zone.<name>`,
 * `aws_route53_record.<name>_apex`, `aws_route53_record.<name>_wildcard`.
 */
export class ServiceEndpoint extends Construct {
  /** The service's catalog name. */
  readonly service: string;
  /** The private hosted zone; none when the endpoint serves private DNS. */
  readonly zone?: Route53Zone;
  /** The zone's name, e.g. `dkr.ecr.ap-northeast-1.amazonaws.com`. */
  readonly zoneName: string;
  /** The interface endpoint. */
  readonly endpoint: VpcEndpoint;
  /** The endpoint's regional DNS name, the target of every alias record in the zone. */
  readonly aliasTarget: AliasTarget;
  /** Whether the endpoint serves the service's names with private DNS. */
  readonly privateDns: boolean;
  /** The zone's apex and wildcard records (none without a zone; `ecr.dkr`'s registry records are `EcrRegistryRecords`'). */
  readonly records: Route53Record[] = [];

  constructor(scope: Construct, id: string, props: ServiceEndpointProps) {
    super(scope, id);
    const entry = serviceEntry(props.service);
    const name = resourceName(props.service);
    this.service = props.service;
    this.zoneName = zoneName(props.service, props.region);

    // Private DNS stays off unless the Profile holds the endpoint: otherwise the shared zone below
    // plays its part, for the hub and every spoke VPC.
    const protect = props.protect ?? true;
    this.privateDns = props.privateDns ?? false;
    // A replaced endpoint (the hub moving to another VPC) is created first, so the alias records
    // move to it before the old one goes.
    this.endpoint = new VpcEndpoint(this, 'endpoint', {
      lifecycle: { createBeforeDestroy: true, ...(protect ? { preventDestroy: true } : {}) },
      vpcId: props.vpcId,
      serviceName: endpointServiceName(props.service, props.region),
      vpcEndpointType: 'Interface',
      privateDnsEnabled: this.privateDns,
      // S3's own rule: true would answer only inbound Resolver endpoints (and needs a gateway in the
      // hub VPC); false answers every VPC that sees the endpoint (catalog, s3 entry).
      dnsOptions:
        this.privateDns && props.service === S3 ? { privateDnsOnlyForInboundResolverEndpoint: false } : undefined,
      policy: props.policy,
      subnetIds: [...props.subnetIds],
      securityGroupIds: [props.securityGroupId],
      tags: { Name: `vpce-hub-${props.service}` },
    });
    this.endpoint.overrideLogicalId(name);

    const dnsEntry = this.endpoint.dnsEntry.get(0);
    this.aliasTarget = { dnsName: dnsEntry.dnsName, hostedZoneId: dnsEntry.hostedZoneId };
    if (this.privateDns) return;

    // Spoke VPCs are associated by their own stacks (aws_route53_zone_association). Inline `vpc`
    // blocks are exclusive, so the zone must ignore them or every hub apply would drop the spokes.
    // Ignoring them also means a changed hub.vpcId would never reach the zone: the postcondition
    // refuses that plan instead of leaving the new hub VPC without its zones.
    this.zone = new Route53Zone(this, 'zone', {
      name: this.zoneName,
      comment: `vpce-hub: ${props.service} interface endpoint, shared with spoke VPCs`,
      vpc: [{ vpcId: props.vpcId, vpcRegion: props.region }],
      lifecycle: {
        ignoreChanges: ['vpc'],
        ...(protect ? { preventDestroy: true } : {}),
        postcondition: [
          {
            condition: `\${contains(self.vpc[*].vpc_id, "${props.vpcId}")}`,
            errorMessage:
              `The hub VPC ${props.vpcId} (hub.vpcId) is not associated with the zone ${this.zoneName}: the zone was ` +
              `created with another hub VPC, and vpce-hub does not move zones between VPCs. Put the previous hub.vpcId ` +
              `back, or associate ${props.vpcId} with each hub zone first (aws route53 associate-vpc-with-hosted-zone), ` +
              `then plan again. See docs/troubleshooting.md.`,
          },
        ],
      },
      tags: { Name: this.zoneName },
      dependsOn: props.zoneAfterEndpoint ? [this.endpoint] : undefined,
    });
    this.zone.overrideLogicalId(name);
    const zone = this.zone;

    if (entry.records.includes('apex')) {
      this.records.push(
        aliasRecord(this, {
          name: `${name}_apex`,
          zoneId: zone.zoneId,
          recordName: this.zoneName,
          target: this.aliasTarget,
        }),
      );
    }
    if (entry.records.includes('wildcard')) {
      this.records.push(
        aliasRecord(this, {
          name: `${name}_wildcard`,
          zoneId: zone.zoneId,
          recordName: `*.${this.zoneName}`,
          target: this.aliasTarget,
        }),
      );
    }
  }
}
