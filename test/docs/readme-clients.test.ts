// The README's client setup and signing lines, held to the formats the clients and `wassette sign` accept.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHttpRequest } from '../../src/sandbox/http-guard.js';

const ROOT = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The fenced blocks of a markdown text, with the text of the nearest heading or paragraph line above each. */
function codeBlocks(md: string): Array<{ lang: string; body: string; context: string }> {
  const out: Array<{ lang: string; body: string; context: string }> = [];
  const re = /```(\w*)\n([\s\S]*?)```/g;
  for (let m = re.exec(md); m !== null; m = re.exec(md)) {
    const before = md.slice(0, m.index).trimEnd().split('\n');
    out.push({ lang: m[1] ?? '', body: m[2] ?? '', context: before.slice(-2).join(' ') });
  }
  return out;
}

/** Claude Code's `claude mcp add` options that take a value; its docs put all of them before the server name. */
const VALUE_OPTIONS = new Set(['--transport', '-t', '--env', '-e', '--scope', '-s']);

function claudeAddLines(md: string): string[] {
  return md
    .split('\n')
    .map((l) => l.replace(/^.*?(claude mcp add)/, '$1'))
    .filter((l) => l.startsWith('claude mcp add '))
    .map((l) => l.replace(/\s+#.*$/, '').replace(/`.*$/, ''));
}

describe('README client setup', () => {
  it('puts every claude mcp add option before the server name, and -- before a stdio command', () => {
    const lines = claudeAddLines(README);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      const words = line.split(/\s+/).slice(3);
      const dash = words.indexOf('--');
      const head = dash === -1 ? words : words.slice(0, dash);
      let name: number | undefined;
      for (let i = 0; i < head.length; i++) {
        const w = head[i] ?? '';
        if (VALUE_OPTIONS.has(w)) {
          expect(name, `${line}: ${w} comes after the server name`).toBeUndefined();
          i++;
        } else if (w === '--header' || w === '-H') {
          i++; // Claude Code's own example puts --header after the URL
        } else if (name === undefined) {
          name = i;
        }
      }
      expect(name, `${line}: no server name`).toBeDefined();
      const transport = head[head.indexOf('--transport') + 1];
      if (transport === 'http')
        expect(
          head.slice((name ?? 0) + 1).some((w) => w.startsWith('http://')),
          line,
        ).toBe(true);
      else expect(dash, `${line}: a stdio server's command follows --`).toBeGreaterThan(0);
    }
  });

  it('gives each client its documented JSON shape', () => {
    const json = codeBlocks(README).filter((b) => b.lang === 'json');
    const shapes = json.map((b) => ({ context: b.context, config: JSON.parse(b.body) as Record<string, any> }));
    const vscode = shapes.filter((s) => s.context.includes('VS Code'));
    const cursor = shapes.filter((s) => s.context.includes('Cursor'));
    const gemini = shapes.filter((s) => s.context.includes('Gemini'));
    expect(vscode.length).toBe(2);
    expect(cursor.length).toBe(2);
    expect(gemini.length).toBe(2);
    for (const { config } of vscode) {
      expect(config.mcpServers).toBeUndefined();
      for (const server of Object.values(config.servers as Record<string, any>)) {
        expect(['stdio', 'http']).toContain(server.type);
        if (server.type === 'http') expect(server.headers.Authorization).toMatch(/^Bearer \$\{input:[\w-]+\}$/);
      }
    }
    for (const { config } of [...cursor, ...gemini]) expect(Object.keys(config)).toEqual(['mcpServers']);
    const geminiHttp = gemini.map((g) => g.config.mcpServers.wassette).find((s) => s.command === undefined);
    expect(geminiHttp.httpUrl).toBe('http://127.0.0.1:9001/mcp');
    expect(geminiHttp.url).toBeUndefined();
    expect(geminiHttp.headers.Authorization).toMatch(/^Bearer /);
  });
});

describe('README signing', () => {
  it('names a key wassette sign can read and says how to make it', () => {
    // cosign's generate-key-pair writes a password-encrypted cosign.key, which `wassette sign` refuses.
    expect(README).not.toMatch(/--key cosign\.key/);
    const quickStart = README.slice(README.indexOf('## Quick start'), README.indexOf('### The examples'));
    expect(quickStart).toMatch(/--key key\.pem/);
    expect(quickStart).toContain('openssl pkcs8 -topk8 -nocrypt -out key.pem');
  });
});

describe('the fetch example README', () => {
  it('shows the denial the sandbox really gives for an ungranted host', () => {
    const doc = readFileSync(join(ROOT, 'examples', 'fetch', 'README.md'), 'utf8');
    const verdict = checkHttpRequest([], 'http', '127.0.0.1:8000');
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(doc).toContain(verdict.reason);
  });
});
