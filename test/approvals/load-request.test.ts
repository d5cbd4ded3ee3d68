import { describe, expect, it } from 'vitest';
import { approvedPolicy, describeRecordedPolicy, recordPolicy } from '../../src/approvals/load-request.js';
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
