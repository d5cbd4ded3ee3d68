// Asks the user to approve one request through MCP elicitation, or leaves it pending for the CLI/UI.
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalsTable } from '../store/approvals.js';

export type Elicit = (message: string, schema: Record<string, unknown>) => Promise<ElicitResult>;

const APPROVE_SCHEMA = {
  type: 'object',
  properties: {
    approve: { type: 'boolean', title: 'Approve', description: 'Allow this request?', default: false },
  },
  required: ['approve'],
};

export type AskOutcome = 'approved' | 'denied' | 'pending';

/**
 * With an elicitation-capable client the user answers in place: accept + approve=true approves,
 * anything else (decline, cancel, approve=false) denies. Without one the request stays pending for
 * `wassette approvals approve <id>`. The decision is written to the approvals table either way.
 */
export async function askUser(approvals: ApprovalsTable, requestId: string, message: string, elicit: Elicit | undefined): Promise<AskOutcome> {
  if (!elicit) return 'pending';
  let answer: ElicitResult;
  try {
    answer = await elicit(message, APPROVE_SCHEMA);
  } catch {
    // A client that advertised elicitation but failed to answer: leave it to the CLI/UI.
    return 'pending';
  }
  const approved = answer.action === 'accept' && answer.content?.approve === true;
  const current = approvals.get(requestId);
  if (current?.status !== 'pending') return current?.status === 'approved' ? 'approved' : 'denied';
  approvals.decide(requestId, approved ? 'approved' : 'denied', 'user (elicitation)');
  return approved ? 'approved' : 'denied';
}
