/**
 * What the resolver model does not see, and the live doctor must: a name that resolves to an
 * endpoint a workload still cannot use (the endpoint not available, no network interface in use,
 * its security group not admitting the VPC on tcp/443), and a VPC whose DNS does not reach the
 * Route 53 Resolver (DNS support off, DHCP options naming other DNS servers).
 */
import { cidrContains } from '../../config/cidr';
import type { Answer } from '../resolver-model';
import { endpointAddress } from './observed-output';
import type { ObservedHub, ObservedVpc } from './observed';

/** Whether a rule admits tcp/443. */
function admitsHttps(rule: ObservedHub['ingressRules'][number]): boolean {
  if (rule.protocol === '-1' || rule.protocol === 'all') return true;
  return (rule.protocol === 'tcp' || rule.protocol === '6') && rule.fromPort <= 443 && rule.toPort >= 443;
}

/** Why `vpc`'s workloads cannot ask the Route 53 Resolver at all, if they cannot. */
export function dnsProblem(vpc: ObservedVpc): string | undefined {
  if (!vpc.exists) return `${vpc.vpcId} does not exist in this account and region`;
  if (!vpc.enableDnsSupport) {
    return (
      `${vpc.vpcId} has enableDnsSupport off: the Amazon-provided resolver answers nothing in it. ` +
      'Turn it on (aws ec2 modify-vpc-attribute --enable-dns-support)'
    );
  }
  const amazon = vpc.dnsServers.some((s) => s === 'AmazonProvidedDNS' || s === '169.254.169.253');
  if (!amazon) {
    return (
      `${vpc.vpcId}'s DHCP options ${vpc.dhcpOptionsId ?? ''} name the DNS servers ${vpc.dnsServers.join(', ') || '(none)'}, ` +
      `not AmazonProvidedDNS: they do not see the VPC's private zones or Profile unless they forward to its Route 53 Resolver`
    );
  }
  return undefined;
}

/** Why an answer through the endpoint `endpointId` does not reach it from `vpc`, if it does not. */
export function endpointProblem(hub: ObservedHub, endpointId: string, vpc: ObservedVpc): string | undefined {
  const endpoint = hub.endpoints.find((e) => e.id === endpointId);
  if (!endpoint) return undefined;
  if (endpoint.state.toLowerCase() !== 'available') {
    return `the endpoint ${endpoint.id} (${endpoint.serviceName}) is ${endpoint.state}, not available`;
  }
  const inUse = endpoint.networkInterfaceIds.filter((id) => hub.networkInterfaces.get(id) === 'in-use');
  if (endpoint.type === 'Interface' && inUse.length === 0) {
    return `the endpoint ${endpoint.id} (${endpoint.serviceName}) has no network interface in use`;
  }
  const rules = hub.ingressRules.filter((r) => endpoint.securityGroupIds.includes(r.groupId) && admitsHttps(r));
  const blocked = vpc.cidrs.filter((cidr) => !rules.some((rule) => rule.cidr && cidrContains(rule.cidr, cidr)));
  if (endpoint.type === 'Interface' && blocked.length > 0) {
    return (
      `the security group ${endpoint.securityGroupIds.join(', ')} of the endpoint ${endpoint.id} admits no tcp/443 ` +
      `from ${blocked.join(', ')} (${vpc.vpcId}): add the CIDR to hub.allowedCidrs, or deploy the hub again if it is there`
    );
  }
  return undefined;
}

/** An answer judged with what the model cannot see: the VPC's DNS and the endpoint's reachability. */
export function reachable(answer: Answer, hub: ObservedHub, vpc: ObservedVpc): Answer {
  const dns = dnsProblem(vpc);
  if (dns) return { host: answer.host, result: 'no-dns', reason: dns };
  if (answer.result !== 'ok' || !answer.path) return answer;
  const endpoint = hub.endpoints.find(
    (e) => answer.path!.includes(`${endpointAddress(e.id)} `) || answer.path!.endsWith(endpointAddress(e.id)),
  );
  const problem = endpoint ? endpointProblem(hub, endpoint.id, vpc) : undefined;
  return problem ? { host: answer.host, result: 'unreachable', reason: `${answer.path}: ${problem}` } : answer;
}
