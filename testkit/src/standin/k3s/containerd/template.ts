/**
 * How k3s turns its containerd templates into `config.toml`, on every start:
 *
 * 1. look for a user template in the agent's containerd dir: `config-v3.toml.tmpl` first,
 *    then the legacy `config.toml.tmpl`; the first that exists wins (a leftover
 *    `config.toml.tmpl` next to a `config-v3.toml.tmpl` is ignored);
 * 2. render it as a Go template in which the matching built-in template is the named
 *    template `base` (v3 base for `config-v3.toml.tmpl`, v2 base for `config.toml.tmpl`);
 *    without a user template, the v3 base alone;
 * 3. write the result to `config.toml` (containerd is then started with `-c` on it).
 *
 * The stand-in renders the Go template actions real templates use for this: `{{ template
 * "base" . }}` and comments, with `{{-`/`-}}` whitespace trimming. Any other action is
 * refused with a STAND-IN message rather than silently mis-rendered.
 *
 * @see https://github.com/k3s-io/k3s/blob/main/pkg/agent/containerd/config.go (templateGenerations, writeContainerdConfig)
 * @see https://github.com/k3s-io/k3s/blob/main/pkg/agent/templates/templates.go (ParseTemplateFromConfig: base as named template)
 * @see https://docs.k3s.io/advanced#configuring-containerd
 * @see https://pkg.go.dev/text/template (actions, trim markers)
 */
import fs from 'node:fs';
import path from 'node:path';
import { containerdPaths, renderBaseV2, renderBaseV3, type BaseTemplateData } from './base.ts';

/** k3s's `templateGenerations`, in the order it looks for them. */
export const TEMPLATE_GENERATIONS = [
  { version: 3, filename: 'config-v3.toml.tmpl', base: renderBaseV3 },
  { version: 2, filename: 'config.toml.tmpl', base: renderBaseV2 },
] as const;

/** A template the stand-in cannot render (k3s would fail on a broken one too). */
export class TemplateError extends Error {}

/** Renders a user template: `{{ template "base" . }}` → `base`; comments → nothing. */
export function renderUserTemplate(text: string, base: string): string {
  const action = /\{\{(-\s)?([\s\S]*?)(\s-)?\}\}/g;
  let out = '';
  let last = 0;
  for (const m of text.matchAll(action)) {
    const start = m.index;
    let before = text.slice(last, start);
    if (m[1]) before = before.replace(/\s+$/, '');
    out += before;
    const body = (m[2] ?? '').trim();
    if (/^template\s+"base"\s+\.$/.test(body)) out += base;
    else if (!/^\/\*[\s\S]*\*\/$/.test(body)) {
      const line = text.slice(0, start).split('\n').length;
      throw new TemplateError(
        `template: compiled_template:${line}: the k3s STAND-IN renders only {{ template "base" . }} and comments, not {{${m[2] ?? ''}}}`,
      );
    }
    last = start + m[0].length;
    if (m[3]) {
      const rest = text.slice(last);
      last += rest.length - rest.replace(/^\s+/, '').length;
    }
  }
  return out + text.slice(last);
}

export interface RenderedConfig {
  /** The user template used, or undefined for the built-in v3 base. */
  readonly template?: string;
  /** Config version k3s records for containerd (3 or 2). */
  readonly version: 3 | 2;
  /** Where it was written. */
  readonly path: string;
  readonly text: string;
}

/**
 * Renders and writes `config.toml` as k3s does. `log` receives k3s's own line
 * ("Using containerd config template at …").
 */
export function writeContainerdConfig(
  data: BaseTemplateData,
  log: (msg: string) => void = () => {},
): RenderedConfig {
  const p = containerdPaths(data.dataDir);
  let rendered: Omit<RenderedConfig, 'path'> = { version: 3, text: renderBaseV3(data) };
  for (const g of TEMPLATE_GENERATIONS) {
    const file = path.join(p.template, g.filename);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    log(`Using containerd config template at ${file}`);
    rendered = { template: file, version: g.version, text: renderUserTemplate(text, g.base(data)) };
    break;
  }
  fs.mkdirSync(p.template, { recursive: true });
  fs.writeFileSync(p.config, rendered.text, { mode: 0o600 });
  return { ...rendered, path: p.config };
}
