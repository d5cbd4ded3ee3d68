// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, server side) against a URL and
// reads its per-scenario results back; compares them with an expected-failures baseline that gives a reason per entry.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { ROOT } from './cli.js';

const BIN = join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
/** Gives the suite fs.globSync on Node 20 (see the file). */
const PRELOAD = join(ROOT, 'test', 'helpers', 'node20', 'fs-glob-preload.mjs');

export interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  errorMessage?: string;
}

export interface ScenarioResult {
  scenario: string;
  checks: Check[];
  /** As the suite's own baseline check counts it: any FAILURE or WARNING. */
  failed: boolean;
}

export interface SuiteRun {
  code: number;
  stdout: string;
  stderr: string;
  results: ScenarioResult[];
}

/** `<outDir>/server-<scenario>-<ISO time with - for :>/checks.json`, one directory per scenario run. */
function readResults(outDir: string): ScenarioResult[] {
  return readdirSync(outDir)
    .flatMap((dir) => {
      const m = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/.exec(dir);
      if (!m) return [];
      const checks = JSON.parse(readFileSync(join(outDir, dir, 'checks.json'), 'utf8')) as Check[];
      return [{ scenario: m[1]!, checks, failed: checks.some((c) => c.status === 'FAILURE' || c.status === 'WARNING') }];
    })
    .sort((a, b) => a.scenario.localeCompare(b.scenario));
}

export async function runConformance(
  url: URL,
  opts: { suite: 'all' | 'active'; outDir: string; expectedFailures?: string; timeoutMs?: number },
): Promise<SuiteRun> {
  const args = ['--import', PRELOAD, BIN, 'server', '--url', url.href, '--suite', opts.suite, '-o', opts.outDir];
  if (opts.expectedFailures) args.push('--expected-failures', opts.expectedFailures);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const code = await new Promise<number>((res) => child.on('close', (c) => res(c ?? -1)));
  clearTimeout(timer);
  return { code, stdout, stderr, results: readResults(opts.outDir) };
}

export interface Baseline {
  /** Scenario name -> why it is expected to fail. */
  reasons: Map<string, string>;
}

/** The suite's baseline file (`server:` list); each entry's reason is its trailing comment, and one is required. */
export function readBaseline(path: string): Baseline {
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]!.message}`);
  if (!isMap(doc.contents)) throw new Error(`${path}: expected a mapping with a "server" list`);
  const list = doc.get('server', true);
  if (!isSeq(list)) throw new Error(`${path}: "server" must be a list of scenario names`);
  const reasons = new Map<string, string>();
  for (const item of list.items) {
    if (!isScalar(item) || typeof item.value !== 'string') throw new Error(`${path}: every "server" entry must be a scenario name`);
    const reason = (item.comment ?? '').trim();
    if (reason === '') throw new Error(`${path}: ${item.value} has no reason (write it as a trailing # comment)`);
    if (reasons.has(item.value)) throw new Error(`${path}: ${item.value} is listed twice`);
    reasons.set(item.value, reason);
  }
  return { reasons };
}

export interface Comparison {
  passed: string[];
  expectedFailures: string[];
  /** Failing and not in the baseline: a protocol-level failure of the server. */
  unexpectedFailures: string[];
  /** In the baseline but passing now: the entry must go. */
  stale: string[];
}

/** Pure: compares the scenarios that ran with the baseline (entries for scenarios that did not run are ignored here). */
export function compareWithBaseline(results: readonly ScenarioResult[], baseline: Baseline): Comparison {
  const c: Comparison = { passed: [], expectedFailures: [], unexpectedFailures: [], stale: [] };
  for (const r of results) {
    const listed = baseline.reasons.has(r.scenario);
    if (r.failed) (listed ? c.expectedFailures : c.unexpectedFailures).push(r.scenario);
    else (listed ? c.stale : c.passed).push(r.scenario);
  }
  return c;
}

/** One line per scenario plus totals, for the CI log. */
export function summarize(label: string, results: readonly ScenarioResult[], cmp: Comparison, baseline: Baseline): string {
  const lines = [
    `MCP conformance (${label}): ${cmp.passed.length} passed, ${cmp.expectedFailures.length} expected failures, ${cmp.unexpectedFailures.length} unexpected failures, ${cmp.stale.length} stale baseline entries`,
  ];
  for (const r of results) {
    const ok = r.checks.filter((x) => x.status === 'SUCCESS').length;
    const bad = r.checks.filter((x) => x.status === 'FAILURE' || x.status === 'WARNING');
    const mark = !r.failed ? (baseline.reasons.has(r.scenario) ? 'STALE' : 'pass ') : baseline.reasons.has(r.scenario) ? 'xfail' : 'FAIL ';
    const why = r.failed ? (baseline.reasons.get(r.scenario) ?? bad.map((x) => `${x.id}: ${x.errorMessage ?? x.status}`).join('; ')) : '';
    lines.push(`  ${mark} ${r.scenario} (${ok} ok, ${bad.length} failed/warned)${why ? ` - ${why}` : ''}`);
  }
  return lines.join('\n');
}
