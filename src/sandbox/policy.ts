// policy.yaml v1 (Wassette-compatible): parse with line-numbered errors, validate, normalize, serialize.
import { isNode, LineCounter, parseDocument, stringify } from 'yaml';
import { ErrorCode, WassetteError } from '../errors.js';
import { ACCESS_VALUES, normalizeCidr, normalizeEnvKey, normalizeMemoryLimit, normalizeStorageUri, type Access } from './grants.js';
import { parseHostPattern } from './host-match.js';

export interface StorageRule {
  /** Normalized `fs://<absolute path>`. */
  uri: string;
  /** The absolute host path the uri names. */
  path: string;
  access: Access[];
}
export type NetworkRule = { host: string } | { cidr: string };
export interface EnvironmentRule {
  key: string;
}

export interface PolicyLimits {
  /** As written (for reporting), e.g. "256Mi". */
  memory?: string;
  memoryBytes?: number;
  /** As written, e.g. "500m"; reported only, not enforced. */
  cpu?: string;
  cpuMillis?: number;
  timeoutMs?: number;
}

/** A validated, normalized policy. Deny-by-default: anything not allowed here (or granted later) is refused. */
export interface Policy {
  version: string;
  description?: string;
  storage: { allow: StorageRule[]; deny: StorageRule[] };
  network: { allow: NetworkRule[]; deny: NetworkRule[] };
  environment: { allow: EnvironmentRule[] };
  limits: PolicyLimits;
}

export function emptyPolicy(description?: string): Policy {
  return {
    version: '1.0',
    ...(description === undefined ? {} : { description }),
    storage: { allow: [], deny: [] },
    network: { allow: [], deny: [] },
    environment: { allow: [] },
    limits: {},
  };
}

type Path = (string | number)[];
type Obj = Record<string, unknown>;

class Ctx {
  constructor(
    private readonly file: string,
    private readonly locate: (p: Path) => number | undefined,
  ) {}
  fail(path: Path, message: string): never {
    const line = this.locate(path);
    const where = path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');
    throw new WassetteError(ErrorCode.InvalidPolicy, `${this.file}${line === undefined ? '' : ` line ${line}`}: ${where ? `${where}: ` : ''}${message}`, {
      data: { path: where, ...(line === undefined ? {} : { line }) },
    });
  }
  /** Runs a shared validator, re-reporting its error at `path`. */
  check<T>(path: Path, f: () => T): T {
    try {
      return f();
    } catch (e) {
      return this.fail(path, (e as Error).message);
    }
  }
  map(v: unknown, path: Path, keys: readonly string[]): Obj {
    if (v === null || v === undefined) return {};
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(path, 'expected a mapping');
    for (const k of Object.keys(v as Obj)) {
      if (!keys.includes(k)) this.fail([...path, k], `unknown field (expected one of ${keys.join(', ')})`);
    }
    return v as Obj;
  }
  list(v: unknown, path: Path): unknown[] {
    if (v === null || v === undefined) return [];
    if (!Array.isArray(v)) this.fail(path, 'expected a list');
    return v;
  }
}

function storageRules(ctx: Ctx, v: unknown, path: Path): StorageRule[] {
  return ctx.list(v, path).map((entry, i) => {
    const p = [...path, i];
    const e = ctx.map(entry, p, ['uri', 'access']);
    const { uri, path: hostPath } = ctx.check([...p, 'uri'], () => normalizeStorageUri(e.uri));
    const access = ctx.list(e.access, [...p, 'access']);
    if (access.length === 0) ctx.fail([...p, 'access'], 'must list at least one of read, write');
    access.forEach((a, j) => {
      if (a !== 'read' && a !== 'write') ctx.fail([...p, 'access', j], `'${String(a)}' is not one of read, write`);
    });
    return { uri, path: hostPath, access: ACCESS_VALUES.filter((a) => access.includes(a)) };
  });
}

function networkRules(ctx: Ctx, v: unknown, path: Path, allowStar: boolean): NetworkRule[] {
  return ctx.list(v, path).map((entry, i): NetworkRule => {
    const p = [...path, i];
    const e = ctx.map(entry, p, ['host', 'cidr']);
    if ((e.host === undefined) === (e.cidr === undefined)) ctx.fail(p, 'each entry needs exactly one of host, cidr');
    return e.host !== undefined
      ? { host: ctx.check([...p, 'host'], () => parseHostPattern(e.host, allowStar)) }
      : { cidr: ctx.check([...p, 'cidr'], () => normalizeCidr(e.cidr)) };
  });
}

/** Node timers fire at once beyond this many milliseconds (about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function parseDuration(v: unknown): number {
  const m = typeof v === 'number' ? null : /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(String(v));
  const ms =
    typeof v === 'number' ? (Number.isInteger(v) ? v : NaN) : m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms'] : NaN;
  if (!Number.isFinite(ms) || ms < 1) throw new Error(`'${String(v)}' is not a duration (examples: 10s, 500ms, 2m, or milliseconds as an integer)`);
  if (ms > MAX_TIMEOUT_MS) throw new Error(`'${String(v)}' is longer than the largest supported limit (${MAX_TIMEOUT_MS} ms, about 24 days)`);
  return Math.round(ms);
}

function parseCpuMillis(v: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(m)?\s*$/.exec(v);
  return m ? Math.round(Number(m[1]) * (m[2] ? 1 : 1000)) : undefined;
}

function limits(ctx: Ctx, v: unknown, path: Path, into: PolicyLimits): void {
  const r = ctx.map(v, path, ['limits', 'cpu', 'memory', 'io']);
  // Wassette's older flat form: cpu (percent) and memory (MiB) as plain numbers.
  if (r.memory !== undefined) {
    const q = typeof r.memory === 'number' ? `${r.memory}Mi` : r.memory;
    Object.assign(
      into,
      ctx.check([...path, 'memory'], () => {
        const m = normalizeMemoryLimit(q);
        return { memory: m.limit, memoryBytes: m.bytes };
      }),
    );
  }
  if (r.cpu !== undefined) into.cpu = String(r.cpu);
  const l = ctx.map(r.limits, [...path, 'limits'], ['memory', 'cpu', 'timeout']);
  if (l.memory !== undefined) {
    Object.assign(
      into,
      ctx.check([...path, 'limits', 'memory'], () => {
        const m = normalizeMemoryLimit(l.memory);
        return { memory: m.limit, memoryBytes: m.bytes };
      }),
    );
  }
  if (l.cpu !== undefined) {
    into.cpu = String(l.cpu);
    const millis = parseCpuMillis(into.cpu);
    if (millis === undefined) ctx.fail([...path, 'limits', 'cpu'], `'${into.cpu}' is not a CPU quantity (examples: 500m, 1, 0.5)`);
    into.cpuMillis = millis;
  }
  if (l.timeout !== undefined) into.timeoutMs = ctx.check([...path, 'limits', 'timeout'], () => parseDuration(l.timeout));
}

function fromValue(ctx: Ctx, doc: unknown): Policy {
  if (doc === null || doc === undefined) ctx.fail([], 'the policy is empty; it needs at least version: "1.0"');
  const top = doc as Obj;
  for (const k of Object.keys(ctx.map(doc, [], Object.keys(top)))) {
    if (!['version', 'description', 'permissions', 'resources'].includes(k) && !k.startsWith('$') && !k.startsWith('x-')) {
      ctx.fail([k], 'unknown field (expected version, description, permissions, resources)');
    }
  }
  const rawVersion = top.version;
  const version = typeof rawVersion === 'number' && Number.isInteger(rawVersion) ? `${rawVersion}.0` : String(rawVersion ?? '');
  if (rawVersion === undefined) ctx.fail([], 'version is missing; add version: "1.0"');
  if (!/^1(\.\d+)?$/.test(version)) ctx.fail(['version'], `'${version}' is not supported (expected "1.0")`);
  if (top.description !== undefined && typeof top.description !== 'string') ctx.fail(['description'], 'expected a string');

  const policy = emptyPolicy(top.description as string | undefined);
  policy.version = version;
  const perms = ctx.map(top.permissions, ['permissions'], ['storage', 'network', 'environment', 'resources', 'runtime', 'ipc']);
  const storage = ctx.map(perms.storage, ['permissions', 'storage'], ['allow', 'deny']);
  policy.storage.allow = storageRules(ctx, storage.allow, ['permissions', 'storage', 'allow']);
  policy.storage.deny = storageRules(ctx, storage.deny, ['permissions', 'storage', 'deny']);
  const network = ctx.map(perms.network, ['permissions', 'network'], ['allow', 'deny']);
  policy.network.allow = networkRules(ctx, network.allow, ['permissions', 'network', 'allow'], false);
  policy.network.deny = networkRules(ctx, network.deny, ['permissions', 'network', 'deny'], true);
  const env = ctx.map(perms.environment, ['permissions', 'environment'], ['allow']);
  policy.environment.allow = ctx.list(env.allow, ['permissions', 'environment', 'allow']).map((entry, i) => {
    const p = ['permissions', 'environment', 'allow', i];
    return { key: ctx.check([...p, 'key'], () => normalizeEnvKey(ctx.map(entry, p, ['key']).key)) };
  });
  // Wassette keeps resources under permissions; the top-level form (our docs) wins when both are present.
  limits(ctx, perms.resources, ['permissions', 'resources'], policy.limits);
  limits(ctx, top.resources, ['resources'], policy.limits);
  return policy;
}

/** Parses policy.yaml text. Errors are InvalidPolicy and name the file, line and field path. */
export function parsePolicy(text: string, file = 'policy.yaml'): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    const msg = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    throw new WassetteError(ErrorCode.InvalidPolicy, `${file}${line === undefined ? '' : ` line ${line}`}: ${msg}`, { cause: first });
  }
  const locate = (path: Path): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return fromValue(new Ctx(file, locate), doc.toJS());
}

/** Validates a policy document already parsed (e.g. `policy_json` from the store, an OCI annotation). */
export function policyFromJson(value: unknown, label = 'policy'): Policy {
  return fromValue(new Ctx(label, () => undefined), value);
}

export function formatDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The policy as a policy.yaml-shaped plain object (empty sections left out); `policyFromJson` reads it back. */
export function policyToJson(p: Policy): Obj {
  const permissions: Obj = {};
  const section = (allow: unknown[], deny?: unknown[]): Obj => ({ allow, ...(deny?.length ? { deny } : {}) });
  const storageOut = (r: StorageRule) => ({ uri: r.uri, access: [...r.access] });
  if (p.storage.allow.length || p.storage.deny.length) permissions.storage = section(p.storage.allow.map(storageOut), p.storage.deny.map(storageOut));
  if (p.network.allow.length || p.network.deny.length)
    permissions.network = section(
      p.network.allow.map((r) => ({ ...r })),
      p.network.deny.map((r) => ({ ...r })),
    );
  if (p.environment.allow.length) permissions.environment = section(p.environment.allow.map((r) => ({ ...r })));
  const lim: Obj = {};
  if (p.limits.memory !== undefined) lim.memory = p.limits.memory;
  if (p.limits.cpu !== undefined) lim.cpu = p.limits.cpu;
  if (p.limits.timeoutMs !== undefined) lim.timeout = formatDuration(p.limits.timeoutMs);
  return {
    version: p.version,
    ...(p.description === undefined ? {} : { description: p.description }),
    permissions,
    ...(Object.keys(lim).length ? { resources: { limits: lim } } : {}),
  };
}

/** The policy as policy.yaml text. */
export function serializePolicy(p: Policy): string {
  return stringify(policyToJson(p), { lineWidth: 0 });
}
