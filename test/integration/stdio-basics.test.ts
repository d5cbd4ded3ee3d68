import { describe, expect, it } from 'vitest';
import { call, fixture, runCli, sharedSession, text } from '../helpers/cli.js';

describe('stdio server: load, call, unload', () => {
  const ctx = sharedSession();

  it('lists only the built-ins before anything is loaded', async () => {
    const { tools } = await ctx.session.client.listTools();
    expect(tools.map((x) => x.name)).toContain('load_component');
    expect(tools.some((x) => x.name === 'greet')).toBe(false);
  });

  it('loads a component, announces list_changed, and calls it', async () => {
    const s = ctx.session;
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

describe('stdio server follows the CLI', () => {
  const ctx = sharedSession();

  it('shows a component loaded by `wassette component load` in another process, and drops it on unload', async () => {
    const s = ctx.session;
    const loaded = await runCli(['component', 'load', fixture('spin'), '--json'], { home: ctx.home });
    expect(loaded.code, loaded.stderr).toBe(0);
    await expect.poll(() => s.listChanged(), { timeout: 5000 }).toBeGreaterThan(0);
    const names = (await s.client.listTools()).tools.map((x) => x.name);
    expect(names).toContain('ping');
    expect((await call(s, 'ping')).structuredContent).toEqual({ result: 42 });

    const before = s.listChanged();
    const unloaded = await runCli(['component', 'unload', 'spin'], { home: ctx.home });
    expect(unloaded.code, unloaded.stderr).toBe(0);
    await expect.poll(() => s.listChanged(), { timeout: 5000 }).toBeGreaterThan(before);
    expect((await s.client.listTools()).tools.map((x) => x.name)).not.toContain('ping');
  });
});
