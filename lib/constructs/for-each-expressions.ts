/**
 * Terraform expressions for the `for_each` bodies of the per-pair resources (authorizations and
 * associations), written as plain strings.
 *
 * cdktf tokens would render the same text, but each token records a full stack trace every time it
 * is resolved: with 1000 spoke stacks that was 17,000 stack traces and about a third of the synth
 * time. The names used here are the logical IDs these constructs set themselves.
 */

/** `${each.value.<attribute>}`. */
export function eachValue(attribute: string): string {
  return `\${each.value.${attribute}}`;
}

/** `${<map>[each.value.<attribute>]}`: the entry of a map expression picked by the instance's value. */
export function lookupByEachValue(map: string, attribute: string): string {
  return `\${${map}[each.value.${attribute}]}`;
}
