// Pure approval decision: may this actor do this action now, or must the user be asked first?
import type { ApprovalMode } from '../config.js';

export type Actor = 'user' | 'agent';
export type PermissionAction = 'load_component' | 'load_tool' | 'grant' | 'revoke' | 'reset';
export type Decision = 'allow' | 'ask';

export interface DecisionInput {
  actor: Actor;
  action: PermissionAction;
  approvalMode: ApprovalMode;
}

/** Actions that can only take rights away; nobody needs to approve those. */
const REDUCES_RIGHTS: ReadonlySet<PermissionAction> = new Set(['revoke', 'reset']);

/**
 * - The user (the `wassette` CLI, the approvals UI) acts for themself: always allow.
 * - The agent in `auto` mode: allow (the operator opted out of prompts).
 * - The agent in `prompt` mode: ask for anything that adds code or rights (load_component, load_tool,
 *   grant), but allow revoke and reset: they only shrink what a component may do, so asking would
 *   only slow down an agent that is tidying up, and a refused revoke would leave rights in place.
 * There is no 'deny' outcome here: refusals come from the user's answer, not from this table.
 */
export function decide(input: DecisionInput): Decision {
  if (input.actor === 'user') return 'allow';
  if (REDUCES_RIGHTS.has(input.action)) return 'allow';
  return input.approvalMode === 'auto' ? 'allow' : 'ask';
}
