// Handlers of the built-in MCP tools. Agent-initiated loads and grants pass the one decision point
// (PermissionService) and, in prompt mode, wait for the user (elicitation) or stay pending.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Ajv, type ValidateFunction } from 'ajv';
import { askUser } from '../approvals/ask-user.js';
import { describeRecordedPolicy, recordPolicy } from '../approvals/load-request.js';
import { PENDING_TTL_MS, describeRequest, waitForDecision } from '../approvals/queue.js';
import { ErrorCode, WassetteError, errorMessage } from '../errors.js';
import { unenforcedRules } from '../sandbox/effective-policy.js';
import { parseGrant, type GrantKind } from '../sandbox/grants.js';
import { policyToJson, serializePolicy } from '../sandbox/policy.js';
import { BUILTIN_TOOLS } from './builtin-tools.js';
import type { CallContext } from './mcp-server.js';
import { errorResult, exceptionResult, okResult } from '../core/tool-result.js';
import type { Wassette } from '../core/wassette.js';

const ajv = new Ajv({ allErrors: false, strict: false });
const validators = new Map<string, ValidateFunction>(BUILTIN_TOOLS.map((t) => [t.name, ajv.compile(t.inputSchema)]));

/** How long a pending request is watched in the background before it expires. */
const PENDING_WATCH_MS = PENDING_TTL_MS;

function checkArgs(name: string, args: Record<string, unknown>): void {
  const validate = validators.get(name);
  if (!validate || validate(args)) return;
  const e = validate.errors?.[0];
  const where = e?.instancePath ? `'${e.instancePath.slice(1).replace(/\//g, '.')}'` : 'arguments';
  throw new WassetteError(ErrorCode.InvalidArgument, `invalid arguments for ${name}: ${where} ${e?.message ?? 'are invalid'}`);
}

type Handler = (w: Wassette, args: Record<string, unknown>, ctx: CallContext) => Promise<Record<string, unknown>>;

async function loadComponent(w: Wassette, args: Record<string, unknown>, ctx: CallContext): Promise<Record<string, unknown>> {
  const path = String(args.path);
  // Fetch and verify before asking, so the user decides on the digest, signer, tools and policy.
  const { fetched, prepared } = await w.fetch(path);
  const recorded = recordPolicy(fetched.policyYaml, fetched.policyOrigin, prepared.policy);
  const gate = w.permissions.requestLoad('agent', 'load_component', { path, source: fetched.source, digest: fetched.digest, policy: recorded });
  if (gate.status === 'allowed') return { ...(await w.register(fetched, prepared.component, prepared.policy, prepared.warnings)) };

  const c = prepared.component;
  const verification = c.verification?.status === 'verified' ? `signed (${c.verification.method}) by ${c.verification.signer}` : c.verification?.status ?? 'unsigned';
  const message = [
    `An agent asks to load the component ${c.source}`,
    `digest ${c.digest}, ${verification}`,
    `tools: ${c.tools.map((t) => t.baseName).join(', ')}`,
    describeRecordedPolicy(recorded),
  ].join('\n');
  const answer = await askUser(w.store.approvals, gate.requestId, message, ctx.elicit);
  if (answer === 'approved') {
    w.store.approvals.markApplied(gate.requestId);
    return { ...(await w.register(fetched, prepared.component, prepared.policy, prepared.warnings)) };
  }
  if (answer === 'denied') return { status: 'denied', request_id: gate.requestId, message: 'the user denied loading this component' };
  // No elicitation: finish the load in the background once someone approves from the CLI or UI.
  waitForDecision(w.store.approvals, gate.requestId, { timeoutMs: PENDING_WATCH_MS })
    .then(async (req) => {
      // The claim makes this exactly once: the CLI that approved may have loaded it already.
      if (req.status !== 'approved' || !w.store.approvals.markApplied(gate.requestId)) return;
      await w.register(fetched, prepared.component, prepared.policy, prepared.warnings);
    })
    .catch((e: unknown) => w.log.warn(`pending load ${gate.requestId} failed: ${errorMessage(e)}`));
  return {
    status: 'pending',
    request_id: gate.requestId,
    message: `waiting for the user to approve (wassette approvals approve ${gate.requestId}); the tools appear when approved`,
  };
}

function grant(kind: GrantKind): Handler {
  return async (w, args, ctx) => {
    const id = String(args.component_id);
    w.requireComponent(id);
    const g = parseGrant(kind, args.details);
    const out = w.permissions.requestGrant('agent', id, g);
    if (out.status === 'applied') {
      w.invalidateSpecs(id);
      return { status: 'granted', component_id: id, grant: out.grant };
    }
    const req = w.store.approvals.get(out.requestId);
    const answer = await askUser(w.store.approvals, out.requestId, req ? describeRequest(req) : `grant ${JSON.stringify(g)} to ${id}`, ctx.elicit);
    if (answer === 'approved') {
      const applied = w.permissions.applyApproved(out.requestId);
      w.invalidateSpecs(id);
      return { status: 'granted', component_id: id, grant: applied.status === 'applied' ? applied.grant : g };
    }
    if (answer === 'denied') return { status: 'denied', request_id: out.requestId, message: 'the user denied this permission' };
    waitForDecision(w.store.approvals, out.requestId, { timeoutMs: PENDING_WATCH_MS })
      .then((r) => {
        if (r.status === 'approved' && r.appliedAt === null) w.permissions.applyApproved(out.requestId);
        w.invalidateSpecs(id);
      })
      .catch((e: unknown) => w.log.warn(`pending grant ${out.requestId} failed: ${errorMessage(e)}`));
    return { status: 'pending', request_id: out.requestId, message: `waiting for the user to approve (wassette approvals approve ${out.requestId})` };
  };
}

function revoke(kind: GrantKind): Handler {
  return async (w, args) => {
    const id = String(args.component_id);
    w.requireComponent(id);
    const { revoked } = w.permissions.revoke('agent', id, kind, args.details);
    w.invalidateSpecs(id);
    return { status: revoked ? 'revoked' : 'not-granted', component_id: id };
  };
}

export function policyView(w: Wassette, id: string): Record<string, unknown> {
  const policy = w.effectivePolicy(id);
  const unenforced = unenforcedRules(policy);
  return {
    component_id: id,
    policy: policyToJson(policy),
    policy_yaml: serializePolicy(policy),
    grants: w.permissions.listGrants(id),
    ...(unenforced.length ? { unenforced } : {}),
  };
}

const HANDLERS: Record<string, Handler> = {
  load_component: loadComponent,
  unload_component: async (w, args) => {
    await w.unload(String(args.id));
    return { status: 'unloaded', id: args.id };
  },
  list_components: async (w) => ({ components: w.list() }),
  get_policy: async (w, args) => policyView(w, String(args.component_id)),
  grant_storage_permission: grant('storage'),
  grant_network_permission: grant('network'),
  grant_environment_variable_permission: grant('environment'),
  revoke_storage_permission: revoke('storage'),
  revoke_network_permission: revoke('network'),
  revoke_environment_variable_permission: revoke('environment'),
  reset_permission: async (w, args) => {
    const id = String(args.component_id);
    w.requireComponent(id);
    const { removed } = w.permissions.reset('agent', id);
    w.invalidateSpecs(id);
    return { status: 'reset', component_id: id, removed };
  },
};

export async function dispatchBuiltin(w: Wassette, name: string, args: Record<string, unknown>, ctx: CallContext): Promise<CallToolResult> {
  const handler = HANDLERS[name];
  if (!handler) return errorResult(`built-in tool ${name} has no handler`);
  try {
    checkArgs(name, args);
    return okResult(await handler(w, args, ctx));
  } catch (e) {
    w.log.debug(`${name} failed: ${errorMessage(e)}`);
    return exceptionResult(e);
  }
}
