/**
 * DNS names as Route 53 takes and gives them.
 */

/**
 * A name as the fake keeps it: lower case, no trailing dot, Route 53's octal escapes (`\052` for `*`)
 * decoded.
 */
export function normalizeName(name: string): string {
  return name
    .replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    .toLowerCase()
    .replace(/\.$/, '');
}

/**
 * A name as Route 53 returns it: fully qualified (trailing dot), and every character other than
 * a-z, 0-9, `-`, `_` and `.` as a three-digit octal escape (`*` is `\052`).
 */
export function route53Name(name: string): string {
  return `${name.replace(/[^a-z0-9\-_.]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`)}.`;
}

/** Whether `name` is `zone` or a name below it. */
export function isWithin(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** Route 53's order of record sets: by name with its labels reversed, then by type. */
export function recordOrderKey(name: string, type: string): string {
  return `${name.split('.').reverse().join('.')}\u0000${type}`;
}

/** `arn:aws:route53:::hostedzone/<id>` -> the zone ID. */
export function hostedZoneIdOfArn(arn: string): string | undefined {
  return /^arn:aws[\w-]*:route53:::hostedzone\/([A-Z0-9]+)$/.exec(arn)?.[1];
}

/** The ARN Route 53 gives a hosted zone. */
export function hostedZoneArn(zoneId: string): string {
  return `arn:aws:route53:::hostedzone/${zoneId}`;
}
