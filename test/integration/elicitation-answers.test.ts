// What the client answers to an approval form decides the request: an answer the form did not offer (a value outside
// its choices, an accept without content) is a denial, as docs/approvals.md says, not a failure that leaves the
// request pending for the CLI.
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

const PROMPT = { WASSETTE_APPROVAL: 'prompt' };

describe('answers an approval form did not offer', () => {
  const t = tempHome('wassette-elicit-answers-');
  let s: McpSession;
  const answers: ElicitResult[] = [
    { action: 'accept', content: { decision: 'approve_everything' } },
    { action: 'accept' },
    { action: 'accept', content: { decision: 'approve_once' } },
  ];
  beforeAll(async () => {
    s = await startStdioSession({ home: t.home, env: PROMPT, elicit: () => answers.shift() ?? { action: 'decline' } });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    t.cleanup();
  });

  it.each(['a choice outside the form', 'an accept without content'])('%s denies, recorded as decided in the client', async () => {
    const r = await call(s, 'load_tool', { ref: fixture('docs') });
    expect(r.structuredContent?.status, text(r)).toBe('denied');
    const all = JSON.parse((await runCli(['approvals', 'list', '--all', '--json'], { home: t.home, env: PROMPT })).stdout).requests;
    expect(all.at(-1)).toMatchObject({ status: 'denied', decidedBy: 'user (elicitation)' });
  });

  it('an offered choice still approves', async () => {
    const r = await call(s, 'load_tool', { ref: fixture('docs') });
    expect(r.structuredContent, text(r)).toMatchObject({ status: 'loaded', tools: ['hello', 'api_run'] });
  });
});
