/**
 * Engine messages and remedies quote commands and settings in `backticks` (Markdown style);
 * this shows those parts as code, and everything else as plain text (never as HTML).
 */
export function RichText({ text }: { text: string }) {
  const parts = text.split('`');
  // An odd count of parts means balanced backticks: every odd part is code.
  if (parts.length % 2 === 0) return <>{text}</>;
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? (
          <code key={i} className="inline">
            {p}
          </code>
        ) : (
          p
        ),
      )}
    </>
  );
}
