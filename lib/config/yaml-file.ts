/**
 * A YAML file read with its source positions, so that every problem can name its line.
 *
 * Reading is defensive: the file is checked to be a regular file of sane size before it is opened
 * for reading, and YAML that would exhaust the process (deep nesting, alias "bombs") is refused
 * with a problem instead of a crash, so a mistake or a hostile file never produces a stack trace.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import {
  Composer,
  type CST,
  Document,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  LineCounter,
  Parser,
  visit,
  type Alias,
  type Node,
  type YAMLError,
} from 'yaml';
import type { Problem } from './problems';

/** A path into a YAML document: map keys and list indexes. */
export type DocPath = readonly PropertyKey[];

/** Renders a path as `accounts[2].vpcIds[0]`. */
export function formatPath(path: DocPath): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

/**
 * The largest config file read: 2 MiB. An accounts.yaml of 1000 accounts with three VPCs each is
 * about 100 KB (measured with test/fixtures/generate-config.ts), and the Route 53 quota of VPCs per zone
 * keeps a hub to a few thousand VPCs, so no real configuration comes within a tenth of it; a bigger
 * file is a mistake (a log or a dump saved under the config's name), and refusing it before reading
 * it keeps a 47 MB file from taking minutes and gigabytes to parse.
 */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * The most values (scalars, lists and maps) a file may hold once its aliases are expanded. A file
 * within {@link MAX_FILE_BYTES} has fewer values than bytes, so only aliases can exceed this: it
 * refuses "billion laughs" files, whose few lines expand to billions of values.
 */
export const MAX_VALUES = MAX_FILE_BYTES;

/** The deepest nesting of lists and maps read. A config file needs 4 levels; deeper is a mistake or an attack. */
export const MAX_DEPTH = 32;

function size(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB (${bytes.toLocaleString('en-US')} bytes)`;
}

/** What kind of file system entry a non-regular file is, for the message. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** One parsed YAML file. `data` is undefined when the file is missing or not valid YAML. */
export class YamlFile {
  /**
   * Reads `path`; `label` is how problems name the file (e.g. `config/hub.yaml`). Anything that is
   * not a regular file within {@link MAX_FILE_BYTES} is refused before it is opened for reading, so
   * a named pipe cannot block the app and a huge file is not read at all.
   */
  static read(path: string, label: string): YamlFile {
    const refuse = (message: string): YamlFile =>
      new YamlFile(label, undefined, undefined, undefined, [{ file: label, path: '', message }]);
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        return refuse(
          "file not found. Create it (the repository's config/ folder has an example) or set VPCE_CONFIG_DIR to " +
            'the folder that holds hub.yaml and accounts.yaml.',
        );
      }
      return refuse(`cannot be read (${code ?? (error as Error).message}). Check the path and its permissions.`);
    }
    if (stats.isDirectory()) {
      return refuse(
        'is a folder, not a file. Put the YAML file at this path, or set VPCE_CONFIG_DIR to the folder that holds hub.yaml and accounts.yaml.',
      );
    }
    if (!stats.isFile()) {
      return refuse(
        `is ${kindOf(stats)}, not a regular file; vpce-hub reads its configuration from regular files only. Replace it with the YAML file.`,
      );
    }
    if (stats.size > MAX_FILE_BYTES) {
      return refuse(
        `is ${size(stats.size)}; a config file may be at most ${size(MAX_FILE_BYTES)}, and 1000 accounts of three ` +
          `VPCs each take about 100 KB. Check that this is the right file.`,
      );
    }

    let bytes: Buffer;
    try {
      // O_NONBLOCK: should the path have been swapped for a named pipe since the check, opening it
      // does not wait for a writer, and the check below refuses it.
      const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        if (!fstatSync(fd).isFile()) {
          return refuse('is not a regular file; vpce-hub reads its configuration from regular files only.');
        }
        // Read at most one byte more than allowed, so a file that grew since the check stays bounded.
        const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
        let length = 0;
        for (let n = -1; n !== 0 && length < buffer.length; length += n) {
          n = readSync(fd, buffer, length, buffer.length - length, null);
        }
        if (length > MAX_FILE_BYTES) {
          return refuse(
            `is larger than ${size(MAX_FILE_BYTES)}, the most a config file may be. Check that this is the right file.`,
          );
        }
        bytes = buffer.subarray(0, length);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return refuse(`cannot be read (${code ?? (error as Error).message}). Check the file and its permissions.`);
    }

    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return refuse('is not UTF-8 text. Save it as UTF-8 (plain YAML text).');
    }
    return YamlFile.parse(text, label);
  }

  /** Parses YAML text; syntax errors, runaway nesting and alias problems become problems with their lines. */
  static parse(text: string, label: string): YamlFile {
    const lines = new LineCounter();
    const at = (offset: number, message: string): Problem => {
      const pos = lines.linePos(offset);
      return { file: label, line: pos.line, column: pos.col, path: '', message };
    };
    const fail = (problems: Problem[]): YamlFile => new YamlFile(label, undefined, undefined, undefined, problems);

    // Tokens first (the parser keeps its own stack), so that nesting is measured before the
    // recursive composer sees it: thousands of levels overflow the stack, which V8 does not always
    // survive.
    const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
    const deep = tooDeep(tokens);
    if (deep !== undefined) {
      return fail([
        at(
          deep,
          `lists and maps are nested more than ${MAX_DEPTH} levels deep here; a vpce-hub config needs 4 at most. Check the brackets and the indentation.`,
        ),
      ]);
    }

    let doc: Document.Parsed | undefined;
    for (const next of new Composer({ uniqueKeys: true, prettyErrors: false, logLevel: 'error' }).compose(
      tokens,
      true,
      text.length,
    )) {
      if (!doc) {
        doc = next;
      } else {
        return fail([
          at(
            next.range[0],
            'a second YAML document starts here (after ---); a config file holds one document. Remove the --- line or move the rest to its own file.',
          ),
        ]);
      }
    }
    if (!doc) return fail([at(0, 'the file could not be read as YAML.')]);

    const syntax = syntaxProblems(doc.errors, lines, label);
    if (syntax.length > 0) return fail(syntax);

    const unsupported = unsupportedYaml(doc, text, at);
    if (unsupported.length > 0) return fail(unsupported);

    const aliases = aliasProblems(doc, (offset, message) => at(offset, message));
    if (aliases.length > 0) return fail(aliases);

    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_VALUES });
    } catch (error) {
      // Not expected after the checks above; still a problem of this file, not a crash.
      return fail([{ file: label, path: '', message: `the YAML could not be read: ${(error as Error).message}.` }]);
    }
    return new YamlFile(label, doc, lines, data, []);
  }

  private constructor(
    /** How problems name the file. */
    readonly label: string,
    private readonly doc: Document | undefined,
    private readonly lines: LineCounter | undefined,
    /** The plain data, or undefined when the file could not be read. */
    readonly data: unknown,
    /** Problems found while reading (missing file, YAML syntax, aliases). */
    readonly problems: readonly Problem[],
  ) {}

  /** The deepest node that exists along `path` (the path itself when it exists). */
  private nodeAt(path: DocPath): { node: Node | undefined; exact: boolean } {
    if (!this.doc) return { node: undefined, exact: false };
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n) as PropertyKey[], true);
      if (node && (isScalar(node) || isCollection(node) || isAlias(node))) {
        return { node: node as Node, exact: n === path.length };
      }
    }
    return { node: undefined, exact: false };
  }

  /** The key node of `key` in the map at `path`, for pointing at an unknown key. */
  private keyNode(path: DocPath, key: string): Node | undefined {
    const map = path.length === 0 ? this.doc?.contents : this.doc?.getIn(path as PropertyKey[], true);
    if (!isMap(map)) return undefined;
    const pair = map.items.find((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === key);
    return pair && isScalar(pair.key) ? pair.key : undefined;
  }

  private position(node: Node | undefined): { line?: number; column?: number } {
    if (!node?.range || !this.lines) return { line: 1, column: 1 };
    const pos = this.lines.linePos(node.range[0]);
    return { line: pos.line, column: pos.col };
  }

  /** Whether the value at `path` is written as nothing at all (`accounts:` and the line ends). */
  private isEmptyValue(path: DocPath): boolean {
    const { node, exact } = this.nodeAt(path);
    return exact && isScalar(node) && node.value === null && ((node as { source?: string }).source ?? '') === '';
  }

  /** 1-based line of the value at `path` (or of its nearest existing parent). */
  lineOf(path: DocPath): number | undefined {
    return this.position(this.nodeAt(path).node).line;
  }

  /** The value at `path` exactly as written in the file (`012345678901`, `"x"`, `*alias`), if it exists. */
  sourceOf(path: DocPath): string | undefined {
    const { node, exact } = this.nodeAt(path);
    if (!exact || !node) return undefined;
    if (isAlias(node)) return `*${node.source}`;
    if (isScalar(node)) {
      const source = (node as { source?: string }).source;
      if (node.value === null && (source ?? '') === '') return undefined;
      return node.type === 'PLAIN' && source !== undefined ? source : JSON.stringify(node.value);
    }
    // Without a context, aliases inside stay unexpanded ({ source }), so this is cheap.
    const text = JSON.stringify(node.toJSON());
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }

  /** Whether the value at `path` was written as an unquoted number (e.g. `id: 012345678901`). */
  isUnquotedNumber(path: DocPath): boolean {
    const { node, exact } = this.nodeAt(path);
    return exact && isScalar(node) && node.type === 'PLAIN' && typeof node.value === 'number';
  }

  /**
   * A problem located at `path` in this file, quoting the value written there. An empty value
   * (`accounts:` with nothing after it) is located at its key and quotes nothing.
   */
  problemAt(path: DocPath, message: string, options: { quoteValue?: boolean } = {}): Problem {
    const last = path[path.length - 1];
    if (typeof last === 'string' && this.isEmptyValue(path)) {
      const keyNode = this.keyNode(path.slice(0, -1), last);
      if (keyNode) return { file: this.label, ...this.position(keyNode), path: formatPath(path), message };
    }
    const { node } = this.nodeAt(path);
    const value = options.quoteValue === false ? undefined : this.sourceOf(path);
    return { file: this.label, ...this.position(node), path: formatPath(path), value, message };
  }

  /** A problem located at the key `key` of the map at `path` (for unknown keys). */
  problemAtKey(path: DocPath, key: string, message: string): Problem {
    const node = this.keyNode(path, key) ?? this.nodeAt(path).node;
    return { file: this.label, ...this.position(node), path: formatPath([...path, key]), message };
  }
}

/** The offset of the first list or map nested deeper than {@link MAX_DEPTH}, if any; without recursion. */
function tooDeep(tokens: readonly CST.Token[]): number | undefined {
  const stack: Array<[CST.Token, number]> = [];
  for (const token of tokens) if (token.type === 'document' && token.value) stack.push([token.value, 0]);
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [token, depth] = entry;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth + 1 > MAX_DEPTH) return token.offset;
    for (const item of token.items as CST.CollectionItem[]) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

/**
 * YAML errors as problems, one per underlying mistake: a tab in the indentation throws the parser
 * off for the lines after it, so when there are tabs only they are reported (each line once, with
 * what to do); otherwise at most one error per line.
 */
function syntaxProblems(errors: readonly YAMLError[], lines: LineCounter, label: string): Problem[] {
  const tabs = errors.filter((error) => error.code === 'TAB_AS_INDENT');
  const relevant = tabs.length > 0 ? tabs : errors;
  const seen = new Set<number>();
  const problems: Problem[] = [];
  for (const error of relevant) {
    const pos = lines.linePos(error.pos[0]);
    if (seen.has(pos.line)) continue;
    seen.add(pos.line);
    problems.push({ file: label, line: pos.line, column: pos.col, path: '', message: syntaxMessage(error) });
  }
  return problems;
}

function syntaxMessage(error: YAMLError): string {
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return (
        'YAML syntax error: this line is indented with a tab. YAML indentation must use spaces, not tabs: replace ' +
        'the tab with spaces (2 per level, as in the lines around it).'
      );
    case 'DUPLICATE_KEY':
      return 'YAML syntax error: this key is written twice in the same map. Keep one of them (merge their values if both matter).';
    case 'RESOURCE_EXHAUSTION':
      return 'YAML syntax error: this value is too large or too deeply nested to read. Check the brackets and the indentation.';
    default:
      return `YAML syntax error: ${error.message.split('\n')[0]}. Fix the YAML at this line (check indentation, quotes and brackets).`;
  }
}

/**
 * YAML that parses but that vpce-hub does not take: a `%YAML 1.1` directive (YAML 1.1 reads `yes`
 * as true, `0777` as octal and `<<` as a merge key; the config is YAML 1.2), tags the schema does
 * not know (`!custom`), and lists or maps used as map keys.
 */
function unsupportedYaml(
  doc: Document.Parsed,
  text: string,
  at: (offset: number, message: string) => Problem,
): Problem[] {
  const problems: Problem[] = [];
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== '1.2') {
    problems.push(
      at(
        Math.max(0, text.search(/^%YAML/m)),
        `the %YAML ${doc.directives.yaml.version} directive is not supported: vpce-hub reads YAML 1.2. Remove ` +
          `this line (and the --- after it, if nothing else needs it).`,
      ),
    );
  }
  for (const warning of doc.warnings) {
    const message =
      warning.code === 'TAG_RESOLVE_FAILED'
        ? `YAML tags are not supported (${warning.message.split('\n')[0]}): a vpce-hub config takes plain values. Remove the tag.`
        : `YAML: ${warning.message.split('\n')[0]}. Fix or remove this line.`;
    problems.push(at(warning.pos[0], message));
  }
  visit(doc, {
    Pair(_key, pair) {
      if (isCollection(pair.key)) {
        problems.push(
          at(
            (pair.key as Node).range?.[0] ?? 0,
            'a list or map is used as a map key here. Keys are plain names (e.g. accountId:); check for a stray "?" or brackets.',
          ),
        );
      }
    },
  });
  return problems;
}

/**
 * Alias problems, found before the data is built: an alias without its anchor, an alias inside the
 * value it names (an endless value), and aliases that expand the file beyond {@link MAX_VALUES}
 * values. Each alias resolves as YAML specifies and the `yaml` library does: to the last anchor of
 * its name before it.
 */
function aliasProblems(doc: Document.Parsed, at: (offset: number, message: string) => Problem): Problem[] {
  const sources = new Map<Alias, Node | undefined>();
  const anchors = new Map<string, Node>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        sources.set(node, anchors.get(node.source));
      } else if (node.anchor) {
        anchors.set(node.anchor, node);
      }
    },
  });
  if (sources.size === 0) return [];

  const problems: Problem[] = [];
  for (const [alias, source] of sources) {
    if (!source) {
      problems.push(
        at(
          alias.range?.[0] ?? 0,
          `the alias *${alias.source} has no anchor: no value before it is marked &${alias.source}. Mark the value ` +
            `to repeat with &${alias.source} above this line, or write the value out here.`,
        ),
      );
    }
  }

  // Values per node once expanded, memoized per node, so that counting stays linear in the file.
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  const loops: Alias[] = [];
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const source = sources.get(node);
      if (!source) return 1;
      if (open.has(source)) {
        loops.push(node);
        return 1;
      }
      return size(source);
    }
    if (!isCollection(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    open.add(node);
    let total = 1;
    for (const item of node.items) total += isPair(item) ? size(item.key) + size(item.value) : size(item);
    open.delete(node);
    sizes.set(node, total);
    return total;
  };
  const total = size(doc.contents);
  for (const alias of loops) {
    problems.push(
      at(
        alias.range?.[0] ?? 0,
        `the alias *${alias.source} is inside the value marked &${alias.source}, so that value would contain itself without end. Write the value out instead.`,
      ),
    );
  }
  if (total > MAX_VALUES) {
    // Point at the alias that repeats the most: where the file blows up.
    let worst: Alias | undefined;
    let worstSize = 0;
    for (const [alias, source] of sources) {
      const n = source ? size(source) : 0;
      if (n > worstSize) [worst, worstSize] = [alias, n];
    }
    problems.push(
      at(
        worst?.range?.[0] ?? 0,
        `too many aliases: with its aliases expanded (each *name repeats the whole value marked &name), the file ` +
          `holds more than ${MAX_VALUES.toLocaleString('en-US')} values, as a "billion laughs" YAML bomb does. ` +
          `A vpce-hub config needs far fewer: write the values out, or repeat fewer of them.`,
      ),
    );
  }
  return problems;
}
