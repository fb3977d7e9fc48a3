/**
 * YAML syntax errors of a multi-document text, found by the `yaml` package (the backend's
 * parser too, so what passes here parses there), one per line, without the parser's
 * " at line 3, column 1:" tail and source snippet (the editor marks the line instead).
 *
 * @see https://eemeli.org/yaml/#errors
 */
import { LineCounter, parseAllDocuments } from 'yaml';

export interface LineProblem {
  line: number;
  message: string;
}

/** The first error of each line (the parser may report several for one mistake). */
export function syntaxProblems(text: string): LineProblem[] {
  const lineCounter = new LineCounter();
  const out = new Map<number, string>();
  for (const doc of parseAllDocuments(text, { lineCounter, uniqueKeys: true })) {
    for (const e of doc.errors) {
      const line = lineCounter.linePos(e.pos[0]).line;
      if (!out.has(line))
        out.set(
          line,
          (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
        );
    }
  }
  return [...out].map(([line, message]) => ({ line, message }));
}
