// MetaTool eval set: its tools as an MCP tools/list file, and seeded, disjoint dev/test samples of its queries.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../test/helpers/prng.js';

export interface SingleQuery {
  readonly query: string;
  readonly tool: string;
}

export interface MultiQuery {
  readonly query: string;
  readonly tools: readonly string[];
}

export interface MetaToolSet {
  /** plugin_des.json rewritten as `{tools: [{name, description, inputSchema}]}`, imported like any MCP server's list. */
  readonly toolsListPath: string;
  readonly toolCount: number;
  readonly singles: readonly SingleQuery[];
  readonly multis: readonly MultiQuery[];
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.length === 0) quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field.length > 0 || row.length > 0) rows.push([...row, field]);
  return rows;
}

export function loadMetaTool(dir: string): MetaToolSet {
  const plugins = JSON.parse(readFileSync(join(dir, 'plugin_des.json'), 'utf8')) as Record<string, string>;
  const tools = Object.entries(plugins).map(([name, description]) => ({ name, description, inputSchema: { type: 'object' } }));
  const toolsListPath = join(mkdtempSync(join(tmpdir(), 'wassette-eval-')), 'metatool-tools.json');
  writeFileSync(toolsListPath, JSON.stringify({ tools }));
  const [header, ...rows] = parseCsv(readFileSync(join(dir, 'all_clean_data.csv'), 'utf8'));
  if (header?.[0] !== 'Query' || header[1] !== 'Tool') throw new Error('all_clean_data.csv: expected a Query,Tool header');
  const singles = rows.filter((r) => r.length >= 2 && r[0] !== '').map((r) => ({ query: r[0] ?? '', tool: r[1] ?? '' }));
  for (const s of singles) if (!(s.tool in plugins)) throw new Error(`query names unknown tool ${s.tool}`);
  const multis = (JSON.parse(readFileSync(join(dir, 'multi_tool_query_golden.json'), 'utf8')) as { query: string; tool: string[] }[]).map((m) => ({
    query: m.query,
    tools: m.tool,
  }));
  return { toolsListPath, toolCount: tools.length, singles, multis };
}

/** A seeded shuffle cut into consecutive samples: `dev` tunes methods, `test` is only ever reported. */
export function seededSplits<T>(items: readonly T[], size: number, seed: number): { dev: T[]; test: T[] } {
  const rand = mulberry32(seed);
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return { dev: a.slice(0, size), test: a.slice(size, 2 * size) };
}
