/**
 * YAML with source positions, for every file a user writes (scenarios, gate configs, chaos
 * plans): a syntax error names the file and line, and any field can be traced to its line.
 */
import { parseDocument, LineCounter, isMap, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { InputError } from './errors.ts';

export interface ParsedYaml {
  doc: Document.Parsed;
  /** 1-based line of a source offset. */
  lineAt(offset: number): number;
  /**
   * The line of the node at `path` (keys and indexes), or of the deepest node on the way that
   * exists; undefined for an empty document.
   */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    throw new InputError(`YAML syntax error: ${err.message.split('\n')[0]}`, file, lineCounter.linePos(err.pos[0]).line, undefined, 'Fix the YAML syntax (indentation, quotes, colons) at that line.');
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
  return { doc, lineAt, lineOf };
}
