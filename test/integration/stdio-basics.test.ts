import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, fixture, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';

describe('stdio server: load, call, unload', () => {
  const t = tempHome();
  let s: McpSession;
  beforeAll(async () => {
    s = await startStdioSession({ home: t.home });
  });
  afterAll(async () => {
    await s.close();
    t.cleanup();
  });

  it('lists only the built-ins before anything is loaded', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((x) => x.name)).toContain('load_component');
    expect(tools.some((x) => x.name === 'greet')).toBe(false);
  });

  it('loads a component, announces list_changed, and calls it', async () => {
    const loaded = await call(s, 'load_component', { path: fixture('all-types') });
    expect(loaded.isError).toBeFalsy();
    expect(loaded.structuredContent?.id).toBe('all-types');
    expect(loaded.structuredContent?.tools).toContain('greet');
    await expect.poll(() => s.listChanged()).toBeGreaterThan(0);
    const r = await call(s, 'greet', { name: 'agent' });
    expect(r.structuredContent).toEqual({ result: 'hello, agent' });
    expect(text(r)).toContain('hello, agent');
  });
});
