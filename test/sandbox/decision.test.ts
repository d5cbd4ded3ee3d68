import { describe, expect, it } from 'vitest';
import { decide, type Actor, type Decision, type PermissionAction } from '../../src/sandbox/decision.js';
import type { ApprovalMode } from '../../src/config.js';

const actions: PermissionAction[] = ['load_component', 'load_tool', 'grant', 'revoke', 'reset'];
const rows: [Actor, PermissionAction, ApprovalMode, Decision][] = [
  ['agent', 'load_component', 'prompt', 'ask'],
  ['agent', 'load_tool', 'prompt', 'ask'],
  ['agent', 'grant', 'prompt', 'ask'],
  ['agent', 'revoke', 'prompt', 'allow'],
  ['agent', 'reset', 'prompt', 'allow'],
  ['agent', 'load_component', 'auto', 'allow'],
  ['agent', 'load_tool', 'auto', 'allow'],
  ['agent', 'grant', 'auto', 'allow'],
  ['agent', 'revoke', 'auto', 'allow'],
  ['agent', 'reset', 'auto', 'allow'],
  ...actions.flatMap((a): [Actor, PermissionAction, ApprovalMode, Decision][] => [
    ['user', a, 'prompt', 'allow'],
    ['user', a, 'auto', 'allow'],
  ]),
];

describe('decide', () => {
  it.each(rows)('%s %s in %s mode -> %s', (actor, action, approvalMode, expected) => {
    expect(decide({ actor, action, approvalMode })).toBe(expected);
  });

  it('the agent in prompt mode is asked exactly for the actions that add rights', () => {
    expect(actions.filter((action) => decide({ actor: 'agent', action, approvalMode: 'prompt' }) === 'ask')).toEqual(['load_component', 'load_tool', 'grant']);
  });
});
