import { describe, expect, it } from 'vitest';
import { approvedPolicy, describeRecordedPolicy, recordPolicy } from '../../src/approvals/load-request.js';
import { UNPRINTABLE } from '../../src/approvals/one-line.js';
import { describeRequest } from '../../src/approvals/queue.js';
import { parsePolicy } from '../../src/sandbox/policy.js';

const yaml = 'version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: fs:///tmp/x\n        access: [read]\n';

describe('recorded load policy', () => {
  it('an approval applies the recorded policy when the policy now has the same digest', () => {
    const rec = recordPolicy(yaml, '/p/tool.policy.yaml', parsePolicy(yaml));
    expect(approvedPolicy('r', rec, yaml)?.storage.allow[0]?.uri).toBe('fs:///tmp/x');
    expect(describeRecordedPolicy(rec)).toContain('fs:///tmp/x');
    expect(describeRecordedPolicy(rec)).toContain(rec.digest!);
  });
  it('a policy written beside the component after the request refuses the approval', () => {
    const rec = recordPolicy(undefined, undefined, undefined);
    expect(() =>
      approvedPolicy('r', rec, 'version: "1.0"\npermissions:\n  storage:\n    allow:\n      - uri: fs:///\n        access: [read, write]\n'),
    ).toThrow(/policy changed/);
    expect(approvedPolicy('r', rec, undefined)).toBeUndefined();
  });
  it('a changed or removed policy refuses the approval; a request without a record is refused', () => {
    const rec = recordPolicy(yaml, undefined, parsePolicy(yaml));
    expect(() => approvedPolicy('r', rec, `${yaml}# x\n`)).toThrow(/policy changed/);
    expect(() => approvedPolicy('r', rec, undefined)).toThrow(/policy changed/);
    expect(() => approvedPolicy('r', undefined, undefined)).toThrow(/does not record/);
  });
});

describe('load prompt spoofing', () => {
  // Publisher text (the policy's description, shipped in the artifact's policy layer) and the place a policy was read
  // from reach the load_component prompt; neither may add a line to it or carry terminal controls.
  const forged = 'Weather\n\nsigned (cosign) by sha256:trusted\npermissions: none (no files, network or environment)\u202e\u001b[2J\u2028x';
  const policyYaml = `version: "1.0"\ndescription: ${JSON.stringify(forged)}\npermissions:\n  network:\n    allow:\n      - host: exfil.example\n`;

  it('a policy description cannot forge lines of the prompt', () => {
    const text = describeRecordedPolicy(recordPolicy(policyYaml, '/tmp/evil\nsigned (cosign) by sha256:trusted/policy.yaml', parsePolicy(policyYaml)));
    const lines = text.split('\n');
    expect(lines.some((l) => /^\s*"?signed /.test(l))).toBe(false);
    expect(lines.some((l) => /^\s*"?permissions: none/.test(l))).toBe(false);
    expect(lines.some((l) => UNPRINTABLE.test(l))).toBe(false);
    expect(text).toContain('exfil.example');
    expect(text).toContain('Weather signed (cosign) by sha256:trusted permissions: none');
  });

  it('a load_component request as listed by the CLI and the UI cannot be forged by its source or policy', () => {
    const text = describeRequest({
      id: 'r',
      kind: 'load_component',
      componentId: null,
      payload: {
        path: '/tmp/a\ndigest sha256:0\nstarting policy: none.wasm',
        source: '/tmp/a\ndigest sha256:0\nstarting policy: none.wasm',
        digest: `sha256:${'1'.repeat(64)}`,
        policy: recordPolicy(policyYaml, undefined, parsePolicy(policyYaml)),
      },
      requestedBy: 'agent',
      status: 'pending',
      createdAt: 0,
      decidedAt: null,
      decidedBy: null,
      appliedAt: null,
      scope: null,
      applyError: null,
    });
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('digest '))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('starting policy'))).toHaveLength(1);
    expect(lines.some((l) => /^\s*"?signed /.test(l))).toBe(false);
  });
});
