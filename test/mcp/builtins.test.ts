// The built-in list: one definition each, schemas that refuse bad arguments before any handler runs, handlers that
// get typed arguments and reach the core's operations, and the operator's disabled list checked by name.
import { Ajv } from 'ajv';
import { describe, expect, it, vi } from 'vitest';
import { BUILTINS, BUILTIN_NAMES, enabledBuiltins } from '../../src/mcp/builtins/list.js';
import type { Wassette } from '../../src/core/wassette.js';
import { isWassetteError, unknownComponent } from '../../src/errors.js';

const ctx = { log: () => undefined };
const byName = (n: string) => BUILTINS.find((b) => b.name === n)!;

describe('built-in list', () => {
  it('holds the Wassette-compatible tools once each, with object schemas', () => {
    expect(BUILTINS.map((b) => b.name)).toEqual([
      'load_component',
      'unload_component',
      'list_components',
      'load_tool',
      'approval_status',
      'get_policy',
      'grant_storage_permission',
      'grant_network_permission',
      'grant_environment_variable_permission',
      'revoke_storage_permission',
      'revoke_network_permission',
      'revoke_environment_variable_permission',
      'reset_permission',
      'search_tools',
    ]);
    expect(BUILTIN_NAMES.size).toBe(BUILTINS.length);
    for (const b of BUILTINS) {
      expect(b.inputSchema.type).toBe('object');
      expect(b.description.length).toBeGreaterThan(20);
    }
  });

  it('has input schemas that are valid JSON Schema (the server compiles them without the meta-schema check)', () => {
    const strict = new Ajv({ strict: true, allErrors: true });
    for (const b of BUILTINS) {
      expect(strict.validateSchema(b.inputSchema), `${b.name}: ${strict.errorsText(strict.errors)}`).toBe(true);
      expect(() => strict.compile(b.inputSchema), b.name).not.toThrow();
    }
  });

  it('refuses a misspelt disabled name and drops the named ones', () => {
    try {
      enabledBuiltins(['reset_permissions']);
      expect.unreachable();
    } catch (e) {
      expect(isWassetteError(e, 'invalid-config')).toBe(true);
      expect(String(e)).toContain('"reset_permissions"');
    }
    expect(enabledBuiltins(['load_component']).map((b) => b.name)).not.toContain('load_component');
  });
});

describe('argument checking', () => {
  const core = {} as Wassette; // never reached: the schema refuses first

  it.each([
    ['grant_network_permission', { component_id: 'c' }, "'arguments' must have required property 'details'"],
    ['grant_network_permission', { component_id: 'c', details: {} }, "'details' must have required property 'host'"],
    ['grant_storage_permission', { component_id: 'c', details: { uri: '/etc', access: ['read'] } }, "'details.uri' must match pattern"],
    [
      'grant_storage_permission',
      { component_id: 'c', details: { uri: 'fs:///x', access: ['exec'] } },
      "'details.access.0' must be equal to one of the allowed values",
    ],
    ['load_component', { path: '' }, "'path' must NOT have fewer than 1 characters"],
    ['unload_component', { id: 'x', extra: 1 }, 'must NOT have additional properties'],
  ])('%s %j is an argument error', async (name, args, message) => {
    const r = await byName(name).call(core, args as never, ctx);
    expect(r.isError).toBe(true);
    const text = JSON.stringify(r.content);
    expect(text).toContain(`invalid arguments for ${name}`);
    expect(text.replace(/\\"/g, '"')).toContain(message.replace("'arguments' ", 'arguments '));
  });
});

describe('handlers', () => {
  it('pass typed arguments to the core operations and shape their results', async () => {
    const request = vi.fn(async () => ({ status: 'granted', component_id: 'c', grant: { kind: 'network', host: 'a.com' } }));
    const revoke = vi.fn(() => ({ revoked: true }));
    const reset = vi.fn(() => ({ removed: 3 }));
    const unload = vi.fn(async () => undefined);
    const core = { permissions: { request, revoke, reset }, unload, list: () => [] } as unknown as Wassette;
    const elicit = vi.fn();
    await byName('grant_network_permission').call(core, { component_id: 'c', details: { host: 'a.com' } }, { ...ctx, elicit });
    expect(request).toHaveBeenCalledWith('c', 'network', { host: 'a.com' }, elicit);
    const rv = await byName('revoke_environment_variable_permission').call(core, { component_id: 'c', details: { key: 'K' } }, ctx);
    expect(revoke).toHaveBeenCalledWith('agent', 'c', 'environment', { key: 'K' });
    expect(rv.structuredContent).toEqual({ status: 'revoked', component_id: 'c' });
    expect((await byName('reset_permission').call(core, { component_id: 'c' }, ctx)).structuredContent).toEqual({
      status: 'reset',
      component_id: 'c',
      removed: 3,
    });
    expect((await byName('unload_component').call(core, { id: 'c' }, ctx)).structuredContent).toEqual({ status: 'unloaded', id: 'c' });
    expect((await byName('list_components').call(core, {}, ctx)).structuredContent).toEqual({ components: [] });
  });

  it('turn a thrown library error into an isError result with its code', async () => {
    const unload = async (id: string): Promise<void> => {
      throw unknownComponent(id);
    };
    const core = { unload } as unknown as Wassette;
    const r = await byName('unload_component').call(core, { id: 'x' }, ctx);
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toMatchObject({ error: { code: 'unknown-component' } });
  });
});
