// Asks the user to decide one request through MCP elicitation (one form, a single choice), or leaves it pending for
// the CLI/UI. The choices carry the decision's reach: a load once or with a trust rule, a grant for this session or
// always.
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { isWassetteError } from '../errors.js';
import type { ApprovalScope, ApprovalsTable } from '../store/approvals.js';

export type Elicit = (message: string, schema: Record<string, unknown>) => Promise<ElicitResult>;

/** Which choices the form offers: a load that can ground a trust rule, one that cannot, or a grant. */
export type ApprovalForm = 'load' | 'load-untrustable' | 'grant';

const CHOICES: Record<ApprovalForm, Array<{ const: string; title: string; scope: ApprovalScope | null }>> = {
  load: [
    { const: 'approve_once', title: 'Approve once', scope: 'once' },
    { const: 'approve_and_trust', title: 'Approve and trust this publisher (later loads from it skip this question)', scope: 'trust' },
    { const: 'deny', title: 'Deny', scope: null },
  ],
  'load-untrustable': [
    { const: 'approve_once', title: 'Approve once', scope: 'once' },
    { const: 'deny', title: 'Deny', scope: null },
  ],
  grant: [
    { const: 'session', title: 'Allow for this server session', scope: 'session' },
    { const: 'always', title: 'Allow always', scope: 'always' },
    { const: 'deny', title: 'Deny', scope: null },
  ],
};

/** The elicitation schema: one required single-choice field, `decision`, defaulting to deny. */
export function formSchema(form: ApprovalForm): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      decision: {
        type: 'string',
        title: 'Decision',
        description: 'What to do with this request',
        oneOf: CHOICES[form].map((c) => ({ const: c.const, title: c.title })),
        default: 'deny',
      },
    },
    required: ['decision'],
  };
}

/** The scope the answer approves with, or null for a denial (decline, cancel, deny, or anything not offered). */
export function scopeOf(form: ApprovalForm, answer: ElicitResult): ApprovalScope | null {
  if (answer.action !== 'accept') return null;
  const picked = answer.content?.decision;
  return CHOICES[form].find((c) => c.const === picked)?.scope ?? null;
}

export type AskOutcome = { status: 'approved'; scope: ApprovalScope } | { status: 'denied' } | { status: 'pending' };

/**
 * With an elicitation-capable client the user answers in place; anything but an offered approval denies. Without
 * one the request stays pending for `wassette approvals`. The decision (with its scope) is written to the approvals
 * table either way; when someone else decided first, theirs stands.
 */
export async function askUser(
  approvals: ApprovalsTable,
  requestId: string,
  message: string,
  elicit: Elicit | undefined,
  form: ApprovalForm,
): Promise<AskOutcome> {
  if (!elicit) return { status: 'pending' };
  let answer: ElicitResult;
  try {
    answer = await elicit(message, formSchema(form));
  } catch {
    // A client that advertised elicitation but failed to answer: leave it to the CLI/UI.
    return { status: 'pending' };
  }
  const scope = scopeOf(form, answer);
  try {
    approvals.decide(requestId, scope ? 'approved' : 'denied', 'user (elicitation)', Date.now(), scope);
  } catch (e) {
    // Decided (or expired) elsewhere while the form was open: that decision stands.
    if (!isWassetteError(e, 'invalid-argument')) throw e;
  }
  const after = approvals.get(requestId);
  if (after?.status === 'approved') return { status: 'approved', scope: after.scope ?? 'once' };
  if (after?.status === 'pending') return { status: 'pending' };
  return { status: 'denied' };
}
