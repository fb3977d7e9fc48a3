/**
 * Field paths as the API server writes them, read back into segments:
 * - validation causes and strict decoding: `spec.template.spec.containers[0].image`,
 *   map keys in brackets (`metadata.labels[app.kubernetes.io/name]`);
 * - server-side apply (structured-merge-diff): a leading dot and list items by their keys,
 *   `.spec.template.spec.containers[name="web"].image`, `.ports[containerPort=80,protocol="TCP"]`.
 *
 * @see https://pkg.go.dev/k8s.io/apimachinery/pkg/util/validation/field#Path.String
 * @see https://pkg.go.dev/sigs.k8s.io/structured-merge-diff/v4/fieldpath#Path.String
 */

/** A map key, a list index, or a list item named by the values of its keys. */
export type FieldSegment = string | number | Readonly<Record<string, string | number>>;

/** Splits on `sep` outside double quotes. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\\' && quoted) {
      current += ch + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function scalarOf(text: string): string | number {
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      return text.slice(1, -1);
    }
  }
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

function bracketSegment(inner: string): FieldSegment | undefined {
  if (/^\d+$/.test(inner)) return Number(inner);
  const pairs = splitOutsideQuotes(inner, ',');
  const looksKeyed = pairs.every((p) => /^[A-Za-z][\w-]*=/.test(p));
  if (!looksKeyed) return inner;
  const selector: Record<string, string | number> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    selector[pair.slice(0, at)] = scalarOf(pair.slice(at + 1));
  }
  return selector;
}

/** The segments of a server-written field path; stops at what it cannot read. */
export function parseFieldPath(path: string): FieldSegment[] {
  const segments: FieldSegment[] = [];
  let i = path.startsWith('.') ? 1 : 0;
  let name = '';
  const flush = () => {
    if (name !== '') segments.push(name);
    name = '';
  };
  while (i < path.length) {
    const ch = path[i] ?? '';
    if (ch === '.') {
      flush();
      i++;
    } else if (ch === '[') {
      flush();
      let j = i + 1;
      let quoted = false;
      while (j < path.length && (quoted || path[j] !== ']')) {
        if (path[j] === '\\' && quoted) j++;
        else if (path[j] === '"') quoted = !quoted;
        j++;
      }
      const segment = bracketSegment(path.slice(i + 1, j));
      if (segment === undefined) return segments;
      segments.push(segment);
      i = j + 1;
    } else {
      name += ch;
      i++;
    }
  }
  flush();
  return segments;
}

/**
 * A path in the plain form (`spec.template.spec.containers[0]`) whatever form the server
 * used: what the editor shows next to the line.
 */
export function displayPath(path: string): string {
  return path.startsWith('.') ? path.slice(1) : path;
}
