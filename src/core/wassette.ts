// The application core: one object owning the store, runtime, catalog and permissions, offering operations that
// keep them consistent (sandboxes rebuilt, tool lists announced). The MCP layer and the CLI are thin layers over it.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Elicit } from '../approvals/ask-user.js';
import { pendingMessage, seekApproval } from '../approvals/flow.js';
import { oneLine } from '../approvals/one-line.js';
import { describeRecordedPolicy, recordPolicy } from '../approvals/load-request.js';
import { baseIdFor, parseSource } from '../component/source.js';
import type { Config } from '../config.js';
import { ErrorCode, WassetteError, errorMessage, unknownComponent } from '../errors.js';
import type { Logger } from '../log.js';
import { BlobStore } from '../oci/blob-store.js';
import type { RegistryClient } from '../oci/client.js';
import type { VerificationOutcome } from '../oci/signatures.js';
import { createRegistryClient } from '../oci/setup.js';
import { parseTrustPolicy } from '../oci/trust-policy.js';
import { ComponentRuntime } from '../runtime/component-runtime.js';
import { limitsAboveCeiling, toSandboxSpec } from '../sandbox/effective-policy.js';
import { PermissionService } from '../sandbox/permission-service.js';
import { policyToJson, type Policy } from '../sandbox/policy.js';
import { SecretStore } from '../sandbox/secrets.js';
import type { ControlPlaneEndpoint, SandboxSpec } from '../sandbox/spec.js';
import type { AuditEntry, AuditQuery } from '../store/audit.js';
import { openStore, type Store } from '../store/db.js';
import { ApprovalRequests } from './approval-requests.js';
import type { ComponentSummary, Prepared, Replacing } from './summary.js';
import { AuditQueue, DEFAULT_AUDIT_RETENTION } from './audit-queue.js';
import { pruneCaches, type PruneReport } from './cache-prune.js';
import type { CallContext } from './call-context.js';
import { dropForeignRights, secretsFor } from './carry-over.js';
import { Discovery, type ToolHit } from './discovery.js';
import { approvalStatus, loadTool, type LoadToolResult } from './load-tool.js';
import { loadQuestion, subjectSignature, TrustRules } from './trust.js';
import { requestedPermissions } from '../sandbox/requested-permissions.js';
import type { CrawlSummary } from '../../registry-crawler/crawl.js';
import type { CrawlTarget } from '../../registry-crawler/targets.js';
import { Catalog, type LoadedComponent } from './catalog.js';
import { chooseId, describeFetched, transpile } from './component-loader.js';
import { fetchComponent } from './fetch-component.js';
import { Permissions } from './permissions.js';
import { PolicyWatch } from './policy-watch.js';
import { loadProgress, type OnLoadStage } from './load-progress.js';
import type { Progress } from './call-context.js';
import { Restorer } from './restorer.js';
import { Secrets } from './secrets.js';
import { SpecCache } from './spec-cache.js';
import { perStretch } from './stretch-memo.js';
import { callComponentTool } from './tool-caller.js';

export type LoadRequestResult = (ComponentSummary & { status?: 'unavailable' }) | { status: 'denied' | 'pending'; request_id: string; message: string };

export interface WassetteOptions {
  /** Instantiate newly loaded components in the background (servers yes, one-shot CLI commands no). */
  warmOnLoad?: boolean;
  /** Tool names components may not take (the MCP layer's built-ins). */
  reservedToolNames?: ReadonlySet<string>;
  /** A server session: session-scoped grants are given to it and vanish when it closes (or after it was killed). */
  session?: boolean;
}

/** Whether a process still runs (signal 0 checks without sending); EPERM means it runs under another user. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type { ComponentSummary, Prepared };

const MAX_COMPONENT_BYTES = 256 * 1024 * 1024;
/** Stands for the bytes of a component waiting for approval once they are in the blob cache (see #prepareAhead). */
const IN_BLOB_CACHE = new Uint8Array(0);
/** Pending loads transpiled ahead of their approval at once; the others transpile when approved. */
const MAX_PREPARING_AHEAD = 2;
/** Larger components transpile once approved (a 12 MB JS component transpiles in ~3 s with ~320 MiB). */
const MAX_PREPARE_AHEAD_BYTES = 32 * 1024 * 1024;

export class Wassette {
  readonly config: Readonly<Config>;
  /** Grants, revokes and policy views; each change rebuilds the component's sandbox. */
  readonly permissions: Permissions;
  /** Per-component secrets; each change reaches running sandboxes in every process. */
  readonly secrets: Secrets;
  /** The approval queue: list, describe, decide (and carry out). */
  readonly approvals: ApprovalRequests;
  /** Trust rules ("trust this publisher"): list, add, revoke; consulted before a load asks the user. */
  readonly trust: TrustRules;
  /** This server's session id (servers only); its session-scoped grants end with it. */
  readonly session: string | undefined;
  readonly #store: Store;
  readonly #runtime: ComponentRuntime;
  readonly #blobs: BlobStore;
  readonly #log: Logger;
  readonly #catalog: Catalog;
  readonly #service: PermissionService;
  readonly #secretFiles: SecretStore;
  readonly #listeners = new Set<() => void>();
  readonly #specs: SpecCache;
  readonly #audit: AuditQueue;
  readonly #restorer: Restorer;
  readonly #warmOnLoad: boolean;
  readonly #discovery: Discovery;
  readonly #policies: PolicyWatch;
  #preparingAhead = 0;
  #registryClient: Promise<RegistryClient> | undefined;
  #controlPlane: ControlPlaneEndpoint[] = [];

  constructor(config: Readonly<Config>, store: Store, runtime: ComponentRuntime, blobs: BlobStore, log: Logger, opts: WassetteOptions = {}) {
    this.config = config;
    this.#store = store;
    this.#runtime = runtime;
    this.#blobs = blobs;
    this.#log = log;
    this.#warmOnLoad = opts.warmOnLoad ?? true;
    this.#catalog = new Catalog(new Set(opts.reservedToolNames ?? []));
    this.#secretFiles = new SecretStore(config.home);
    if (opts.session) {
      this.session = randomUUID();
      const dropped = store.sessions.closeDead(processAlive);
      if (dropped > 0) log.info(`dropped ${dropped} session grant(s) of servers that are no longer running`);
      store.sessions.open({ id: this.session, pid: process.pid, startedAt: Date.now() });
    }
    this.#service = new PermissionService(store, {
      approvalMode: config.approval,
      onChange: (id) => {
        this.#specs.invalidate(id);
        this.#policies.changed(id);
      },
      ...(this.session ? { session: this.session } : {}),
    });
    // One read of the change counter per stretch serves the policy watch, the restorer and the sandbox specs.
    const generation = perStretch(() => store.externalChangeCounter());
    this.#policies = new PolicyWatch(
      generation,
      () => this.#catalog.list().map((c) => c.id),
      (id) => JSON.stringify(this.#service.listGrants(id)),
    );
    const invalidate = (id: string): void => this.#specs.invalidate(id);
    this.permissions = new Permissions({
      service: this.#service,
      approvals: store.approvals,
      requireLoaded: (id) => this.#requireRecorded(id),
      invalidate,
      warn: (m) => log.warn(m),
    });
    this.secrets = new Secrets({
      store,
      files: this.#secretFiles,
      invalidate,
      grantedKeys: (id) => new Set(this.#service.effectivePolicy(id).environment.allow.map((r) => r.key)),
    });
    this.trust = new TrustRules(store, config.trustRules);
    this.approvals = new ApprovalRequests({
      approvals: store.approvals,
      trust: this.trust,
      fetch: (ref, replacing) => this.prepare(ref, undefined, undefined, replacing),
      register: (p, policy) => this.#register(p, policy),
      applyGrant: (id) => void this.permissions.applyApproved(id),
    });
    this.#restorer = new Restorer({
      store,
      generation,
      blobs,
      runtime,
      catalog: this.#catalog,
      log,
      fetch: async (source) => (await this.prepare(source)).fetched,
      onRepaired: () => {
        this.#persistNames();
        this.#toolsChanged();
      },
    });
    this.#audit = new AuditQueue(store, (e) => log.warn(`audit log write failed: ${errorMessage(e)}`), {
      ...DEFAULT_AUDIT_RETENTION,
      maxRows: config.auditMaxRows,
      maxAgeMs: config.auditMaxAgeDays * 24 * 3600_000,
    });
    this.#specs = new SpecCache(generation, (id) => this.#buildSpec(id));
    this.#discovery = new Discovery(config, (m) => log.warn(m));
  }

  #buildSpec(id: string): SandboxSpec {
    const policy = this.#service.effectivePolicy(id);
    const ceiling = { timeoutMs: this.config.maxCallTimeoutMs, memoryBytes: this.config.maxMemoryLimitBytes };
    for (const line of limitsAboveCeiling(policy, ceiling)) this.#log.warn(`${id}: ${line}; it runs at the ceiling`);
    const spec = toSandboxSpec(policy, {
      env: this.config.env,
      secrets: secretsFor(this.#store, this.#secretFiles, id),
      defaults: { timeoutMs: this.config.callTimeoutMs, memoryBytes: this.config.memoryLimitBytes, maxOutputBytes: this.config.maxOutputBytes },
      ceiling,
    });
    const own = { ...spec, reserved: [this.config.home, this.config.configFile] };
    return this.#controlPlane.length > 0 ? { ...own, controlPlane: this.#controlPlane } : own;
  }

  // ---- Tools

  /** The loaded components' tools, after following changes other processes made. */
  async tools(): Promise<Tool[]> {
    await this.syncFromStore();
    return this.#catalog.mcpTools();
  }

  /** Calls a component tool; undefined when no component tool has that name. */
  async callTool(name: string, args: Record<string, unknown>, ctx: CallContext): Promise<CallToolResult | undefined> {
    await this.syncFromStore();
    const tool = this.#catalog.tool(name);
    const component = tool ? this.#catalog.get(tool.componentId) : undefined;
    if (!tool || !component) return undefined;
    return callComponentTool({ runtime: this.#runtime, audit: this.#audit, log: this.#log, specFor: (id) => this.specFor(id) }, component, tool, args, ctx);
  }

  /** Subscribes to changes of the component tool set; returns the unsubscribe function. */
  onToolsChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Subscribes to changes of a loaded component's effective policy (grants, revokes, resets, here or in another process). */
  onPolicyChanged(listener: (componentId: string) => void): () => void {
    return this.#policies.on(listener);
  }

  /** The WIT of a loaded component, as decoded from its binary; undefined when no such component is loaded here. */
  witOf(id: string): string | undefined {
    return this.#catalog.get(id)?.description.wit;
  }

  #toolsChanged(): void {
    for (const l of this.#listeners) l();
  }

  // ---- Components

  registry(): Promise<RegistryClient> {
    this.#registryClient ??= createRegistryClient({
      insecureRegistries: this.config.insecureRegistries,
      registryAuthValue: this.config.registryAuth,
      ...(this.config.dockerConfigDir !== undefined ? { dockerConfigDir: this.config.dockerConfigDir } : {}),
    });
    return this.#registryClient;
  }

  /**
   * Fetches, verifies and describes a component without registering it. With `replacing` (a loaded version of the
   * same source that this one is to replace), it is described under that version's id, so loading it is an upgrade
   * in place; ignored when that id no longer holds that digest.
   */
  async prepare(path: string, policyFile?: string, onStage?: OnLoadStage, replacing?: Replacing): Promise<Prepared> {
    const source = parseSource(path);
    const fetched = await fetchComponent(source, {
      blobs: this.#blobs,
      registry: () => this.registry(),
      trust: parseTrustPolicy(this.config.trust, this.config.requireSignatures),
      maxBytes: MAX_COMPONENT_BYTES,
      priorVerification: (pinned) => {
        const record = this.#store.components.list().find((c) => c.source === pinned);
        return (record?.verification ?? undefined) as VerificationOutcome | undefined;
      },
      ...(onStage ? { onStage } : {}),
    });
    if (policyFile !== undefined) {
      fetched.policyYaml = await readFile(policyFile, 'utf8').catch((e: unknown) => {
        throw new WassetteError(ErrorCode.NotFound, `cannot read policy file ${policyFile}: ${errorMessage(e)}`);
      });
      fetched.policyOrigin = policyFile;
    }
    const existing = this.#store.components.list().find((c) => c.source === fetched.source);
    onStage?.('describe', `decoding the WIT interface of ${fetched.source}`);
    const upgrade = replacing && this.#store.components.get(replacing.id)?.digest === replacing.digest ? replacing.id : undefined;
    const id = existing?.id ?? upgrade ?? chooseId(baseIdFor(source), (x) => this.#catalog.has(x) || this.#store.components.get(x) !== undefined);
    return this.#described(id, fetched);
  }

  /** A fetched component described under `id`, with its tools named as they would be if it were loaded now. */
  #described(id: string, fetched: Prepared['fetched']): Prepared {
    const d = describeFetched(id, fetched);
    const names = this.#catalog.previewNames(d.component);
    const tools = d.component.tools.map((t, i) => ({
      name: names[i] ?? t.baseName,
      description: t.description,
      inputSchema: t.inputSchema,
      outputSchema: t.outputSchema,
    }));
    return { fetched, component: d.component, policy: d.policy, warnings: d.warnings, tools };
  }

  /** Loads (or reloads) a component for the user; with `expectDigest`, other bytes are refused before anything is kept. */
  async load(path: string, opts: { policyFile?: string; expectDigest?: string } = {}): Promise<ComponentSummary> {
    const p = await this.prepare(path, opts.policyFile);
    if (opts.expectDigest !== undefined && p.fetched.digest !== opts.expectDigest) {
      throw new WassetteError(ErrorCode.DigestMismatch, `${path}: expected digest ${opts.expectDigest} but the component's bytes hash to ${p.fetched.digest}`, {
        data: { expected: opts.expectDigest, actual: p.fetched.digest },
      });
    }
    return this.#register(p, p.policy);
  }

  /**
   * An agent asks to load a component: loaded at once in auto mode; in prompt mode the user is shown the digest,
   * signer, tools and the whole starting policy, and approval loads exactly that.
   */
  async requestLoad(path: string, elicit?: Elicit, progress?: Progress): Promise<LoadRequestResult> {
    const onStage = loadProgress(progress);
    const p = await this.prepare(path, undefined, onStage);
    const recorded = recordPolicy(p.fetched.policyYaml, p.fetched.policyOrigin, p.policy);
    const subject = { source: p.fetched.source, signature: subjectSignature(p.component.verification), permissions: requestedPermissions(p.policy) };
    const payload = { path, source: p.fetched.source, digest: p.fetched.digest, component: p.component.id, policy: recorded, subject };
    const gate = this.#service.requestLoad('agent', 'load_component', payload);
    if (gate.status === 'allowed') return this.#register(p, p.policy, onStage);
    this.#prepareAhead(p);
    onStage?.('approval', `waiting for the user to approve loading ${p.fetched.source}`);
    const c = p.component;
    const signed =
      c.verification?.status === 'verified' ? `signed (${c.verification.method}) by ${c.verification.signer}` : (c.verification?.status ?? 'unsigned');
    const flow = await seekApproval({
      approvals: this.#store.approvals,
      requestId: gate.requestId,
      message: [
        `An agent asks to load the component ${oneLine(c.source, 2000)}`,
        `digest ${c.digest}, ${signed}`,
        `tools: ${c.tools.map((t) => t.baseName).join(', ')}`,
        describeRecordedPolicy(recorded),
      ].join('\n'),
      elicit,
      ...loadQuestion(this.trust, subject),
      trust: (r) => this.trust.trustRequest(r, 'user (elicitation)'),
      // The claim makes this exactly once: the CLI that approved may have loaded it already.
      apply: async () => (this.#store.approvals.markApplied(gate.requestId) ? this.#register(p, p.policy, onStage) : undefined),
      onBackgroundError: (m) => this.#log.warn(m),
    });
    if (flow.status === 'approved') {
      if (flow.value) return flow.value;
      await this.syncFromStore(); // another process carried it out
      return this.#summaryOf(c.id);
    }
    if (flow.status === 'denied') return { status: 'denied', request_id: flow.requestId, message: 'the user denied loading this component' };
    return { status: 'pending', request_id: flow.requestId, message: pendingMessage(flow.requestId, '; the tools appear when approved') };
  }

  /**
   * While the user decides, caches the bytes and transpiles them (by digest), so an approval only has to start the
   * instance. Nothing of the component runs: transpiling reads its binary, instantiating would run its code.
   */
  #prepareAhead(p: Prepared): void {
    const { bytes, digest, source } = p.fetched;
    void (async () => {
      await this.#blobs.put(bytes, digest);
      // A request may wait 15 minutes: from here on the approval reads the bytes back from the blob cache, so pending
      // requests (up to MAX_PENDING_REQUESTS, each up to MAX_COMPONENT_BYTES) do not hold them in memory.
      if (p.fetched.bytes === bytes) p.fetched.bytes = IN_BLOB_CACHE;
      // Only a few, not too large, transpile ahead at once: a queued job holds its bytes until the transpile process
      // takes it, and a transpile takes about 4.5x the component's size (1.2 GiB for 240 MiB) before anyone agreed.
      if (this.#preparingAhead >= MAX_PREPARING_AHEAD || bytes.length > MAX_PREPARE_AHEAD_BYTES) return;
      this.#preparingAhead++;
      try {
        await transpile(this.#runtime, digest, bytes, this.#blobs.path(digest));
      } finally {
        this.#preparingAhead--;
      }
    })().catch((e: unknown) => this.#log.debug(`preparing ${source} ahead of its approval failed: ${errorMessage(e)}`));
  }

  /** The component's bytes: in hand, or (a request that waited for its approval) read back from the blob cache. */
  async #bytesOf(fetched: Prepared['fetched']): Promise<Uint8Array> {
    if (fetched.bytes !== IN_BLOB_CACHE) return fetched.bytes;
    const bytes = await this.#blobs.get(fetched.digest);
    if (bytes) return bytes;
    // Pruned meanwhile (`wassette cache prune`): fetched again by the pinned source, and only the approved bytes do.
    const again = (await this.prepare(fetched.source)).fetched;
    if (again.digest !== fetched.digest) {
      throw new WassetteError(
        ErrorCode.DigestMismatch,
        `${fetched.source} changed since it was approved (approved ${fetched.digest}, now ${again.digest}); not loaded`,
      );
    }
    return again.bytes;
  }

  /** Registers a prepared component: cache bytes, transpile, persist, then expose its tools. */
  async #register(p: Prepared, policy: Policy | undefined, onStage?: OnLoadStage): Promise<ComponentSummary> {
    const { fetched, component } = p;
    let warnings = p.warnings;
    const bytes = await this.#bytesOf(fetched);
    await this.#blobs.put(bytes, fetched.digest);
    onStage?.('transpile', `translating ${component.id} for the JS runtime (cached by digest)`);
    await transpile(this.#runtime, fetched.digest, bytes, this.#blobs.path(fetched.digest));
    const names = this.#catalog.previewNames(component);
    const previous = this.#catalog.get(component.id);
    const recorded = this.#store.components.get(component.id);
    this.#store.db
      .transaction(() => {
        this.#store.components.upsert({
          id: component.id,
          source: component.source,
          digest: component.digest,
          policy: policy ? policyToJson(policy) : null,
          verification: component.verification ?? null,
          tools: names,
        });
        // Other code now answers to this id (an upgrade): grant requests asked for the code it replaces end here.
        if (recorded && recorded.digest !== component.digest) this.#store.approvals.expireForComponent(component.id);
      })
      .immediate();
    // Rights given to other code under this id (an earlier load, or before an unload) do not carry over.
    const dropped = dropForeignRights(this.#store, this.#secretFiles, component.id, { source: component.source, digest: component.digest });
    if (dropped) warnings = [...warnings, dropped];
    if (previous && previous.digest !== component.digest) await this.#runtime.unload(component.id);
    this.#catalog.put(component);
    this.#specs.invalidate(component.id);
    this.#persistNames();
    this.#toolsChanged();
    if (this.#warmOnLoad) void this.#runtime.warm(component.id, component.digest, this.specFor(component.id));
    this.#log.info(`loaded ${component.id} from ${component.source} (${component.digest.slice(0, 19)}…, ${names.length} tools)`);
    onStage?.('done', `loaded ${component.id}: ${names.length} tool(s)`);
    return { ...this.#summary(component), ...(warnings.length ? { warnings } : {}) };
  }

  async unload(id: string): Promise<void> {
    if (!this.#catalog.has(id)) this.#requireRecorded(id);
    await this.#runtime.unload(id);
    // Grants die with the component, so must requests for grants that nobody has decided yet.
    this.#store.db
      .transaction(() => {
        this.#store.components.delete(id);
        this.#store.approvals.expireForComponent(id);
      })
      .immediate();
    this.#catalog.remove(id);
    this.#restorer.forget(id);
    this.#specs.invalidate(id);
    this.#persistNames();
    this.#toolsChanged();
  }

  list(): ComponentSummary[] {
    const broken = this.#restorer
      .unavailableComponents()
      .map(({ record: r, error }): ComponentSummary => ({ id: r.id, source: r.source, digest: r.digest, tools: [], status: 'unavailable', error }));
    return [...this.#catalog.list().map((c) => this.#summary(c)), ...broken];
  }

  #summaryOf(id: string): ComponentSummary {
    const c = this.#catalog.get(id);
    if (!c) throw unknownComponent(id);
    return this.#summary(c);
  }

  #summary(c: LoadedComponent): ComponentSummary {
    const record = this.#store.components.get(c.id);
    return {
      id: c.id,
      source: c.source,
      digest: c.digest,
      tools: this.#catalog.toolNames(c.id),
      ...(c.verification ? { verification: c.verification } : { verification: { status: 'unsigned' } }),
      ...(record?.policy ? { policy: record.policy } : {}),
    };
  }

  /** Serves every stored component again from the blob and transpile caches (no network). */
  async restore(): Promise<void> {
    await this.#restorer.restoreAll();
    this.#persistNames();
  }

  /**
   * Follows loads and unloads made by another process (the CLI, the approvals UI) on the same store:
   * cheap when nothing changed (one pragma read). Emits list_changed when the tool set changed.
   */
  async syncFromStore(): Promise<void> {
    this.#policies.check();
    if (!(await this.#restorer.sync())) return;
    this.#specs.invalidate();
    this.#toolsChanged();
  }

  /** Tool names are derived from the whole set; keep the stored copy in step after every change. */
  #persistNames(): void {
    for (const c of this.#catalog.list()) {
      const record = this.#store.components.get(c.id);
      const names = this.#catalog.toolNames(c.id);
      if (record && JSON.stringify(record.tools) !== JSON.stringify(names)) this.#store.components.upsert({ ...record, tools: names });
    }
  }

  /** A component is known when the store records it (served here, by another process, or unavailable). */
  #requireRecorded(id: string): void {
    if (!this.#store.components.get(id)) throw unknownComponent(id);
  }

  // ---- Sandbox and state

  /** The sandbox the component's next call gets; rebuilt when grants, secrets or policies change (in any process). */
  specFor(id: string): SandboxSpec {
    return this.#specs.get(id);
  }

  /** Forgets cached sandboxes, so the next call rebuilds them (every change already does this itself). */
  refreshSandboxes(id?: string): void {
    this.#specs.invalidate(id);
  }

  /**
   * The endpoints this server listens on (set by `serve --http` once bound, before the first request is
   * accepted): from then on every component's sandbox refuses them. Running instances restart on their next call.
   */
  setControlPlane(endpoints: ControlPlaneEndpoint[]): void {
    this.#controlPlane = endpoints.map((e) => ({ port: e.port, names: [...e.names] }));
    this.#specs.invalidate();
  }

  /** An agent asks to add a found tool (`load_tool`): one request for fetching, loading and its starting permissions. */
  async requestTool(ref: string, reason: string | undefined, ctx: Pick<CallContext, 'elicit' | 'progress' | 'signal'> = {}): Promise<LoadToolResult> {
    await this.syncFromStore();
    const onStage = loadProgress(ctx.progress);
    return loadTool(
      {
        prepare: (r) => this.prepare(r, undefined, onStage),
        upgrading: (p, previous) =>
          p.component.id === previous.id || this.#store.components.get(previous.id)?.digest !== previous.digest ? p : this.#described(previous.id, p.fetched),
        register: (p, policy) => this.#register(p, policy, onStage),
        loaded: () => this.#catalog.list().map((c) => ({ ...this.#summary(c), permissions: requestedPermissions(this.#service.effectivePolicy(c.id)) })),
        service: this.#service,
        approvals: this.#store.approvals,
        trust: this.trust,
        warn: (m) => this.#log.warn(m),
        sync: () => this.syncFromStore(),
        prepareAhead: (p) => this.#prepareAhead(p),
        waitMs: this.config.loadToolWaitMs,
      },
      ref,
      reason,
      ctx,
    );
  }

  /** Where an approval request stands (for an agent that was told to wait). */
  async approvalStatus(requestId: string): Promise<Record<string, unknown>> {
    await this.syncFromStore();
    const r = this.#store.approvals.get(requestId);
    if (!r) throw new WassetteError(ErrorCode.NotFound, `no approval request with id ${requestId}`);
    // The store's record, not this process's catalog: a load carried out by the CLI is done before this server
    // has restored it.
    return approvalStatus(
      r,
      this.#store.components.list().map((c) => ({ id: c.id, digest: c.digest, tools: c.tools })),
    );
  }

  // ---- Discovery

  /** Tools for a need described in words, from the crawled index and the loaded components. */
  async searchTools(query: string, limit = 5): Promise<{ ranking: string; results: ToolHit[] }> {
    await this.syncFromStore();
    const loaded = this.#catalog.list().map((component) => ({
      component,
      names: this.#catalog.toolNames(component.id),
      policy: this.#service.basePolicy(component.id),
    }));
    return this.#discovery.search(query, limit, loaded);
  }

  /** Crawls registries into the search index. */
  async crawl(targets: readonly CrawlTarget[], onProgress?: (done: number, total: number, current: string) => void): Promise<CrawlSummary> {
    return this.#discovery.crawl(targets, await this.registry(), parseTrustPolicy(this.config.trust, false), onProgress);
  }

  /** Makes the tools of MCP `tools/list` files searchable beside components. */
  importToolsLists(files: readonly string[]): Promise<Array<{ source: string; tools: number }>> {
    return this.#discovery.importToolsLists(files);
  }

  /** Audit log entries, newest first. */
  auditLog(query: AuditQuery): AuditEntry[] {
    this.#audit.flush();
    return this.#store.audit.query(query);
  }

  /** Deletes cached blobs and transpiled code no recorded component needs. */
  pruneCaches(): Promise<PruneReport> {
    return pruneCaches(this.#blobs, join(this.config.home, 'transpiled'), this.#store.components.list());
  }

  async close(): Promise<void> {
    await this.#restorer.settle();
    this.#audit.flush();
    await this.#runtime.close();
    await this.#discovery.close();
    if (this.session) this.#store.sessions.close(this.session);
    this.#store.close();
  }
}

export async function openWassette(config: Readonly<Config>, log: Logger, opts: WassetteOptions & { restore?: boolean } = {}): Promise<Wassette> {
  const store = openStore(config.home);
  const runtime = new ComponentRuntime({
    cacheDir: join(config.home, 'transpiled'),
    log: (m) => log.debug(m),
    idleStopMs: config.idleStopMs,
    transpileTimeoutMs: config.transpileTimeoutMs,
  });
  let w: Wassette;
  try {
    w = new Wassette(config, store, runtime, BlobStore.forHome(config.home), log, opts);
  } catch (e) {
    store.close();
    throw e;
  }
  if (opts.restore !== false) await w.restore();
  return w;
}
