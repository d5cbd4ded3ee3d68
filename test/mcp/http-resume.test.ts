// The replay gate: the bytes of resumes answered from the event store that Node still holds, across sessions, are
// capped; one replay is always admitted, and a replay's bytes are given back when its response closes.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ReplayGate } from '../../src/mcp/http-resume.js';

const res = (): ServerResponse & EventEmitter => new EventEmitter() as ServerResponse & EventEmitter;

describe('ReplayGate', () => {
  it('admits replays up to its cap, always one, and frees their bytes when each response closes', () => {
    const gate = new ReplayGate(10);
    const big = res();
    expect(gate.admit(25, big)).toBe(true);
    expect(gate.inFlightBytes).toBe(25);
    expect(gate.admit(1, res())).toBe(false);
    big.emit('close');
    expect(gate.inFlightBytes).toBe(0);
    const a = res();
    const b = res();
    expect(gate.admit(6, a)).toBe(true);
    expect(gate.admit(4, b)).toBe(true);
    expect(gate.admit(1, res())).toBe(false);
    a.emit('close');
    expect(gate.admit(6, res())).toBe(true);
    expect(gate.inFlightBytes).toBe(10);
    b.emit('close');
    expect(gate.inFlightBytes).toBe(6);
  });
});
