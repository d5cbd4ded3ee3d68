// The library facade: one object owning the store, runtime, catalog and permissions; the MCP server
// and the CLI are thin layers over it.
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { baseIdFor, parseSource } from '../component/source.js';
import type { Config } from '../config.js';
import { ErrorCode, WassetteError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { BlobStore } from '../oci/blob-store.js';
import type { RegistryClient } from '../oci/client.js';
import type { VerificationOutcome } from '../oci/signatures.js';
import { createRegistryClient } from '../oci/setup.js';
import { parseTrustPolicy } from '../oci/trust-policy.js';
import { ComponentRuntime } from '../runtime/component-runtime.js';
import { toSandboxSpec } from '../sandbox/effective-policy.js';
import { PermissionService } from '../sandbox/permission-service.js';
import { policyToJson, policyFromJson, type Policy } from '../sandbox/policy.js';
import { SecretStore } from '../sandbox/secrets.js';
import { dropForeignRights, secretsFor } from './carry-over.js';
import type { ControlPlaneEndpoint, SandboxSpec } from '../sandbox/spec.js';
import { openStore, type Store } from '../store/db.js';
import { BUILTIN_NAMES, BUILTIN_TOOLS } from '../mcp/builtin-tools.js';
import { Catalog, type LoadedComponent } from './catalog.js';
import { chooseId, describeFetched, transpile } from './component-loader.js';
import { fetchComponent, type FetchedComponent } from './fetch-component.js';
import type { CallContext, McpBackend } from '../mcp/mcp-server.js';
import { callComponentTool } from './tool-caller.js';
import { dispatchBuiltin } from '../mcp/builtin-handlers.js';
import { SpecCache } from './spec-cache.js';
import { AuditQueue, DEFAULT_AUDIT_RETENTION } from './audit-queue.js';
import { Restorer } from './restorer.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ComponentSummary {
  id: string;
  source: string;
  digest: string;
  tools: string[];
  verification?: unknown;
  policy?: unknown;
  warnings?: string[];
  /** Present when a recorded component cannot be served right now; `error` says why. */
  status?: 'unavailable';
  error?: string;
}

const MAX_COMPONENT_BYTES = 256 * 1024 * 1024;

export class Wassette implements McpBackend {
  readonly catalog: Catalog;
  readonly permissions: PermissionService;
  readonly secrets: SecretStore;
  private readonly listeners = new Set<() => void>();
  private readonly specs: SpecCache;
  private readonly audit: AuditQueue;
  private registryClient: Promise<RegistryClient> | undefined;
  private readonly builtins: (typeof BUILTIN_TOOLS)[number][];
  private readonly restorer: Restorer;
  private controlPlane: ControlPlaneEndpoint[] = [];

  constructor(
    readonly config: Readonly<Config>,
    readonly store: Store,
    readonly runtime: ComponentRuntime,
    readonly blobs: BlobStore,
    readonly log: Logger,
    /** Instantiate newly loaded components in the background (servers yes, one-shot CLI commands no). */
    private readonly warmOnLoad = true,
  ) {
    // A misspelt name would leave the tool the operator meant to switch off enabled, silently.
    const unknown = config.disabledBuiltins.filter((n) => !BUILTIN_NAMES.has(n));
    if (unknown.length > 0) {
      throw new WassetteError(ErrorCode.InvalidConfig, `disabled_builtins: no built-in tool named ${unknown.map((n) => `"${n}"`).join(', ')} (built-ins: ${[...BUILTIN_NAMES].join(', ')})`);
    }
    const enabled = BUILTIN_TOOLS.filter((t) => !config.disabledBuiltins.includes(t.name));
    this.catalog = new Catalog(new Set(BUILTIN_NAMES));
    this.builtins = enabled;
    this.secrets = new SecretStore(config.home);
    this.permissions = new PermissionService(store, {
      approvalMode: config.approval,
      onChange: (id) => this.specs.invalidate(id),
    });
    this.restorer = new Restorer({
      store, blobs, runtime, catalog: this.catalog, log,
      fetch: async (source) => (await this.fetch(source)).fetched,
      onRepaired: () => {
        this.persistNames();
        this.toolsChanged();
      },
    });
    this.audit = new AuditQueue(store, (e) => log.warn(`audit log write failed: ${errorMessage(e)}`), {
      ...DEFAULT_AUDIT_RETENTION, maxRows: config.auditMaxRows, maxAgeMs: config.auditMaxAgeDays * 24 * 3600_000,
    });
    this.specs = new SpecCache(() => store.externalChangeCounter(), (id) => {
      const spec = toSandboxSpec(this.permissions.effectivePolicy(id), {
        env: config.env,
        secrets: secretsFor(store, this.secrets, id),
        defaults: { timeoutMs: config.callTimeoutMs, memoryBytes: config.memoryLimitBytes, maxOutputBytes: config.maxOutputBytes },
      });
      const own = { ...spec, reserved: [config.home, config.configFile] };
      return this.controlPlane.length > 0 ? { ...own, controlPlane: this.controlPlane } : own;
    });
  }

  // ---- McpBackend

  async listTools(): Promise<Tool[]> {
    await this.syncFromStore();
    return [...this.builtins.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })), ...this.catalog.mcpTools()];
  }

  async callTool(name: string, args: Record<string, unknown>, ctx: CallContext): Promise<CallToolResult | undefined> {
    await this.syncFromStore();
    if (this.builtins.some((t) => t.name === name)) return dispatchBuiltin(this, name, args, ctx);
    const tool = this.catalog.tool(name);
    if (!tool) return undefined;
    const component = this.catalog.get(tool.componentId);
    if (!component) return undefined;
    return callComponentTool({ runtime: this.runtime, audit: this.audit, log: this.log, specFor: (id) => this.specFor(id) }, component, tool, args, ctx);
  }

  onToolsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private toolsChanged(): void {
    for (const l of this.listeners) l();
  }

  // ---- Components

  registry(): Promise<RegistryClient> {
    this.registryClient ??= createRegistryClient({
      insecureRegistries: this.config.insecureRegistries,
      registryAuthValue: this.config.registryAuth,
      ...(this.config.dockerConfigDir !== undefined ? { dockerConfigDir: this.config.dockerConfigDir } : {}),
    });
    return this.registryClient;
  }

  /** Fetches and verifies a component without registering it (inspect, approval prompts). */
  async fetch(path: string, policyFile?: string): Promise<{ fetched: FetchedComponent; prepared: ReturnType<typeof describeFetched> }> {
    const source = parseSource(path);
    const fetched = await fetchComponent(source, {
      blobs: this.blobs,
      registry: () => this.registry(),
      trust: parseTrustPolicy(this.config.trust, this.config.requireSignatures),
      maxBytes: MAX_COMPONENT_BYTES,
      priorVerification: (pinned) => {
        const record = this.store.components.list().find((c) => c.source === pinned);
        return (record?.verification ?? undefined) as VerificationOutcome | undefined;
      },
    });
    if (policyFile !== undefined) {
      fetched.policyYaml = await readFile(policyFile, 'utf8').catch((e: unknown) => {
        throw new WassetteError(ErrorCode.NotFound, `cannot read policy file ${policyFile}: ${errorMessage(e)}`);
      });
      fetched.policyOrigin = policyFile;
    }
    const existing = this.store.components.list().find((c) => c.source === fetched.source);
    const id = existing?.id ?? chooseId(baseIdFor(source), (x) => this.catalog.has(x) || this.store.components.get(x) !== undefined);
    return { fetched, prepared: describeFetched(id, fetched) };
  }

  /** Loads (or reloads) a component for the user; agent loads go through `requestLoad` first. */
  async load(path: string, opts: { policyFile?: string } = {}): Promise<ComponentSummary> {
    const { fetched, prepared } = await this.fetch(path, opts.policyFile);
    return this.register(fetched, prepared.component, prepared.policy, prepared.warnings);
  }

  /** Registers a fetched component: cache bytes, transpile, persist, then expose its tools. */
  async register(fetched: FetchedComponent, component: LoadedComponent, policy: Policy | undefined, warnings: string[] = []): Promise<ComponentSummary> {
    await this.blobs.put(fetched.bytes, fetched.digest);
    await transpile(this.runtime, fetched.digest, fetched.bytes);
    const names = this.catalog.previewNames(component);
    const previous = this.catalog.get(component.id);
    this.store.components.upsert({
      id: component.id,
      source: component.source,
      digest: component.digest,
      policy: policy ? policyToJson(policy) : null,
      verification: component.verification ?? null,
      tools: names,
    });
    // Rights given to other code under this id (an earlier load, or before an unload) do not carry over.
    const dropped = dropForeignRights(this.store, this.secrets, component.id, { source: component.source, digest: component.digest });
    if (dropped) warnings = [...warnings, dropped];
    if (previous && previous.digest !== component.digest) await this.runtime.unload(component.id);
    this.catalog.put(component);
    this.specs.invalidate(component.id);
    this.persistNames();
    this.toolsChanged();
    if (this.warmOnLoad) void this.runtime.warm(component.id, component.digest, this.specFor(component.id));
    this.log.info(`loaded ${component.id} from ${component.source} (${component.digest.slice(0, 19)}…, ${names.length} tools)`);
    return { ...this.summary(component), ...(warnings.length ? { warnings } : {}) };
  }

  async unload(id: string): Promise<void> {
    if (!this.catalog.has(id) && !this.store.components.get(id)) {
      throw new WassetteError(ErrorCode.UnknownComponent, `no loaded component with id "${id}"`);
    }
    await this.runtime.unload(id);
    // Grants die with the component, so must requests for grants that nobody has decided yet.
    this.store.db.transaction(() => {
      this.store.components.delete(id);
      this.store.approvals.expireForComponent(id);
    }).immediate();
    this.catalog.remove(id);
    this.restorer.forget(id);
    this.specs.invalidate(id);
    this.persistNames();
    this.toolsChanged();
  }

  list(): ComponentSummary[] {
    const broken = this.restorer.unavailableComponents().map(({ record: r, error }): ComponentSummary =>
      ({ id: r.id, source: r.source, digest: r.digest, tools: [], status: 'unavailable', error }));
    return [...this.catalog.list().map((c) => this.summary(c)), ...broken];
  }

  summary(c: LoadedComponent): ComponentSummary {
    const record = this.store.components.get(c.id);
    return {
      id: c.id,
      source: c.source,
      digest: c.digest,
      tools: this.catalog.toolNames(c.id),
      ...(c.verification ? { verification: c.verification } : { verification: { status: 'unsigned' } }),
      ...(record?.policy ? { policy: record.policy } : {}),
    };
  }

  /** Serves every stored component again from the blob and transpile caches (no network). */
  async restore(): Promise<void> {
    await this.restorer.restoreAll();
    this.persistNames();
  }

  /**
   * Follows loads and unloads made by another process (the CLI, the approvals UI) on the same store:
   * cheap when nothing changed (one pragma read). Emits list_changed when the tool set changed.
   */
  async syncFromStore(): Promise<void> {
    if (!(await this.restorer.sync())) return;
    this.specs.invalidate();
    this.toolsChanged();
  }

  /** Tool names are derived from the whole set; keep the stored copy in step after every change. */
  private persistNames(): void {
    for (const c of this.catalog.list()) {
      const record = this.store.components.get(c.id);
      const names = this.catalog.toolNames(c.id);
      if (record && JSON.stringify(record.tools) !== JSON.stringify(names)) this.store.components.upsert({ ...record, tools: names });
    }
  }

  // ---- Sandbox

  requireComponent(id: string): LoadedComponent {
    const c = this.catalog.get(id);
    if (!c) throw new WassetteError(ErrorCode.UnknownComponent, `no loaded component with id "${id}" (see list_components)`);
    return c;
  }

  effectivePolicy(id: string): Policy {
    this.requireComponent(id);
    return this.permissions.effectivePolicy(id);
  }

  basePolicy(id: string): Policy | undefined {
    const record = this.store.components.get(id);
    return record?.policy ? policyFromJson(record.policy) : undefined;
  }

  /** The sandbox for the next call; rebuilt when grants, secrets or policies change (also from other processes). */
  specFor(id: string): SandboxSpec {
    return this.specs.get(id);
  }

  /**
   * The endpoints this server listens on (set by `serve --http` once bound, before the first request is
   * accepted): from then on every component's sandbox refuses them. Running instances restart on their next call.
   */
  setControlPlane(endpoints: ControlPlaneEndpoint[]): void {
    this.controlPlane = endpoints.map((e) => ({ port: e.port, names: [...e.names] }));
    this.specs.invalidate();
  }

  /** Secrets live in files, not SQLite: forget cached specs after changing them. */
  invalidateSpecs(id?: string): void {
    this.specs.invalidate(id);
  }

  async close(): Promise<void> {
    await this.restorer.settle();
    this.audit.flush();
    await this.runtime.close();
    this.store.close();
  }
}

export async function openWassette(config: Readonly<Config>, log: Logger, opts: { restore?: boolean; warmOnLoad?: boolean } = {}): Promise<Wassette> {
  const store = openStore(config.home);
  const runtime = new ComponentRuntime({ cacheDir: join(config.home, 'transpiled'), log: (m) => log.debug(m) });
  let w: Wassette;
  try {
    w = new Wassette(config, store, runtime, BlobStore.forHome(config.home), log, opts.warmOnLoad ?? true);
  } catch (e) {
    store.close();
    throw e;
  }
  if (opts.restore !== false) await w.restore();
  return w;
}
