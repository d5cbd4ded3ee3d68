// What a load request records (component digest and the full starting policy) and the check that an
// approval applies exactly that: the policy comes from the record, and a changed policy is refused.
import { createHash } from 'node:crypto';
import { ErrorCode, WassetteError } from '../errors.js';
import { policyFromJson, policyToJson, serializePolicy, type Policy } from '../sandbox/policy.js';
import { oneLine } from './one-line.js';
import type { TrustSubject } from './trust-rules.js';

export interface RecordedPolicy {
  /** The policy document exactly as read (null: none shipped). */
  yaml: string | null;
  /** `sha256:<hex>` of `yaml` (null: none shipped). */
  digest: string | null;
  origin: string | null;
  /** Every permission the policy grants, as policy.yaml-shaped JSON (null: none). */
  permissions: Record<string, unknown> | null;
}

export interface LoadPayload {
  path?: string;
  source?: string;
  digest?: string;
  /** The component id it loads under (as chosen when asked); the audit log files the decision under it. */
  component?: string;
  policy?: RecordedPolicy;
  /** What a trust rule judges (requests made before trust rules have none). */
  subject?: TrustSubject;
}

export const policyDigest = (yaml: string) => `sha256:${createHash('sha256').update(yaml, 'utf8').digest('hex')}`;

export function recordPolicy(yaml: string | undefined, origin: string | undefined, policy: Policy | undefined): RecordedPolicy {
  return {
    yaml: yaml ?? null,
    digest: yaml === undefined ? null : policyDigest(yaml),
    origin: origin ?? null,
    permissions: policy ? policyToJson(policy) : null,
  };
}

/**
 * The policy an approval applies: the recorded one, provided the policy fetched now has the same
 * digest (a policy written beside the file, or a changed OCI policy layer, since the request is refused).
 */
export function approvedPolicy(requestId: string, recorded: RecordedPolicy | undefined, nowYaml: string | undefined): Policy | undefined {
  if (recorded === undefined) {
    throw new WassetteError(ErrorCode.InvalidArgument, `request ${requestId} does not record its starting policy (made by an older version); ask again`);
  }
  const now = nowYaml === undefined ? null : policyDigest(nowYaml);
  if (now !== recorded.digest) {
    throw new WassetteError(
      ErrorCode.DigestMismatch,
      `the starting policy changed since request ${requestId} was made (shown ${recorded.digest ?? 'none'}, now ${now ?? 'none'}); not loaded, ask again`,
    );
  }
  return recorded.permissions === null ? undefined : policyFromJson(recorded.permissions, `request ${requestId} policy`);
}

/** The policy part of a prompt: every permission granted, and the document's digest. */
export function describeRecordedPolicy(p: RecordedPolicy | undefined): string {
  if (p === undefined) return 'starting policy: not recorded (the request cannot be approved)';
  if (p.permissions === null) return 'starting policy: none (no files, network or environment)';
  // The description is the publisher's text: one line, like every other piece of publisher text in a prompt.
  const policy = policyFromJson(p.permissions);
  if (policy.description !== undefined) policy.description = oneLine(policy.description, 500);
  const text = serializePolicy(policy);
  return `starting policy ${p.digest ?? ''}${p.origin ? ` from ${oneLine(p.origin, 2000)}` : ''}:\n${text}`;
}
