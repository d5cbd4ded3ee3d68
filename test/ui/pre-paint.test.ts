// The plain screen shown while Ink loads: the queue, cut to the terminal, nothing a request's text can steer.
import { describe, expect, it } from 'vitest';
import { prePaint } from '../../ui/pre-paint.js';
import { grantRequest, request } from './data.js';

const ENTER = '\x1b[?1049h\x1b[H\x1b[2J';
const body = (s: string) => {
  expect(s.startsWith(ENTER)).toBe(true);
  return s.slice(ENTER.length);
};
const visible = (s: string) => body(s).split('\r\n');

describe('prePaint', () => {
  it('shows the count, the first request and the queue within 80x24', () => {
    const many = Array.from({ length: 1000 }, (_, i) => request({ id: `req-${String(i).padStart(4, '0')}-x` }));
    const lines = visible(prePaint([grantRequest(), ...many], 80, 24));
    expect(lines[0]).toContain('Pending (1001)');
    expect(lines[2]).toBe('Request 1/1001');
    expect(lines[3]).toContain('grant');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('says when nothing waits', () => {
    expect(visible(prePaint([], 80, 24)).join('\n')).toContain('No pending requests');
  });

  it('a request cannot send escape sequences through it', () => {
    const evil = request({ payload: { ref: 'x', source: 'oci://r/x\x1b[2J\x1b]0;owned\x07', digest: 'sha256:0' } });
    const out = body(prePaint([evil], 80, 24));
    expect(out).not.toContain('\x1b');
    expect(out).not.toContain('\x07');
  });
});
