import { describe, expect, it } from 'vitest';
import { guestLinkTargetProblem, isWithin } from '../../src/sandbox/path-guard.js';

describe('isWithin', () => {
  it.each([
    ['/data', '/data', true],
    ['/data', '/data/x', true],
    ['/data/', '/data/x', true],
    ['/data', '/data2', false],
    ['/data', '/', false],
    ['/', '/anything', true],
  ])('%s contains %s: %s', (root, p, expected) => {
    expect(isWithin(root, p)).toBe(expected);
  });
});

describe('guestLinkTargetProblem (guest-made symlinks point only below their own directory)', () => {
  it.each(['a.txt', 'sub/a.txt', './a', 'a/./b/', '...', '..a', 'a..'])('accepts %j', (target) => {
    expect(guestLinkTargetProblem(target)).toBeUndefined();
  });

  it.each(['', '/etc/passwd', '/g/a.txt', '..', '../a.txt', 'a/../b', 'a/..', './..', 'a/b/../../..', 'a\0b'])('refuses %j', (target) => {
    expect(guestLinkTargetProblem(target)).toBeTypeOf('string');
  });
});
