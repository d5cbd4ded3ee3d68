// The deny-by-default `/` preopen: no host access of its own. A path inside a grant is handed to that grant's
// descriptor (as wasi-libc would pick it: longest matching preopen); anything else is refused with the grant to ask for.
import { posix } from 'node:path';
import type { DirNode } from './fs-dir-node.js';
import { grantCall, type AccessList, type FsContext } from './fs-context.js';
import { storageHint } from './spec.js';
import type { DescriptorStat } from './fs-stat.js';

interface Mount {
  node: DirNode;
  segments: string[];
}

export class RootNode {
  readonly #ctx: FsContext;
  readonly #mounts: Mount[];

  constructor(ctx: FsContext, grants: DirNode[]) {
    this.#ctx = ctx;
    // Longest root first, so a nested grant wins over the one containing it.
    this.#mounts = grants
      .map((node) => ({ node, segments: node.grant.root.split('/').filter((s) => s !== '') }))
      .sort((a, b) => b.segments.length - a.segments.length);
  }

  /**
   * The grant descriptor and the path beneath it that `path` (relative to `/`) names, or `self` for `/` itself.
   * `isDir`: the operation targets a directory (the suggested grant is then the path itself, not its parent).
   */
  route(path: string, access: AccessList, isDir: boolean, op: string): [DirNode, string] | 'self' {
    if (path.includes('\0')) throw 'invalid';
    if (path === '') throw 'no-entry';
    if (path.startsWith('/')) this.refuse(path, access, isDir, op, 'an absolute path is not relative to /');
    const trailing = path.endsWith('/');
    const segments = path.split('/').filter((s) => s !== '' && s !== '.');
    if (segments.length === 0) return 'self';
    const cut = segments.indexOf('..');
    const plain = cut < 0 ? segments : segments.slice(0, cut);
    for (const m of this.#mounts) {
      if (m.segments.length > plain.length || !m.segments.every((s, i) => plain[i] === s)) continue;
      const rest = segments.slice(m.segments.length);
      return [m.node, rest.length === 0 ? (trailing ? './' : '.') : rest.join('/') + (trailing ? '/' : '')];
    }
    this.refuse(path, access, isDir, op);
  }

  refuse(path: string, access: AccessList, isDir: boolean, op: string, why?: string): never {
    const abs = posix.resolve('/', path);
    const granted = this.#mounts.map((m) => m.node.grant.root);
    const scope = granted.length === 0 ? 'nothing is granted' : `granted: ${granted.join(', ')}`;
    const dir = isDir || abs === '/' ? abs : posix.dirname(abs);
    this.#ctx.deny(
      'not-permitted',
      abs,
      `${op} ${abs} refused: ${why ?? 'it is outside every granted directory'} (${scope}); ${grantCall(dir, access)} to allow`,
      storageHint(dir, access),
    );
  }

  stat(): DescriptorStat {
    return { type: 'directory', linkCount: 1n, size: 0n };
  }

  metadataHash(): { upper: bigint; lower: bigint } {
    return { upper: 0n, lower: 0n };
  }
}
