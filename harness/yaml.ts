/**
 * YAML with source positions, for every file a user writes (scenarios, gate configs, chaos
 * plans): a syntax error names the file and line, and any field can be traced to its line.
 * Alias expansion is bounded: an alias bomb (anchors of aliases of anchors, "billion laughs")
 * is bad input, refused with the line of its first alias.
 */
import { parseDocument, LineCounter, isMap, isSeq, visit, type Document, type Node as YamlNode } from 'yaml';
import { InputError } from './errors.ts';

/**
 * The most nodes that aliases may expand to, counted as the yaml package counts them (each
 * alias's use times the size of what it names). Scenarios, gate configs and chaos plans need
 * a handful; the package's default (100) is kept, and named here so the message can say it.
 */
const MAX_ALIAS_EXPANSION = 100;

export interface ParsedYaml {
  doc: Document.Parsed;
  /** 1-based line of a source offset. */
  lineAt(offset: number): number;
  /**
   * The line of the node at `path` (keys and indexes), or of the deepest node on the way that
   * exists; undefined for an empty document.
   */
  lineOf(path: readonly (string | number)[]): number | undefined;
  /**
   * The document as plain data, aliases expanded up to MAX_ALIAS_EXPANSION; beyond that (an
   * alias bomb) an InputError naming the file and the line of the first alias.
   */
  toJS(): unknown;
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    throw new InputError(`YAML syntax error: ${err.message.split('\n')[0]}`, {
      file,
      line: lineCounter.linePos(err.pos[0]).line,
      hint: 'Fix the YAML syntax (indentation, quotes, colons) at that line.',
    });
  }
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const lineOf = (path: readonly (string | number)[]) => {
    let node: unknown = doc.contents;
    let found = node as YamlNode | undefined;
    for (const key of path) {
      const next = isMap(node) ? node.get(key, true) : isSeq(node) && typeof key === 'number' ? node.items[key] : undefined;
      if (next === undefined || next === null) break;
      node = next;
      found = next as YamlNode;
    }
    const offset = found?.range?.[0];
    return offset === undefined ? undefined : lineAt(offset);
  };
  const toJS = () => {
    try {
      return doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
    } catch (e) {
      if (!(e instanceof ReferenceError)) throw e;
      let first: number | undefined;
      visit(doc, {
        Alias(_key, node) {
          first = node.range?.[0];
          return visit.BREAK;
        },
      });
      const line = first === undefined ? 1 : lineAt(first);
      if (/excessive alias count/i.test(e.message)) {
        throw new InputError(`YAML aliases expand to more than ${MAX_ALIAS_EXPANSION} nodes (an alias bomb?)`, {
          file,
          line,
          hint: 'Write the values out, or use fewer aliases (*name) of anchors (&name) that themselves hold aliases.',
        });
      }
      throw new InputError(`YAML alias: ${e.message}`, { file, line, hint: 'Define each anchor (&name) before its aliases (*name).' });
    }
  };
  return { doc, lineAt, lineOf, toJS };
}
