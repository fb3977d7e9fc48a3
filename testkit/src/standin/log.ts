/**
 * logrus-style text lines on stderr (journald captures them), the format k3s and Kata use:
 * `time="…" level=info msg="…"`.
 *
 * @see https://github.com/sirupsen/logrus#formatters
 */
export type Level = 'debug' | 'info' | 'warning' | 'error' | 'fatal';

export function logLine(
  level: Level,
  msg: string,
  fields: Record<string, string | number> = {},
  now = new Date(),
): string {
  const extra = Object.entries(fields)
    .map(([k, v]) => ` ${k}=${/[\s"=]/.test(String(v)) ? JSON.stringify(String(v)) : String(v)}`)
    .join('');
  return `time="${now.toISOString()}" level=${level} msg=${JSON.stringify(msg)}${extra}`;
}

export const log = (level: Level, msg: string, fields?: Record<string, string | number>): void => {
  process.stderr.write(logLine(level, msg, fields) + '\n');
};
