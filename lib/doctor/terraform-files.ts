/**
 * A stack's configuration as Terraform reads it, not only as cdktf wrote it: Terraform loads every
 * `.tf` and `.tf.json` file of the folder it runs in, and merges the override files
 * (`override.tf.json`, `*_override.tf.json`, and their `.tf` forms) into the others, in the order
 * of their names. A file beside `cdk.tf.json` changes what Terraform applies, so the doctor judges
 * the stack with its JSON override files merged in exactly as Terraform merges them, and refuses any
 * other file it cannot read the way Terraform would (HCL, a second configuration file).
 *
 * Terraform's merge (Terraform docs, "Override Files"; hashicorp/terraform internal/configs,
 * module.go `mergeFile`, module_merge.go, module_merge_body.go), per top-level block matched by its
 * type and labels:
 * - an argument of the override replaces the original's argument of that name; a nested block
 *   replaces every block of its type (a `dynamic` block counts as a block of its label's type);
 *   nested blocks are never merged;
 * - resources and data sources: `count`, `for_each` and `provider` are replaced like arguments;
 *   a managed resource's `lifecycle` is merged argument by argument (`create_before_destroy`,
 *   `prevent_destroy`, `ignore_changes`; the others are not taken from the override);
 *   `provisioner` and `connection` blocks replace the original's; `depends_on` is refused;
 * - `locals` are replaced value by value, `variable` and `output` argument by argument (`output`:
 *   `value`, `description`, `sensitive`; `depends_on` refused);
 * - `provider` blocks are matched by name and `alias`; a default provider may be new, an aliased
 *   one must exist;
 * - `terraform`: `required_version` replaced, `required_providers` provider by provider, and a
 *   `backend` or `cloud` block replaces both the original's `backend` and `cloud`;
 * - overriding something that does not exist, `moved` and `import` blocks: Terraform refuses them.
 * Files whose names start with `.`, end with `~`, or start and end with `#` are not read (editor
 * files), as Terraform skips them.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

type Json = Record<string, unknown>;

/** Something in a stack the doctor will not judge, and why. */
export interface Refusal {
  readonly stack: string;
  /** The file it is in, when it is about a file beside the stack's JSON. */
  readonly file?: string;
  /** The block or resource it is about (`aws_route53_record.x`, `provider.aws`). */
  readonly address?: string;
  readonly cause: string;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Terraform's configuration file extension of a file name, if it has one. */
function configExtension(name: string): '.tf' | '.tf.json' | undefined {
  if (name.endsWith('.tf.json')) return '.tf.json';
  if (name.endsWith('.tf')) return '.tf';
  return undefined;
}

/** Files Terraform skips: hidden ones, and editor backups (`x~`, `#x#`). */
function ignoredByTerraform(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || (name.startsWith('#') && name.endsWith('#'));
}

/** The shape of a file's content is not HCL's JSON syntax for that block. */
class ShapeError extends Error {}

/**
 * The blocks of one block type in HCL's JSON syntax, each with its labels: `depth` levels of
 * objects keyed by label (any level may also be an array of such objects), then a body (or an array
 * of bodies, one block each). `//` properties are comments.
 */
function labelledBlocks(value: unknown, depth: number): Array<{ labels: string[]; body: Json }> {
  const blocks: Array<{ labels: string[]; body: Json }> = [];
  const walk = (node: unknown, labels: string[]): void => {
    for (const item of Array.isArray(node) ? node : [node]) {
      if (!isObject(item)) throw new ShapeError();
      if (labels.length === depth) {
        blocks.push({ labels, body: item });
        continue;
      }
      for (const [label, inner] of Object.entries(item)) if (label !== '//') walk(inner, [...labels, label]);
    }
  };
  walk(value, []);
  return blocks;
}

/** A block of `json` (a JSON body): an object, or the first of an array of objects; created if absent. */
function blockOf(json: Json, key: string): Json {
  const value = json[key];
  if (Array.isArray(value) && isObject(value[0])) return value[0];
  if (isObject(value)) return value;
  const created: Json = {};
  json[key] = created;
  return created;
}

/** `json[key]` as an object, created if absent (for `resource`, `resource.<type>`, ...). */
function objectAt(json: Json, key: string): Json {
  if (!isObject(json[key])) json[key] = {};
  return json[key] as Json;
}

/**
 * Merges an override body into a base body (Terraform's MergeBodies): each argument and each block
 * type of the override replaces the base's; a `dynamic "x"` block of the override replaces the
 * base's `x` blocks and `dynamic "x"` blocks, and a static `x` block the base's `dynamic "x"`.
 */
function mergeBody(base: Json, override: Json, skip: ReadonlySet<string> = new Set()): void {
  const dynamic = (json: Json) => (isObject(json.dynamic) ? json.dynamic : undefined);
  for (const [key, value] of Object.entries(override)) {
    if (key === '//' || skip.has(key)) continue;
    if (key === 'dynamic') {
      for (const { labels, body } of labelledBlocks(value, 1)) {
        delete base[labels[0]];
        objectAt(base, 'dynamic')[labels[0]] = body;
      }
      continue;
    }
    base[key] = value;
    const baseDynamic = dynamic(base);
    if (baseDynamic) delete baseDynamic[key];
  }
}

/** `lifecycle` of a managed resource: only these three arguments are taken from an override. */
function mergeLifecycle(base: Json, override: unknown): void {
  const from = Array.isArray(override) ? override.filter(isObject) : isObject(override) ? [override] : [];
  for (const lifecycle of from) {
    const into = blockOf(base, 'lifecycle');
    if ('create_before_destroy' in lifecycle) into.create_before_destroy = lifecycle.create_before_destroy;
    if ('prevent_destroy' in lifecycle) into.prevent_destroy = lifecycle.prevent_destroy;
    const ignore = lifecycle.ignore_changes;
    if (ignore === 'all' || (Array.isArray(ignore) && ignore.length > 0 && into.ignore_changes !== 'all')) {
      into.ignore_changes = ignore;
    }
  }
}

/**
 * Merges one override file's content into a stack's configuration; returns what it changed
 * (`aws_route53_record.x (for_each)`) and what Terraform would refuse.
 */
function mergeOverride(
  base: Json,
  override: Json,
): { merged: string[]; refused: Array<{ address?: string; cause: string }> } {
  const refused: Array<{ address?: string; cause: string }> = [];
  const merged: string[] = [];
  const changed = (address: string, body: Json | undefined) => {
    const keys = body ? Object.keys(body).filter((key) => key !== '//') : [];
    merged.push(keys.length > 0 ? `${address} (${keys.join(', ')})` : address);
  };
  const missing = (address: string, what: string) =>
    refused.push({
      address,
      cause: `there is no ${what} to override: Terraform refuses an override file that overrides what no other file declares`,
    });
  for (const [kind, value] of Object.entries(override)) {
    switch (kind) {
      case '//':
        break;
      case 'resource':
      case 'data':
        for (const { labels, body } of labelledBlocks(value, 2)) {
          const [type, name] = labels;
          const address = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
          const existing = isObject(base[kind]) ? (base[kind] as Json)[type] : undefined;
          const into = isObject(existing) ? existing[name] : undefined;
          if (!isObject(into)) {
            missing(address, kind === 'data' ? 'data source of this name' : 'resource of this name');
            continue;
          }
          if (body.depends_on !== undefined) {
            refused.push({
              address,
              cause: 'Terraform refuses depends_on in an override file ("Unsupported override")',
            });
            continue;
          }
          if (kind === 'resource' && body.lifecycle !== undefined) mergeLifecycle(into, body.lifecycle);
          // A data source's lifecycle (its conditions) is not taken from an override.
          mergeBody(into, body, new Set(['lifecycle']));
          changed(address, body);
        }
        break;
      case 'locals':
        for (const { body } of labelledBlocks(value, 0)) {
          for (const [name, expression] of Object.entries(body)) {
            if (name === '//') continue;
            const locals = isObject(base.locals) ? base.locals : undefined;
            if (!locals || !(name in locals)) missing(`local.${name}`, 'local value of this name');
            else {
              locals[name] = expression;
              changed(`local.${name}`, undefined);
            }
          }
        }
        break;
      case 'output':
      case 'variable': {
        const taken =
          kind === 'output'
            ? ['value', 'description', 'sensitive']
            : ['description', 'sensitive', 'default', 'type', 'nullable'];
        for (const { labels, body } of labelledBlocks(value, 1)) {
          const address = `${kind === 'output' ? 'output' : 'var'}.${labels[0]}`;
          const into = isObject(base[kind]) ? (base[kind] as Json)[labels[0]] : undefined;
          if (!isObject(into)) {
            missing(address, `${kind} of this name`);
            continue;
          }
          if (kind === 'output' && body.depends_on !== undefined) {
            refused.push({
              address,
              cause: 'Terraform refuses depends_on in an override file ("Unsupported override")',
            });
            continue;
          }
          for (const key of taken) if (key in body) into[key] = body[key];
          changed(address, body);
        }
        break;
      }
      case 'module':
        for (const { labels, body } of labelledBlocks(value, 1)) {
          const into = isObject(base.module) ? base.module[labels[0]] : undefined;
          if (!isObject(into)) missing(`module.${labels[0]}`, 'module call of this name');
          else {
            mergeBody(into, body);
            changed(`module.${labels[0]}`, body);
          }
        }
        break;
      case 'provider':
        for (const { labels, body } of labelledBlocks(value, 1)) {
          const [name] = labels;
          const alias = typeof body.alias === 'string' ? body.alias : undefined;
          const providers = objectAt(base, 'provider');
          const configs = Array.isArray(providers[name])
            ? (providers[name] as unknown[])
            : providers[name] === undefined
              ? []
              : [providers[name]];
          const into = configs.find(
            (c) => isObject(c) && (typeof c.alias === 'string' ? c.alias : undefined) === alias,
          );
          const address = `provider.${name}${alias === undefined ? '' : `.${alias}`}`;
          if (isObject(into)) mergeBody(into, body);
          else if (alias === undefined) providers[name] = [...configs, { ...body }];
          else {
            missing(address, `${name} provider configuration with this alias`);
            continue;
          }
          changed(address, body);
        }
        break;
      case 'terraform': {
        const settings = labelledBlocks(value, 0);
        const into = blockOf(base, 'terraform');
        const backends = settings.flatMap(({ body }) =>
          body.backend === undefined ? [] : labelledBlocks(body.backend, 1),
        );
        const clouds = settings.flatMap(({ body }) => (body.cloud === undefined ? [] : labelledBlocks(body.cloud, 0)));
        if (backends.length > 1 || clouds.length > 1) {
          refused.push({
            address: 'terraform',
            cause: 'more than one backend or cloud block: Terraform refuses that in one override file',
          });
        }
        for (const { body } of settings) {
          for (const [key, setting] of Object.entries(body)) {
            if (key === '//') continue;
            if (key === 'backend') {
              delete into.cloud;
              into.backend = Object.fromEntries(labelledBlocks(setting, 1).map((b) => [b.labels[0], b.body]));
            } else if (key === 'cloud') {
              delete into.backend;
              into.cloud = labelledBlocks(setting, 0)[0]?.body ?? {};
            } else if (key === 'required_providers') {
              const requirements = objectAt(into, 'required_providers');
              for (const { body: providers } of labelledBlocks(setting, 0)) {
                for (const [name, requirement] of Object.entries(providers)) {
                  if (name !== '//') requirements[name] = requirement;
                }
              }
            } else {
              into[key] = setting;
            }
          }
          changed('terraform', body);
        }
        break;
      }
      case 'moved':
      case 'import':
        refused.push({
          address: kind,
          cause: `Terraform refuses ${kind} blocks in an override file ("Cannot override '${kind}' blocks")`,
        });
        break;
      default:
        refused.push({
          address: kind,
          cause: `the doctor does not know how Terraform merges "${kind}" blocks from an override file`,
        });
    }
  }
  return { merged, refused };
}

/** Whether `to` lies outside the folder `from`. */
function outside(from: string, to: string): boolean {
  const rel = relative(from, to);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/**
 * The configuration Terraform applies for the stack `stack`, whose synthesized JSON `json` (parsed
 * from `stackFile`) Terraform reads in `workingDirectory`: `json` with every JSON override file of
 * that folder merged in (changed in place), what each override file changed
 * (`<file>: aws_route53_record.x (for_each)`), and every file there the doctor cannot judge.
 * `outdir` is the synth output folder, which no file may link out of.
 */
export function terraformConfiguration(
  stack: string,
  stackFile: string,
  json: Json,
  workingDirectory: string,
  outdir: string,
): { json: Json; overrides: string[]; refusals: Refusal[] } {
  const refusals: Refusal[] = [];
  const overridden: string[] = [];
  let names: string[];
  try {
    names = readdirSync(workingDirectory).sort();
  } catch {
    return { json, overrides: overridden, refusals }; // no folder to run Terraform in: nothing beside the stack's JSON
  }
  const stackPath = realpathSync(stackFile);
  const overrides: string[] = [];
  for (const name of names) {
    const extension = configExtension(name);
    if (!extension || ignoredByTerraform(name)) continue;
    const file = join(workingDirectory, name);
    let real: string;
    try {
      if (statSync(file).isDirectory()) continue;
      real = realpathSync(file);
    } catch {
      refusals.push({ stack, file, cause: 'cannot be read (a broken link?); Terraform would fail on it' });
      continue;
    }
    if (real === stackPath) continue;
    const base = name.slice(0, -extension.length);
    const isOverride = base === 'override' || base.endsWith('_override');
    if (extension === '.tf') {
      refusals.push({
        stack,
        file,
        cause:
          `Terraform reads this HCL ${isOverride ? 'override ' : ''}file with the stack's JSON ` +
          `and applies what it says, and the doctor cannot judge HCL; remove it or write it as .tf.json`,
      });
    } else if (!isOverride) {
      refusals.push({
        stack,
        file,
        cause:
          "Terraform reads this configuration file with the stack's JSON and applies what it declares, and the " +
          'doctor judges only the synthesized JSON and its override files (override.tf.json, *_override.tf.json); ' +
          'remove it, or make it an override file',
      });
    } else if (outside(realpathSync(outdir), real)) {
      refusals.push({ stack, file, cause: `is a link to outside ${outdir}; refused` });
    } else {
      overrides.push(file);
    }
  }
  for (const file of overrides) {
    let override: unknown;
    try {
      override = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      refusals.push({
        stack,
        file,
        cause: `not valid JSON (${(error as Error).message}); Terraform would refuse it too`,
      });
      continue;
    }
    if (!isObject(override)) {
      refusals.push({ stack, file, cause: 'not a JSON object; Terraform would refuse it too' });
      continue;
    }
    try {
      const { merged, refused } = mergeOverride(json, override);
      for (const change of merged) overridden.push(`${file}: ${change}`);
      for (const refusal of refused) refusals.push({ stack, file, ...refusal });
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      refusals.push({
        stack,
        file,
        cause: "its blocks are not in Terraform's JSON syntax (objects keyed by block type and labels)",
      });
    }
  }
  return { json, overrides: overridden, refusals };
}
