/**
 * A unified diff as the backend writes it (`--- live` / `+++ dry run`, hunks with 3 lines of
 * context), one row per line: added and removed lines coloured and prefixed, so the meaning
 * does not rest on colour alone and a screen reader reads "+ image: nginx:2".
 */
export function YamlDiff({ diff, label }: { diff: string; label: string }) {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <pre className="yaml-diff" aria-label={label} tabIndex={0}>
      {lines.map((line, i) => {
        const kind =
          line.startsWith('+++') || line.startsWith('---')
            ? 'file'
            : line.startsWith('@@')
              ? 'hunk'
              : line.startsWith('+')
                ? 'add'
                : line.startsWith('-')
                  ? 'del'
                  : 'same';
        return (
          <span key={i} className={`yaml-diff-${kind}`}>
            {line}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}
