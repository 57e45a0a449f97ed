/**
 * A YAML file read with its source positions, so that every problem can name its line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Document, isCollection, isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { Problem } from './problems';

/** A path into a YAML document: map keys and list indexes. */
export type DocPath = readonly PropertyKey[];

/** Renders a path as `accounts[2].vpcIds[0]`. */
export function formatPath(path: DocPath): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

/** One parsed YAML file. `data` is undefined when the file is missing or not valid YAML. */
export class YamlFile {
  /** Reads `path`; `label` is how problems name the file (e.g. `config/hub.yaml`). */
  static read(path: string, label: string): YamlFile {
    if (!existsSync(path)) {
      return new YamlFile(label, undefined, undefined, [
        {
          file: label,
          path: '',
          message:
            'file not found. Create it (the repository\'s config/ folder has an example) or set VPCE_CONFIG_DIR to the folder that holds hub.yaml and accounts.yaml.',
        },
      ]);
    }
    return YamlFile.parse(readFileSync(path, 'utf8'), label);
  }

  /** Parses YAML text; syntax errors become problems with their lines. */
  static parse(text: string, label: string): YamlFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const syntax: Problem[] = doc.errors.map((error) => {
      const pos = lines.linePos(error.pos[0]);
      return {
        file: label,
        line: pos.line,
        column: pos.col,
        path: '',
        message: `YAML syntax error: ${error.message.split('\n')[0]}. Fix the YAML at this line (check indentation, quotes and brackets).`,
      };
    });
    if (syntax.length > 0) {
      return new YamlFile(label, undefined, undefined, syntax);
    }
    return new YamlFile(label, doc, lines, []);
  }

  private constructor(
    /** How problems name the file. */
    readonly label: string,
    private readonly doc: Document | undefined,
    private readonly lines: LineCounter | undefined,
    /** Problems found while reading (missing file, YAML syntax). */
    readonly problems: readonly Problem[],
  ) {}

  /** The plain data, or undefined when the file could not be read. */
  get data(): unknown {
    return this.doc?.toJS();
  }

  /** The deepest node that exists along `path` (the path itself when it exists). */
  private nodeAt(path: DocPath): { node: Node | undefined; exact: boolean } {
    if (!this.doc) return { node: undefined, exact: false };
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n) as PropertyKey[], true);
      if (node && (isScalar(node) || isCollection(node))) return { node: node as Node, exact: n === path.length };
    }
    return { node: undefined, exact: false };
  }

  /** The key node of `key` in the map at `path`, for pointing at an unknown key. */
  private keyNode(path: DocPath, key: string): Node | undefined {
    const map = this.doc?.getIn(path as PropertyKey[], true) ?? (path.length === 0 ? this.doc?.contents : undefined);
    if (!isMap(map)) return undefined;
    const pair = map.items.find((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === key);
    return pair && isScalar(pair.key) ? pair.key : undefined;
  }

  private position(node: Node | undefined): { line?: number; column?: number } {
    if (!node?.range || !this.lines) return { line: 1, column: 1 };
    const pos = this.lines.linePos(node.range[0]);
    return { line: pos.line, column: pos.col };
  }

  /** 1-based line of the value at `path` (or of its nearest existing parent). */
  lineOf(path: DocPath): number | undefined {
    return this.position(this.nodeAt(path).node).line;
  }

  /** The value at `path` exactly as written in the file (`012345678901`, `"x"`), if it exists. */
  sourceOf(path: DocPath): string | undefined {
    const { node, exact } = this.nodeAt(path);
    if (!exact || !node) return undefined;
    if (isScalar(node)) {
      const source = (node as { source?: string }).source;
      return node.type === 'PLAIN' && source !== undefined ? source : JSON.stringify(node.value);
    }
    const text = JSON.stringify(node.toJSON());
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  }

  /** Whether the value at `path` was written as an unquoted number (e.g. `id: 012345678901`). */
  isUnquotedNumber(path: DocPath): boolean {
    const { node, exact } = this.nodeAt(path);
    return exact && isScalar(node) && node.type === 'PLAIN' && typeof node.value === 'number';
  }

  /** A problem located at `path` in this file, quoting the value written there. */
  problemAt(path: DocPath, message: string, options: { quoteValue?: boolean } = {}): Problem {
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
