import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Just enough of a Bicep reader for the infra tests: parameter declarations (type, default, decorators)
 * and the entries of the app settings resource. Bicep is not compiled here, so these tests read the text;
 * the Bicep is written in the plain one-line-per-declaration style this reader expects.
 */

/**
 * Where the files under test are read from: the repository, or a copy named by INFRA_TEST_ROOT (to watch
 * these tests fail on a broken copy of host.json or the Bicep without touching the working tree).
 */
export const repoRoot = process.env.INFRA_TEST_ROOT ?? fileURLToPath(new URL('../../', import.meta.url));

export function readRepoFile(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

export interface BicepParam {
  readonly name: string;
  /** `string`, `int`, `bool`, `object`, `string[]`, ... */
  readonly type: string;
  /** The default's source text, absent when the parameter is required. */
  readonly defaultText?: string;
  /** The decorator lines above the declaration, joined. */
  readonly decorators: string;
}

export function bicepParams(text: string): Map<string, BicepParam> {
  const params = new Map<string, BicepParam>();
  let pending: string[] = [];
  let depth = 0;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (depth > 0 || line.startsWith('@')) {
      pending.push(line);
      depth += count(line, '(') - count(line, ')');
      continue;
    }
    const declaration = /^param\s+(\w+)\s+([\w[\]]+)(?:\s*=\s*(.+))?$/.exec(line);
    if (declaration !== null) {
      const [, name = '', type = '', defaultText] = declaration;
      if (params.has(name)) throw new Error(`parameter ${name} is declared twice`);
      params.set(name, { name, type, decorators: pending.join('\n'), ...(defaultText === undefined ? {} : { defaultText: stripComment(defaultText) }) });
      pending = [];
    } else if (line !== '' && !line.startsWith('//')) {
      pending = [];
    }
  }
  return params;
}

/** The value a parameter default stands for, as the app setting string Bicep would produce from it. */
export function literalValue(source: string): string | number | boolean {
  if (/^-?\d+$/.test(source)) return Number(source);
  if (source === 'true' || source === 'false') return source === 'true';
  const quoted = /^'((?:[^'\\]|\\.)*)'$/.exec(source);
  if (quoted === null) throw new Error(`not a literal: ${source}`);
  return (quoted[1] ?? '').replace(/\\(.)/g, (_match, escaped: string) => (escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped));
}

export function decoratorNumber(param: BicepParam, decorator: 'minValue' | 'maxValue' | 'minLength' | 'maxLength'): number | undefined {
  const match = new RegExp(`@${decorator}\\((-?\\d+)\\)`).exec(param.decorators);
  return match === null ? undefined : Number(match[1]);
}

export function allowedValues(param: BicepParam): string[] | undefined {
  const match = /@allowed\(\[([^\]]*)\]\)/.exec(param.decorators);
  if (match === null) return undefined;
  return (match[1] ?? '').split(/[\n,]/).map((item) => item.trim()).filter((item) => item !== '').map((item) => String(literalValue(item)));
}

export function isSecure(param: BicepParam): boolean {
  return param.decorators.includes('@secure()');
}

export interface AppSetting {
  readonly name: string;
  /** The value's Bicep expression, without a trailing comment. */
  readonly expression: string;
}

/** The entries of the `appsettings` config resource (name: expression), in order. */
export function bicepAppSettings(text: string): AppSetting[] {
  const start = text.indexOf("name: 'appsettings'");
  if (start < 0) throw new Error("no resource with name: 'appsettings'");
  const open = text.indexOf('properties: {', start);
  if (open < 0) throw new Error('the appsettings resource has no properties block');
  const body = text.slice(open + 'properties: {'.length, closingBrace(text, open + 'properties: {'.length - 1));
  const settings: AppSetting[] = [];
  for (const rawLine of body.split('\n')) {
    const entry = /^\s*([A-Za-z_][\w]*)\s*:\s*(.+)$/.exec(rawLine);
    if (entry === null) continue;
    const [, name = '', rest = ''] = entry;
    settings.push({ name, expression: stripComment(rest) });
  }
  return settings;
}

/** Index of the `}` that closes the `{` at `openIndex`, skipping quoted text. */
function closingBrace(text: string, openIndex: number): number {
  let depth = 0;
  let quoted = false;
  for (let index = openIndex; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '\\') index += 1;
      else if (char === "'") quoted = false;
    } else if (char === "'") {
      quoted = true;
    } else if (char === '/' && text[index + 1] === '/') {
      index = text.indexOf('\n', index);
      if (index < 0) break;
    } else if (char === '{') {
      depth += 1;
    } else if (char === '}') {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  throw new Error('unbalanced braces');
}

/** Removes a trailing `// comment` that is outside quotes. */
function stripComment(source: string): string {
  let quoted = false;
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    if (quoted) {
      if (char === '\\') index += 1;
      else if (char === "'") quoted = false;
    } else if (char === "'") {
      quoted = true;
    } else if (char === '/' && source[index + 1] === '/') {
      return source.slice(0, index).trim();
    }
  }
  return source.trim();
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
