// Trust rules end to end over a real registry with real cosign signatures: "approve and trust" in the client's
// form stores a rule (repository, signer, approved permissions); a later digest from the same repository with the
// same signer loads without asking, recorded as approved by the rule; another signer, a neighbouring repository
// whose name only starts the same, and a load asking for more permissions all ask again; a revoked rule no longer
// applies; config-seeded rules apply and cannot be revoked from the CLI; `approvals approve --trust` from the CLI.
import { createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/oci/cosign.js';
import { openStore } from '../../src/store/db.js';
import { call, fixture, formChoices, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { generateP256 } from '../helpers/signing.js';

let reg: RunningRegistry;
const work = tempHome('wassette-trust-work-');
const keyA = generateP256();
const keyB = generateP256();
const fpA = keyFingerprint(createPublicKey(keyA.publicKeyPem));
const refs: Record<string, string> = {};
// The test helpers default children to auto approval; these tests are about prompt mode.
const PROMPT = { WASSETTE_APPROVAL: 'prompt' };

async function publish(name: string, file: string, ref: string, key: string, policy?: string): Promise<void> {
  const args = ['publish', fixture(file), `oci://${reg.registry}/${ref}`];
  if (policy) {
    const p = join(work.home, `${name}.policy.yaml`);
    writeFileSync(p, policy);
    args.push('--policy', p);
  }
  const pub = await runCli(args, { home: work.home });
  expect(pub.code, pub.stderr).toBe(0);
  const signed = await runCli(['sign', `oci://${reg.registry}/${ref}`, '--key', key], { home: work.home });
  expect(signed.code, signed.stderr).toBe(0);
  refs[name] = `oci://${reg.registry}/${ref}`;
}

/** A home trusting both keys' signatures (so both verify) in prompt mode, with `extra` config appended. */
function home(extra = ''): { home: string; cleanup(): void } {
  const h = tempHome('wassette-trust-');
  writeFileSync(
    join(h.home, 'config.yaml'),
    `approval: prompt\ntrust:\n  - scope: "*"\n    keys: [${join(work.home, 'a.pub')}, ${join(work.home, 'b.pub')}]\n${extra}`,
  );
  return h;
}

beforeAll(async () => {
  reg = await startRegistry();
  const a = join(work.home, 'a.pem');
  const b = join(work.home, 'b.pem');
  writeFileSync(a, keyA.privateKeyPem);
  writeFileSync(b, keyB.privateKeyPem);
  writeFileSync(join(work.home, 'a.pub'), keyA.publicKeyPem);
  writeFileSync(join(work.home, 'b.pub'), keyB.publicKeyPem);
  await publish('first', 'all-types', 'acme/tools:1', a);
  await publish('sameSigner', 'text-tools', 'acme/tools:2', a);
  await publish('otherSigner', 'kv-store', 'acme/tools:3', b);
  await publish('morePermissions', 'wasi-env', 'acme/tools:4', a, 'version: "1.0"\npermissions:\n  environment:\n    allow:\n      - key: HOME\n');
  await publish('neighbour', 'docs', 'acme-tools/x:1', a);
  await publish('afterRevoke', 'docs', 'acme/tools:5', a);
}, 120_000);

afterAll(async () => {
  await destroyRegistry(reg);
  work.cleanup();
});

describe('trust rules through the client form', () => {
  const h = home();
  let s: McpSession;
  const asked: Array<{ message: string; choices: string[] }> = [];
  let next = 'approve_and_trust';
  const answer = (message: string, schema: Record<string, unknown>): ElicitResult => {
    asked.push({ message, choices: formChoices(schema) });
    return { action: 'accept', content: { decision: next } };
  };

  beforeAll(async () => {
    s = await startStdioSession({ home: h.home, env: PROMPT, elicit: answer });
  }, 30_000);
  afterAll(async () => {
    await s?.close();
    h.cleanup();
  });

  const load = (name: string) => call(s, 'load_tool', { ref: refs[name], reason: 'the user asked for it' });

  it('"approve and trust" loads and stores a rule pinned to the repository, the signer and the approved permissions', async () => {
    const r = await load('first');
    expect(r.isError, text(r)).toBeFalsy();
    expect(r.structuredContent?.status).toBe('loaded');
    expect(asked).toHaveLength(1);
    expect(asked[0]?.choices).toEqual(['approve_once', 'approve_and_trust', 'deny']);
    expect(asked[0]?.message).toContain(`signed (cosign) by ${fpA}`);
    const list = JSON.parse((await runCli(['trust', 'list', '--json'], { home: h.home, env: PROMPT })).stdout);
    expect(list.rules).toHaveLength(1);
    expect(list.rules[0]).toMatchObject({
      registry: reg.registry,
      repositoryPrefix: 'acme/tools',
      signer: fpA,
      maxPermissions: [],
      createdBy: 'user (elicitation)',
      origin: 'user',
    });
  }, 60_000);

  it('a new digest from the same repository and signer loads without asking, approved by the rule', async () => {
    const before = asked.length;
    const r = await load('sameSigner');
    expect(r.structuredContent?.status, text(r)).toBe('loaded');
    expect(r.structuredContent?.tools.length).toBeGreaterThan(0);
    expect(asked.length).toBe(before);
    const rule = JSON.parse((await runCli(['trust', 'list', '--json'], { home: h.home, env: PROMPT })).stdout).rules[0];
    const all = JSON.parse((await runCli(['approvals', 'list', '--all', '--json'], { home: h.home, env: PROMPT })).stdout).requests;
    expect(all.at(-1)).toMatchObject({ status: 'approved', decidedBy: `trust rule ${rule.id}` });
    const audit = JSON.parse((await runCli(['audit', '--json'], { home: h.home, env: PROMPT })).stdout);
    const entries = (audit.entries ?? audit) as Array<{ outcome: string; detail: string | null; capability: string | null }>;
    expect(entries.some((e) => e.outcome === 'approved' && e.detail?.includes(`by trust rule ${rule.id}`))).toBe(true);
    expect(entries.some((e) => e.outcome === 'trusted' && e.capability === 'trust_rule')).toBe(true);
  }, 60_000);

  it.each([
    ['another signer', 'otherSigner'],
    ['more permissions than approved', 'morePermissions'],
    ['a neighbouring repository that only starts the same', 'neighbour'],
  ])(
    '%s asks again',
    async (_, name) => {
      const before = asked.length;
      next = 'deny';
      const r = await load(name);
      expect(r.structuredContent?.status, text(r)).toBe('denied');
      expect(asked.length).toBe(before + 1);
    },
    60_000,
  );

  it('a revoked rule no longer applies, and the revocation is audited with who did it', async () => {
    const rule = JSON.parse((await runCli(['trust', 'list', '--json'], { home: h.home, env: PROMPT })).stdout).rules[0];
    const revoked = await runCli(['trust', 'revoke', rule.id], { home: h.home, env: PROMPT });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await runCli(['trust', 'list', '--json'], { home: h.home, env: PROMPT })).stdout).toContain('"rules": []');
    const before = asked.length;
    next = 'deny';
    expect((await load('afterRevoke')).structuredContent?.status).toBe('denied');
    expect(asked.length).toBe(before + 1);
    const store = openStore(h.home);
    try {
      expect(store.audit.query({ outcome: 'untrusted' })[0]?.detail).toBe(`rule ${rule.id} revoked by user (cli)`);
    } finally {
      store.close();
    }
  }, 60_000);
});

describe('trust rules from the CLI and the config file', () => {
  it('approvals approve --trust stores the rule; a later digest loads without a request', async () => {
    const h = home();
    const s = await startStdioSession({ home: h.home, env: PROMPT });
    try {
      const pending = await call(s, 'load_tool', { ref: refs.first });
      expect(pending.structuredContent?.status, text(pending)).toBe('pending');
      const id = pending.structuredContent?.request_id as string;
      const approved = await runCli(['approvals', 'approve', id, '--trust', '--json'], { home: h.home, env: PROMPT });
      expect(approved.code, approved.stderr).toBe(0);
      expect(JSON.parse(approved.stdout).rule).toMatchObject({ repositoryPrefix: 'acme/tools', signer: fpA, createdBy: 'user (cli)' });
      const second = await call(s, 'load_tool', { ref: refs.sameSigner });
      expect(second.structuredContent?.status, text(second)).toBe('loaded');
    } finally {
      await s.close();
      h.cleanup();
    }
  }, 90_000);

  it('refuses --trust for what cannot ground a rule, deciding nothing', async () => {
    const h = home();
    const s = await startStdioSession({ home: h.home, env: PROMPT });
    try {
      const pending = await call(s, 'load_component', { path: fixture('docs') });
      const id = pending.structuredContent?.request_id as string;
      const r = await runCli(['approvals', 'approve', id, '--trust'], { home: h.home, env: PROMPT });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/cannot ground a trust rule: only an OCI source/);
      const list = JSON.parse((await runCli(['approvals', 'list', '--json'], { home: h.home, env: PROMPT })).stdout);
      expect(list.requests.map((q: { id: string }) => q.id)).toContain(id);
    } finally {
      await s.close();
      h.cleanup();
    }
  }, 60_000);

  it('a config-seeded rule applies, shows as config, and is not revocable from the CLI', async () => {
    const h = home(`trust_rules:\n  - place: oci://${reg.registry}/acme\n    signer: "${fpA}"\n`);
    const s = await startStdioSession({ home: h.home, env: PROMPT });
    try {
      const r = await call(s, 'load_tool', { ref: refs.morePermissions });
      expect(r.structuredContent?.status, text(r)).toBe('loaded');
      const rule = JSON.parse((await runCli(['trust', 'list', '--json'], { home: h.home, env: PROMPT })).stdout).rules[0];
      expect(rule).toMatchObject({ origin: 'config', repositoryPrefix: 'acme', maxPermissions: null });
      const revoke = await runCli(['trust', 'revoke', rule.id], { home: h.home, env: PROMPT });
      expect(revoke.code).not.toBe(0);
      expect(revoke.stderr).toContain('comes from the config file');
      // A rule covering `acme` does not cover `acme-tools`.
      const other = await call(s, 'load_tool', { ref: refs.neighbour });
      expect(other.structuredContent?.status).toBe('pending');
    } finally {
      await s.close();
      h.cleanup();
    }
  }, 60_000);

  it('a config rule with a whole registry or a bad place is a config error naming the entry', async () => {
    const h = home(`trust_rules:\n  - place: oci://${reg.registry}/\n`);
    try {
      const r = await runCli(['trust', 'list'], { home: h.home, env: PROMPT });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/trust_rules\[0\]: .*whole registry is never trusted/);
    } finally {
      h.cleanup();
    }
  });
});
