// Configuration: defaults < config file < WASSETTE_* environment < flags; read once, validated, frozen.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ErrorCode, WassetteError } from './errors.js';

export type ApprovalMode = 'prompt' | 'auto';

export interface Config {
  /** Directory holding all state: SQLite db, blob cache, transpile cache, index, secrets. */
  home: string;
  /** The config file read (`$WASSETTE_CONFIG` or `<home>/config.yaml`), whether or not it exists. */
  configFile: string;
  approval: ApprovalMode;
  callTimeoutMs: number;
  /** `transpile_timeout_ms` / `WASSETTE_TRANSPILE_TIMEOUT_MS`: a transpile running longer is stopped and its load fails with `timeout`. */
  transpileTimeoutMs: number;
  /**
   * `idle_stop_ms` / `WASSETTE_IDLE_STOP_MS`: a component instance with no call for this long is stopped (its
   * worker and memory freed) and restarted from the transpile cache on its next call; 0 never stops one.
   * Instances holding live resource handles are kept, since a restart would invalidate the handles.
   */
  idleStopMs: number;
  memoryLimitBytes: number;
  /**
   * `max_memory_limit` / `max_call_timeout_ms`: the most any component gets, whatever its policy or grants ask for
   * (a policy travels with the component, so its limits are the publisher's wish, not the operator's).
   */
  maxMemoryLimitBytes: number;
  maxCallTimeoutMs: number;
  /** Largest serialized tool result accepted from a component. */
  maxOutputBytes: number;
  /** Largest JSON-RPC message accepted on stdio; longer lines are dropped as they arrive and answered with an error. */
  maxMessageBytes: number;
  /** Tools per `tools/list` page; a client that does not paginate sees everything while there are at most this many. */
  toolsPageSize: number;
  /** Audit log retention: rows beyond the newest `auditMaxRows` or older than `auditMaxAgeDays` are pruned. */
  auditMaxRows: number;
  auditMaxAgeDays: number;
  /** Registries allowed over plain http besides loopback. */
  insecureRegistries: string[];
  requireSignatures: boolean;
  /** Raw trust policy entries, interpreted by the oci module. */
  trust: unknown[];
  /** Raw `trust_rules` entries (publishers whose loads skip the prompt), interpreted by core/trust.ts. */
  trustRules: unknown[];
  /** Built-in tools the operator disabled. */
  disabledBuiltins: string[];
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Raw `WASSETTE_REGISTRY_AUTH` (JSON credentials by registry host); never logged. */
  registryAuth: string | undefined;
  /** Docker config directory for registry credentials (`$DOCKER_CONFIG`, else ~/.docker). */
  dockerConfigDir: string | undefined;
  /** The server's environment, the source of granted variables that have no secret. */
  env: Readonly<Record<string, string | undefined>>;
  /** `WASSETTE_EMBED_MODEL` / `embed_model`: the search embedder (a local model folder or a model id); undefined: the default. */
  embedModel?: string | undefined;
  /** Download the embedding model on first use when no local copy exists (`WASSETTE_MODEL_DOWNLOAD=0` turns it off). */
  modelDownload: boolean;
  /** Raw `crawl.registries` entries, interpreted by the crawler. */
  crawlRegistries: unknown[];
  /**
   * How long `load_tool` keeps the call open (with progress notifications) while the user decides, when the client
   * sent a progress token; 0 answers `pending` at once.
   */
  loadToolWaitMs: number;
  /** `WASSETTE_HTTP_TOKEN`: the bearer token `serve --http` requires (else the generated one in home); never logged, never in `env`. */
  httpToken?: string | undefined;
  /** `serve --http` answers single requests without a progress token as JSON rather than SSE (`http_json_responses`). */
  httpJsonResponses: boolean;
  /** SSE resumability caps: events and bytes one HTTP session's event store keeps, and bytes all sessions' keep. */
  httpEventStoreEvents: number;
  httpEventStoreBytes: number;
  httpEventStoreTotalBytes: number;
  /**
   * `http_session_idle_ms` / `WASSETTE_HTTP_SESSION_IDLE_MS`: an HTTP session with nothing open or unanswered for this
   * long is closed. 1 s to 24 h; no "never" (0), since a client that never sends DELETE would pin its session.
   */
  httpSessionIdleMs: number;
}

/** Server credentials kept out of `Config.env`, so no environment grant can hand them to a component. */
const SERVER_ONLY_ENV = ['WASSETTE_HTTP_TOKEN', 'WASSETTE_REGISTRY_AUTH'];

/** Large enough that the built-ins plus a few dozen components fit one page (clients that ignore nextCursor lose nothing). */
export const DEFAULT_TOOLS_PAGE_SIZE = 500;

export type ConfigOverrides = Partial<Config>;

const UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Parses a Kubernetes-style quantity ("512Mi", "1G", "1048576") into bytes. */
export function parseMemoryQuantity(value: string | number, field = 'memory'): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.floor(value);
  const m = /^\s*(\d+(?:\.\d+)?)\s*(Ki|Mi|Gi|Ti|k|M|G|T)?\s*$/.exec(String(value));
  if (!m) {
    throw new WassetteError(ErrorCode.InvalidConfig, `${field}: "${value}" is not a memory quantity (examples: 256Mi, 1Gi, 1000000)`);
  }
  const bytes = Math.floor(Number(m[1]) * (UNITS[m[2] ?? ''] ?? 1));
  if (bytes <= 0) throw new WassetteError(ErrorCode.InvalidConfig, `${field}: must be greater than zero`);
  return bytes;
}

function positiveInt(value: unknown, field: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new WassetteError(ErrorCode.InvalidConfig, `${field}: "${String(value)}" is not a positive integer`);
  }
  return n;
}

function nonNegativeInt(value: unknown, field: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw new WassetteError(ErrorCode.InvalidConfig, `${field}: "${String(value)}" is not a whole number of milliseconds`);
  }
  return n;
}

/** Ceilings on what a component's policy or grants may raise its limits to (config can move them). */
export const DEFAULT_MAX_MEMORY_LIMIT = '4Gi';
export const DEFAULT_MAX_CALL_TIMEOUT_MS = 600_000;

/** Ten minutes: an agent's pause between two uses of a tool is usually shorter; a forgotten tool frees its memory. */
export const DEFAULT_IDLE_STOP_MS = 600_000;
/** A transpile running longer is stopped; a 12 MB JS component takes about 2 s here. */
export const DEFAULT_TRANSPILE_TIMEOUT_MS = 120_000;

export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/** Bytes all HTTP sessions' event stores hold together; without it 1,000 sessions could pin gigabytes. */
export const DEFAULT_EVENT_TOTAL_BYTES = 64 * 1024 * 1024;

/**
 * The per-session event store default: room for one largest tool result as the server sends it. Its JSON (at most
 * max_output_bytes) appears twice, as structuredContent and as the text in content, where escaping can double it
 * (every quote and backslash gains a backslash): 3x, plus 1 MiB for the envelope and the events around it.
 */
export function resumableResultBytes(maxOutputBytes: number): number {
  return 3 * maxOutputBytes + 1024 * 1024;
}

/** Thirty minutes: longer than an agent's usual pause between calls; a forgotten session frees its store. */
export const DEFAULT_HTTP_SESSION_IDLE_MS = 30 * 60_000;
const SESSION_IDLE_RANGE_MS = [1000, 24 * 60 * 60_000] as const;

/** Out of range is an error, not a silent clamp: 500 meant as seconds would otherwise become 1 s. */
function sessionIdleMs(value: unknown): number {
  const n = positiveInt(value, 'http_session_idle_ms');
  const [lo, hi] = SESSION_IDLE_RANGE_MS;
  if (n < lo || n > hi) throw new WassetteError(ErrorCode.InvalidConfig, `http_session_idle_ms: ${n} is outside ${lo}..${hi} ms (1 s to 24 h)`);
  return n;
}

/** setTimeout treats longer delays as 1 ms, which would time every call out at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay where 0 means "never". */
function optionalDelayMs(value: unknown, field: string): number {
  if (value === 0 || value === '0') return 0;
  return timeoutMs(value, field);
}

function timeoutMs(value: unknown, field: string): number {
  const n = positiveInt(value, field);
  if (n > MAX_TIMER_MS) throw new WassetteError(ErrorCode.InvalidConfig, `${field}: ${n} is above the largest supported limit, ${MAX_TIMER_MS} ms`);
  return n;
}

/** A switch that guards security (require_signatures): anything but a clear yes/no is an error, never a silent "no". */
function bool(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  const v = String(value).trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no' || v === '') return false;
  throw new WassetteError(ErrorCode.InvalidConfig, `${field}: "${String(value)}" must be true or false`);
}

/** Keys a config file may hold; an unknown one is usually a typo of a setting the user believes is on. */
const FILE_KEYS = [
  'approval',
  'call_timeout_ms',
  'transpile_timeout_ms',
  'idle_stop_ms',
  'memory_limit',
  'max_memory_limit',
  'max_call_timeout_ms',
  'max_output_bytes',
  'insecure_registries',
  'require_signatures',
  'trust',
  'trust_rules',
  'disabled_builtins',
  'log_level',
  'embed_model',
  'crawl',
  'max_message_bytes',
  'tools_page_size',
  'http_json_responses',
  'http_event_store_events',
  'http_event_store_bytes',
  'http_event_store_total_bytes',
  'http_session_idle_ms',
  'audit',
  'load_tool_wait_ms',
];

function approvalMode(value: unknown, field: string): ApprovalMode {
  if (value === 'prompt' || value === 'auto') return value;
  throw new WassetteError(ErrorCode.InvalidConfig, `${field}: "${String(value)}" must be "prompt" or "auto"`);
}

function logLevel(value: unknown): Config['logLevel'] {
  if (value === 'error' || value === 'warn' || value === 'info' || value === 'debug') return value;
  throw new WassetteError(ErrorCode.InvalidConfig, `log_level: "${String(value)}" must be error, warn, info or debug`);
}

function defaultHome(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.local', 'share'), 'wassette');
}

function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    // The yaml library's message spans several lines (with a source excerpt); the CLI prints one.
    const first = (e as Error).message.split('\n')[0] ?? '';
    throw new WassetteError(ErrorCode.InvalidConfig, `config file ${path}: ${first}`, { cause: e });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new WassetteError(ErrorCode.InvalidConfig, `config file ${path}: expected a mapping at the top level`);
  }
  const unknown = Object.keys(doc).filter((k) => !FILE_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new WassetteError(
      ErrorCode.InvalidConfig,
      `config file ${path}: unknown setting ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${FILE_KEYS.join(', ')})`,
    );
  }
  const trust = (doc as Record<string, unknown>).trust;
  if (trust !== undefined && trust !== null && !Array.isArray(trust)) {
    throw new WassetteError(ErrorCode.InvalidConfig, `config file ${path}: trust must be a list of entries (- scope: ...)`);
  }
  return doc as Record<string, unknown>;
}

/** The `audit:` mapping of the config file (`max_rows`, `max_age_days`). */
function auditSection(value: unknown): { max_rows?: unknown; max_age_days?: unknown } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new WassetteError(ErrorCode.InvalidConfig, 'audit: expected a mapping (max_rows, max_age_days)');
  }
  const unknown = Object.keys(value).filter((k) => k !== 'max_rows' && k !== 'max_age_days');
  if (unknown.length > 0) throw new WassetteError(ErrorCode.InvalidConfig, `audit: unknown setting "${unknown[0]}" (known: max_rows, max_age_days)`);
  return value as { max_rows?: unknown; max_age_days?: unknown };
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

/**
 * Builds the frozen configuration. The config file is `$WASSETTE_CONFIG` or `<home>/config.yaml`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Readonly<Config> {
  const home = resolve(overrides.home ?? env.WASSETTE_HOME ?? defaultHome(env));
  const configFile = resolve(env.WASSETTE_CONFIG ?? join(home, 'config.yaml'));
  const file = readConfigFile(configFile);
  const pick = (key: string, envKey: string): unknown => env[envKey] ?? file[key];
  const auditFile = auditSection(file.audit);

  const maxOutputBytes =
    overrides.maxOutputBytes ?? positiveInt(pick('max_output_bytes', 'WASSETTE_MAX_OUTPUT_BYTES') ?? DEFAULT_MAX_OUTPUT_BYTES, 'max_output_bytes');
  const storeBytes = pick('http_event_store_bytes', 'WASSETTE_HTTP_EVENT_STORE_BYTES');
  const httpEventStoreBytes =
    storeBytes === undefined ? resumableResultBytes(maxOutputBytes) : parseMemoryQuantity(String(storeBytes), 'http_event_store_bytes');
  const totalBytes = pick('http_event_store_total_bytes', 'WASSETTE_HTTP_EVENT_STORE_TOTAL_BYTES');
  const cfg: Config = {
    home,
    configFile,
    approval: approvalMode(pick('approval', 'WASSETTE_APPROVAL') ?? 'prompt', 'approval'),
    callTimeoutMs: timeoutMs(pick('call_timeout_ms', 'WASSETTE_CALL_TIMEOUT_MS') ?? 30_000, 'call_timeout_ms'),
    transpileTimeoutMs: timeoutMs(pick('transpile_timeout_ms', 'WASSETTE_TRANSPILE_TIMEOUT_MS') ?? DEFAULT_TRANSPILE_TIMEOUT_MS, 'transpile_timeout_ms'),
    idleStopMs: optionalDelayMs(pick('idle_stop_ms', 'WASSETTE_IDLE_STOP_MS') ?? DEFAULT_IDLE_STOP_MS, 'idle_stop_ms'),
    memoryLimitBytes: parseMemoryQuantity(String(pick('memory_limit', 'WASSETTE_MEMORY_LIMIT') ?? '512Mi'), 'memory_limit'),
    maxMemoryLimitBytes: parseMemoryQuantity(String(pick('max_memory_limit', 'WASSETTE_MAX_MEMORY_LIMIT') ?? DEFAULT_MAX_MEMORY_LIMIT), 'max_memory_limit'),
    maxCallTimeoutMs: timeoutMs(pick('max_call_timeout_ms', 'WASSETTE_MAX_CALL_TIMEOUT_MS') ?? DEFAULT_MAX_CALL_TIMEOUT_MS, 'max_call_timeout_ms'),
    maxOutputBytes,
    maxMessageBytes: positiveInt(pick('max_message_bytes', 'WASSETTE_MAX_MESSAGE_BYTES') ?? 16 * 1024 * 1024, 'max_message_bytes'),
    toolsPageSize: positiveInt(pick('tools_page_size', 'WASSETTE_TOOLS_PAGE_SIZE') ?? DEFAULT_TOOLS_PAGE_SIZE, 'tools_page_size'),
    auditMaxRows: positiveInt(env.WASSETTE_AUDIT_MAX_ROWS ?? auditFile.max_rows ?? 100_000, 'audit.max_rows'),
    auditMaxAgeDays: positiveInt(env.WASSETTE_AUDIT_MAX_AGE_DAYS ?? auditFile.max_age_days ?? 30, 'audit.max_age_days'),
    insecureRegistries: list(pick('insecure_registries', 'WASSETTE_INSECURE_REGISTRIES')),
    requireSignatures: bool(pick('require_signatures', 'WASSETTE_REQUIRE_SIGNATURES') ?? false, 'require_signatures'),
    trust: Array.isArray(file.trust) ? (file.trust as unknown[]) : [],
    trustRules: trustRulesSection(file.trust_rules),
    disabledBuiltins: list(pick('disabled_builtins', 'WASSETTE_DISABLED_BUILTINS')),
    logLevel: logLevel(pick('log_level', 'WASSETTE_LOG') ?? 'info'),
    registryAuth: env.WASSETTE_REGISTRY_AUTH,
    dockerConfigDir: env.DOCKER_CONFIG,
    env: Object.freeze(Object.fromEntries(Object.entries(env).filter(([k]) => !SERVER_ONLY_ENV.includes(k)))),
    httpToken: env.WASSETTE_HTTP_TOKEN === '' ? undefined : env.WASSETTE_HTTP_TOKEN,
    embedModel: optionalString(pick('embed_model', 'WASSETTE_EMBED_MODEL'), 'embed_model'),
    modelDownload: bool(env.WASSETTE_MODEL_DOWNLOAD ?? true, 'WASSETTE_MODEL_DOWNLOAD'),
    crawlRegistries: crawlSection(file.crawl),
    loadToolWaitMs: nonNegativeInt(pick('load_tool_wait_ms', 'WASSETTE_LOAD_TOOL_WAIT_MS') ?? 55_000, 'load_tool_wait_ms'),
    httpJsonResponses: bool(pick('http_json_responses', 'WASSETTE_HTTP_JSON_RESPONSES') ?? true, 'http_json_responses'),
    httpEventStoreEvents: positiveInt(pick('http_event_store_events', 'WASSETTE_HTTP_EVENT_STORE_EVENTS') ?? 1000, 'http_event_store_events'),
    httpEventStoreBytes,
    // The 64 MiB default grows only when one resumable result would not fit in it (max_output_bytes above ~21 MiB).
    httpEventStoreTotalBytes:
      totalBytes === undefined
        ? Math.max(DEFAULT_EVENT_TOTAL_BYTES, httpEventStoreBytes)
        : parseMemoryQuantity(String(totalBytes), 'http_event_store_total_bytes'),
    httpSessionIdleMs: sessionIdleMs(pick('http_session_idle_ms', 'WASSETTE_HTTP_SESSION_IDLE_MS') ?? DEFAULT_HTTP_SESSION_IDLE_MS),
  };
  const merged = { ...cfg, ...stripUndefined(overrides), home };
  if (merged.memoryLimitBytes > merged.maxMemoryLimitBytes) {
    throw new WassetteError(
      ErrorCode.InvalidConfig,
      `memory_limit (${merged.memoryLimitBytes} bytes) is above max_memory_limit (${merged.maxMemoryLimitBytes} bytes); raise max_memory_limit`,
    );
  }
  if (merged.callTimeoutMs > merged.maxCallTimeoutMs) {
    throw new WassetteError(
      ErrorCode.InvalidConfig,
      `call_timeout_ms (${merged.callTimeoutMs}) is above max_call_timeout_ms (${merged.maxCallTimeoutMs}); raise max_call_timeout_ms`,
    );
  }
  return Object.freeze(merged);
}

function optionalString(v: unknown, field: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new WassetteError(ErrorCode.InvalidConfig, `${field}: expected a string`);
  return v;
}

function trustRulesSection(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    throw new WassetteError(ErrorCode.InvalidConfig, 'trust_rules: expected a list of {place: oci://host/repository-prefix, signer?, max_permissions?}');
  }
  return v as unknown[];
}

function crawlSection(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  const registries = (v as { registries?: unknown }).registries;
  if (typeof v !== 'object' || (registries !== undefined && !Array.isArray(registries))) {
    throw new WassetteError(ErrorCode.InvalidConfig, 'crawl: expected {registries: [host[:port] | {registry, repositories}]}');
  }
  return (registries as unknown[] | undefined) ?? [];
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
