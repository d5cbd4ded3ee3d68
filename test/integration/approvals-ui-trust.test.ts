// "Approve and trust" from the real `wassette approvals` UI (tmux) against real cosign-signed artifacts in a real
// registry: the key `t` loads the tool and stores a rule pinned to the repository and the signer, made by the UI
// user; a new digest under the rule then loads without a prompt; the rule is shown and revoked from the UI's trust
// view, after which the next load asks again.
import { createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/oci/cosign.js';
import { CLI, call, childEnv, fixture, ROOT, runCli, startStdioSession, tempHome, text, type McpSession } from '../helpers/cli.js';
import { destroyRegistry, startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { generateP256 } from '../helpers/signing.js';
import { TmuxSession } from '../helpers/tmux.js';

const PROMPT = { WASSETTE_APPROVAL: 'prompt' };
const key = generateP256();
const fingerprint = keyFingerprint(createPublicKey(key.publicKeyPem));
const work = tempHome('wassette-ui-trust-work-');
const t = tempHome('wassette-ui-trust-');
const term = new TmuxSession();
let reg: RunningRegistry;
let s: McpSession;
const refs: Record<string, string> = {};

async function publish(name: string, file: string, ref: string): Promise<void> {
  const target = `oci://${reg.registry}/${ref}`;
  const pub = await runCli(['publish', fixture(file), target], { home: work.home });
  expect(pub.code, pub.stderr).toBe(0);
  const signed = await runCli(['sign', target, '--key', join(work.home, 'key.pem')], { home: work.home });
  expect(signed.code, signed.stderr).toBe(0);
  refs[name] = target;
}

const trustList = async () => JSON.parse((await runCli(['trust', 'list', '--json'], { home: t.home, env: PROMPT })).stdout).rules;

beforeAll(async () => {
  reg = await startRegistry();
  writeFileSync(join(work.home, 'key.pem'), key.privateKeyPem);
  writeFileSync(join(work.home, 'key.pub'), key.publicKeyPem);
  await publish('first', 'spin', 'acme/ui-tools:1');
  await publish('second', 'docs', 'acme/ui-tools:2');
  await publish('third', 'kv-store', 'acme/ui-tools:3');
  writeFileSync(join(t.home, 'config.yaml'), `approval: prompt\ntrust:\n  - scope: "*"\n    keys: [${join(work.home, 'key.pub')}]\n`);
  s = await startStdioSession({ home: t.home, env: PROMPT });
  await term.start([process.execPath, CLI, 'approvals'], { env: { ...childEnv(t.home, PROMPT), TERM: 'xterm-256color', CI: 'true' }, cwd: ROOT });
  await term.waitFor((x) => x.includes('No pending requests'), 20_000, 'the UI to start');
}, 120_000);

afterAll(async () => {
  await term.kill();
  await s?.close();
  await destroyRegistry(reg);
  t.cleanup();
  work.cleanup();
});

describe('approve and trust from the UI', () => {
  it('t loads the signed tool and stores a rule pinned to the repository and the signer, made by the UI user', async () => {
    const r = await call(s, 'load_tool', { ref: refs.first, reason: 'the user wants to spin' });
    expect(r.structuredContent?.status, text(r)).toBe('pending');
    await term.waitFor((x) => x.includes('acme/ui-tools'), 20_000, 'the request');
    await term.send('Enter');
    const details = await term.waitFor((x) => x.includes('Signature'), 20_000, 'the details');
    expect(details).toContain('cosign');
    await term.send('t');
    await term.waitFor((x) => x.includes('approved and trusted'), 20_000, 'the outcome');
    await expect.poll(async () => (await s.client.listTools()).tools.map((x) => x.name), { timeout: 20_000, interval: 100 }).toContain('spin');
    const rules = await trustList();
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ registry: reg.registry, repositoryPrefix: 'acme/ui-tools', signer: fingerprint, createdBy: 'user (ui)' });
  }, 60_000);

  it('a new digest under the rule loads at once, approved by the rule', async () => {
    const r = await call(s, 'load_tool', { ref: refs.second });
    expect(r.structuredContent?.status, text(r)).toBe('loaded');
    const [rule] = await trustList();
    const all = JSON.parse((await runCli(['approvals', 'list', '--all', '--json'], { home: t.home, env: PROMPT })).stdout).requests;
    expect(all.at(-1)).toMatchObject({ status: 'approved', decidedBy: `trust rule ${rule.id}` });
  }, 60_000);

  it('the trust view shows the rule; r then y revokes it, and the next load asks again', async () => {
    await term.send('3');
    await term.waitFor((x) => x.includes(`oci://${reg.registry}/acme/ui-tools/**`) && x.includes(fingerprint.slice(0, 20)), 20_000, 'the trust view');
    await term.send('r');
    await term.send('y');
    await term.waitFor((x) => x.includes('revoked trust rule'), 20_000, 'the revocation');
    expect(await trustList()).toEqual([]);
    const r = await call(s, 'load_tool', { ref: refs.third });
    expect(r.structuredContent?.status, text(r)).toBe('pending');
  }, 60_000);
});
