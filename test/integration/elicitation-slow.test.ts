// A person may take more than a minute over an approval form: the server waits for the answer as long as the request
// stays answerable, instead of giving up at the SDK's default 60 s request timeout (which answered "pending" and then
// dropped the person's "approve once" on the floor, loading nothing).
import { CallToolResultSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, startStdioSession, tempHome } from '../helpers/cli.js';

describe('an approval form answered after more than a minute', () => {
  const t = tempHome('wassette-elicit-slow-');
  afterAll(() => t.cleanup());

  it('is acted on: the call completes with the tools', async () => {
    const s = await startStdioSession({
      home: t.home,
      env: { WASSETTE_APPROVAL: 'prompt' },
      elicit: async (): Promise<ElicitResult> => {
        await sleep(62_000);
        return { action: 'accept', content: { decision: 'approve_once' } };
      },
    });
    try {
      const r = await s.client.callTool({ name: 'load_tool', arguments: { ref: fixture('docs') } }, CallToolResultSchema, { timeout: 120_000 });
      expect(r.structuredContent).toMatchObject({ status: 'loaded', component_id: 'docs', tools: ['hello', 'api_run'] });
    } finally {
      await s.close();
    }
  }, 120_000);
});
