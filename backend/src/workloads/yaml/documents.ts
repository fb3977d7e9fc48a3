/**
 * A multi-document YAML manifest split into its documents with their source ranges, so every
 * problem the parser or the server names can be placed at a line of the text the user typed.
 * Parsing is the `yaml` package's (YAML 1.2, the same as kubectl's sigs.k8s.io/yaml for the
 * manifests people write), with a LineCounter for offsets → lines.
 *
 * @see https://eemeli.org/yaml/#parsing-documents
 * @see https://eemeli.org/yaml/#linecounter
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import type { FieldSegment } from './field-path.ts';

export interface ManifestDocument {
  /** 0-based index among the documents of the text (empty ones count too). */
  index: number;
  /** 1-based line of the document's content (its `---` line when it has none). */
  line: number;
  /** The document as plain data (null for an empty document). */
  value: unknown;
  /** The parsed node tree, for {@link lineOfPath}. */
  contents: Node | null;
}

export interface SyntaxProblem {
  document: number;
  line: number;
  message: string;
}

export interface ParsedManifest {
  documents: ManifestDocument[];
  syntax: SyntaxProblem[];
  /** 1-based line of a character offset. */
  lineAt(offset: number): number;
}

/** The parser's first line, without its " at line 3, column 1:" tail (the editor marks it). */
function shortMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

export function parseManifest(text: string): ParsedManifest {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const list = Array.isArray(docs) ? docs : [];
  const syntax: SyntaxProblem[] = [];
  const documents = list.map((doc, index): ManifestDocument => {
    const contents = doc.contents;
    const start = contents?.range?.[0] ?? doc.range[0];
    for (const error of [...doc.errors]) {
      syntax.push({
        document: index,
        line: error.linePos?.[0].line ?? lineAt(error.pos[0]),
        message: shortMessage(error.message),
      });
    }
    return {
      index,
      line: lineAt(start),
      value: doc.errors.length > 0 ? null : (doc.toJS({ maxAliasCount: 100 }) as unknown),
      contents,
    };
  });
  return { documents, syntax, lineAt };
}

/**
 * The line of the deepest node of `path` that exists in the document: the key's line for a
 * map entry, the item's line for a list item. A path the document does not have (a required
 * field left out) lands on its nearest ancestor that it does have.
 */
export function lineOfPath(
  document: ManifestDocument,
  path: readonly FieldSegment[],
  lineAt: (offset: number) => number,
): number {
  let node: unknown = document.contents;
  let line = document.line;
  for (const segment of path) {
    if (isMap(node)) {
      if (typeof segment !== 'string') break;
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair || !isPair(pair)) break;
      const key = pair.key as Node;
      if (key.range) line = lineAt(key.range[0]);
      node = pair.value;
    } else if (isSeq(node)) {
      const item = itemOf(node.items, segment);
      if (!item) break;
      if (item.range) line = lineAt(item.range[0]);
      node = item;
    } else break;
  }
  return line;
}

/** A list item by index or by the values of its keys (`containers[name="web"]`). */
function itemOf(items: readonly unknown[], segment: FieldSegment): Node | undefined {
  if (typeof segment === 'number') return items[segment] as Node | undefined;
  if (typeof segment === 'string') return undefined;
  return items.find((item): item is Node => {
    if (!isMap(item)) return false;
    return Object.entries(segment).every(([k, v]) => {
      const pair = item.items.find((p) => isScalar(p.key) && String(p.key.value) === k);
      return pair !== undefined && isScalar(pair.value) && String(pair.value.value) === String(v);
    });
  }) as Node | undefined;
}
