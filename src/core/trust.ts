// Trust rules as the application offers them to the CLI, the UI and the load gate: list, add, revoke (each
// audited with who did it), the verdict for a load, and the rule "approve and trust" makes from a load request.
import { createHash } from 'node:crypto';
import type { ApprovalForm } from '../approvals/ask-user.js';
import {
  describeRule,
  matchTrust,
  type NewTrustRule,
  parsePlace,
  ruleFromLoad,
  validateRule,
  type TrustRule,
  type TrustSubject,
  type TrustVerdict,
} from '../approvals/trust-rules.js';
import { ErrorCode, WassetteError } from '../errors.js';
import type { VerificationOutcome } from '../oci/signatures.js';
import type { ApprovalRequest } from '../store/approvals.js';
import type { Store } from '../store/db.js';

export interface NewRuleInput {
  /** `oci://host[:port]/repository-prefix`. */
  place: string;
  /** Pin a signer (key fingerprint or certificate subject); null or absent: any signer or none. */
  signer?: string | null;
  /** The most a trusted load may ask for (as `requestedPermissions` writes them); null or absent: any. */
  maxPermissions?: string[] | null;
}

/** Who signed what a load fetched, as a rule judges it. */
export function subjectSignature(v: VerificationOutcome | undefined): TrustSubject['signature'] {
  if (v?.status === 'verified') return { status: 'verified', signer: signerIdentity(v.signer, v.anchor) };
  if (v?.status === 'failed') return { status: 'failed' };
  return { status: 'unsigned' };
}

/**
 * What a trust rule pins a signer by. A key fingerprint is the signer itself; a certificate subject (Notation) is only
 * a name any trusted CA could issue again, so it is pinned together with the trusted certificate its chain ended at:
 * `CN=..., O=... anchored at sha256:<fingerprint>`.
 */
export function signerIdentity(signer: string, anchor: string | undefined): string {
  if (anchor === undefined) return signer;
  return `${signer} anchored at sha256:${anchor.replace(/:/g, '').toLowerCase()}`;
}

/** The trust subject a load request recorded (`payload.subject`), or undefined for requests made before rules. */
export function recordedSubject(r: ApprovalRequest): TrustSubject | undefined {
  const s = (r.payload as { subject?: TrustSubject } | null)?.subject;
  if (!s || typeof s.source !== 'string' || !Array.isArray(s.permissions) || typeof s.signature?.status !== 'string') return undefined;
  return s;
}

export class TrustRules {
  readonly #store: Store;

  /** `configEntries` (the config file's `trust_rules`) become exactly the config-seeded rules. */
  constructor(store: Store, configEntries: readonly unknown[] = []) {
    this.#store = store;
    store.trustRules.syncConfig(configRules(configEntries));
  }

  list(): TrustRule[] {
    return this.#store.trustRules.list();
  }

  get(id: string): TrustRule | undefined {
    return this.#store.trustRules.get(id);
  }

  /** The first rule that trusts this load, or why none does. */
  check(subject: TrustSubject): TrustVerdict {
    return matchTrust(this.list(), subject);
  }

  add(input: NewRuleInput, by: string): TrustRule {
    const place = parsePlace(input.place);
    const rule = validateRule({ ...place, signer: input.signer ?? null, maxPermissions: input.maxPermissions ?? null, createdBy: by, origin: 'user' });
    return this.#stored(rule, by);
  }

  /** The rule "approve and trust this publisher" makes from a load request; throws when the load cannot ground one. */
  ruleForRequest(r: ApprovalRequest, by: string): TrustRule {
    if (r.kind === 'grant') throw new WassetteError(ErrorCode.InvalidArgument, `request ${r.id} is a grant; only a load can be trusted`);
    const subject = recordedSubject(r);
    const rule = subject && ruleFromLoad(subject, by);
    if (!rule) {
      throw new WassetteError(
        ErrorCode.InvalidArgument,
        `request ${r.id} cannot ground a trust rule: only an OCI source whose signature did not fail can be trusted (never https or file sources)`,
      );
    }
    return validateRule(rule) as TrustRule;
  }

  /** Stores the rule `ruleForRequest` made. */
  trustRequest(r: ApprovalRequest, by: string): TrustRule {
    return this.#stored(this.ruleForRequest(r, by), by);
  }

  revoke(id: string, by: string): TrustRule {
    const rule = this.#store.trustRules.get(id);
    if (!rule) throw new WassetteError(ErrorCode.NotFound, `no trust rule with id ${id}`);
    if (rule.origin === 'config') {
      throw new WassetteError(ErrorCode.InvalidArgument, `trust rule ${id} comes from the config file (trust_rules); remove it there`);
    }
    this.#store.db
      .transaction(() => {
        this.#store.trustRules.remove(id);
        this.#audit('untrusted', rule, by);
      })
      .immediate();
    return rule;
  }

  #stored(rule: Omit<TrustRule, 'id' | 'createdAt'> & { id?: string }, by: string): TrustRule {
    return this.#store.db
      .transaction(() => {
        const stored = this.#store.trustRules.add(rule);
        this.#audit('trusted', stored, by);
        return stored;
      })
      .immediate();
  }

  #audit(outcome: 'trusted' | 'untrusted', rule: TrustRule, by: string): void {
    this.#store.audit.append({
      outcome,
      capability: 'trust_rule',
      target: describeRule(rule),
      detail: `rule ${rule.id} ${outcome === 'trusted' ? 'added' : 'revoked'} by ${by}`,
    });
  }
}

/** How a load is put to the user: approved by a covering rule without asking, else a form with or without "trust". */
export function loadQuestion(trust: TrustRules, subject: TrustSubject): { trustedBy?: string; form: ApprovalForm } {
  const verdict = trust.check(subject);
  const form: ApprovalForm = ruleFromLoad(subject, '') ? 'load' : 'load-untrustable';
  return verdict.trusted ? { trustedBy: `trust rule ${verdict.rule.id}`, form } : { form };
}

/**
 * The config file's `trust_rules` entries as rules: `{place: oci://host/prefix, signer?: string, max_permissions?:
 * [permission...]}` (absent max_permissions: any). Ids derive from the content, so an unchanged entry keeps its id.
 * Throws InvalidConfig naming the entry that is wrong.
 */
export function configRules(entries: readonly unknown[]): Array<NewTrustRule & { id: string }> {
  return entries.map((e, i) => {
    const where = `trust_rules[${i}]`;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) throw new WassetteError(ErrorCode.InvalidConfig, `${where}: expected a mapping with place`);
    const { place, signer, max_permissions: max, ...rest } = e as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) throw new WassetteError(ErrorCode.InvalidConfig, `${where}: unknown key "${extra[0]}" (known: place, signer, max_permissions)`);
    if (typeof place !== 'string') throw new WassetteError(ErrorCode.InvalidConfig, `${where}: place must be oci://host[:port]/repository-prefix`);
    if (signer !== undefined && typeof signer !== 'string') throw new WassetteError(ErrorCode.InvalidConfig, `${where}: signer must be a string`);
    if (max !== undefined && !(Array.isArray(max) && max.every((m) => typeof m === 'string'))) {
      throw new WassetteError(ErrorCode.InvalidConfig, `${where}: max_permissions must be a list of permissions`);
    }
    let rule: NewTrustRule;
    try {
      rule = validateRule({
        ...parsePlace(place),
        signer: signer ?? null,
        maxPermissions: (max as string[] | undefined) ?? null,
        createdBy: 'config',
        origin: 'config',
      });
    } catch (err) {
      throw new WassetteError(ErrorCode.InvalidConfig, `${where}: ${(err as Error).message}`);
    }
    const id = `cfg-${createHash('sha256')
      .update(JSON.stringify([rule.registry, rule.repositoryPrefix, rule.signer, rule.maxPermissions]))
      .digest('hex')
      .slice(0, 10)}`;
    return { ...rule, id };
  });
}
