// Runs one component tool call: validate and convert arguments, run in the component's sandbox,
// convert the outcome to MCP structured content, and record the call and any denial in the audit log.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toolResultToJson } from '../component/tools.js';
import { validateArgs } from '../component/validate.js';
import { argsToWit } from '../component/values.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { splitResult, type CallOutcome } from '../runtime/call-outcome.js';
import type { ComponentRuntime } from '../runtime/component-runtime.js';
import type { Denial, SandboxSpec } from '../sandbox/spec.js';
import type { AuditQueue } from './audit-queue.js';
import type { LoadedComponent, NamedTool } from './catalog.js';
import type { CallContext } from './call-context.js';
import { errorResult, okResult } from './tool-result.js';

export interface CallerDeps {
  runtime: ComponentRuntime;
  audit: AuditQueue;
  log: Logger;
  specFor(componentId: string): SandboxSpec;
}

/** A denial as the agent gets it: the grant hint becomes the exact tool call, with this component's id. */
interface DenialView extends Omit<Denial, 'allow'> {
  allow?: { tool: string; arguments: { component_id: string; details: Record<string, unknown> } };
}

export function denialViews(componentId: string, denials: readonly Denial[]): DenialView[] {
  return denials.map(({ allow, ...d }) =>
    allow ? { ...d, allow: { tool: allow.tool, arguments: { component_id: componentId, details: { ...allow.details } } } } : d,
  );
}

function denialLines(views: readonly DenialView[]): string[] {
  return views.map(
    (d) =>
      `denied ${d.capability} access to ${d.target}: ${d.reason}${d.allow ? `\nto allow it, call ${d.allow.tool} ${JSON.stringify(d.allow.arguments)}` : ''}`,
  );
}

function audit(deps: CallerDeps, tool: NamedTool, outcome: CallOutcome, result: string, detail?: string): void {
  const { componentId } = tool;
  // A call that failed after the sandbox refused something failed because of the refusal (a guest seldom says
  // why it gave up): record it as denied, so the audit log does not call a missing grant an error.
  if (result !== 'ok' && outcome.denials.length > 0) {
    detail = detail ? `${result}: ${detail}` : result;
    result = 'denied';
  }
  deps.audit.push(
    ...outcome.denials.map((d) => ({ componentId, tool: tool.name, outcome: 'denied', capability: d.capability, target: d.target, detail: d.reason })),
    { componentId, tool: tool.name, durationMs: Math.round(outcome.durationMs * 1000) / 1000, outcome: result, ...(detail ? { detail } : {}) },
  );
}

function forwardOutput(ctx: CallContext, deps: CallerDeps, tool: NamedTool, outcome: CallOutcome): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    const text = outcome.output[stream];
    if (text.length === 0) continue;
    deps.log.info(`[${tool.componentId} ${stream}] ${text.trimEnd()}`);
    ctx.log(stream === 'stderr' ? 'warning' : 'info', { component: tool.componentId, tool: tool.name, stream, text });
  }
  for (const line of denialLines(denialViews(tool.componentId, outcome.denials))) {
    deps.log.warn(`[${tool.componentId}] ${line}`);
    ctx.log('warning', { component: tool.componentId, tool: tool.name, denial: line });
  }
}

export async function callComponentTool(
  deps: CallerDeps,
  component: LoadedComponent,
  tool: NamedTool,
  args: Record<string, unknown>,
  ctx: CallContext,
): Promise<CallToolResult> {
  const fn = tool.def.target.function;
  let witArgs: unknown[];
  try {
    witArgs = argsToWit(fn, validateArgs(tool.def, args));
  } catch (e) {
    deps.audit.push({ componentId: tool.componentId, tool: tool.name, outcome: 'invalid-argument', detail: errorMessage(e) });
    return errorResult(`invalid arguments for ${tool.name}: ${errorMessage(e)}`);
  }
  const target = tool.def.target.interface === undefined ? { function: fn } : { interface: tool.def.target.interface, function: fn };
  // The sandbox is read when the call leaves the component's queue: a grant revoked meanwhile no longer applies.
  const outcome = await deps.runtime.call(
    component.id,
    component.digest,
    () => deps.specFor(component.id),
    target,
    witArgs,
    ctx.signal ? { signal: ctx.signal } : {},
  );
  forwardOutput(ctx, deps, tool, outcome);
  const views = denialViews(component.id, outcome.denials);
  const denied = denialLines(views);

  if (!outcome.ok) {
    audit(deps, tool, outcome, outcome.code, outcome.message);
    const message = [`${tool.name} failed (${outcome.code}): ${outcome.message}`, ...denied].join('\n');
    return errorResult(message, { error: { code: outcome.code, message: outcome.message, ...(denied.length ? { denials: views } : {}) } });
  }
  let json: ReturnType<typeof toolResultToJson>;
  try {
    json = toolResultToJson(fn, splitResult(fn, outcome.value));
  } catch (e) {
    audit(deps, tool, outcome, 'error', errorMessage(e));
    return errorResult(`${tool.name} returned a value that does not match its WIT type: ${errorMessage(e)}`);
  }
  if (json.isError) {
    audit(deps, tool, outcome, 'error', 'returned err');
    const text = [`${tool.name} returned an error: ${JSON.stringify(json.structured.error)}`, ...denied].join('\n');
    return errorResult(text, denied.length ? { ...json.structured, denials: views } : json.structured);
  }
  audit(deps, tool, outcome, 'ok');
  const result = okResult(json.structured);
  if (denied.length > 0) result.content.push({ type: 'text', text: denied.join('\n') });
  return result;
}
