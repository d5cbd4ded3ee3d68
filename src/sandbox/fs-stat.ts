// wasi:filesystem stat records and timestamps from Node's bigint stats, shaped as preview2-shim shapes them.
import type { BigIntStats, Dirent, Stats } from 'node:fs';

export interface Datetime {
  seconds: bigint;
  nanoseconds: number;
}

export interface DescriptorStat {
  type: string;
  linkCount: bigint;
  size: bigint;
  dataAccessTimestamp?: Datetime;
  dataModificationTimestamp?: Datetime;
  statusChangeTimestamp?: Datetime;
}

export type NewTimestamp = { tag: 'no-change' } | { tag: 'now' } | { tag: 'timestamp'; val: Datetime };

const NS = 1_000_000_000n;

export function lookupType(obj: Stats | BigIntStats | Dirent): string {
  if (obj.isFile()) return 'regular-file';
  if (obj.isSocket()) return 'socket';
  if (obj.isSymbolicLink()) return 'symbolic-link';
  if (obj.isFIFO()) return 'fifo';
  if (obj.isDirectory()) return 'directory';
  if (obj.isCharacterDevice()) return 'character-device';
  if (obj.isBlockDevice()) return 'block-device';
  return 'unknown';
}

function datetime(ns: bigint): Datetime {
  return { seconds: ns / NS, nanoseconds: Number(ns % NS) };
}

export function toDescriptorStat(s: BigIntStats): DescriptorStat {
  return {
    type: lookupType(s),
    linkCount: s.nlink,
    size: s.size,
    dataAccessTimestamp: datetime(s.atimeNs),
    dataModificationTimestamp: datetime(s.mtimeNs),
    statusChangeTimestamp: datetime(s.ctimeNs),
  };
}

/** `metadata-hash-value` as the shim computes it: modification time and inode. */
export function metadataHashOf(s: BigIntStats): { upper: bigint; lower: bigint } {
  return { upper: s.mtimeNs, lower: s.ino };
}

/** Seconds (fractional) for Node's utimes family; `current` is used for `no-change`. */
export function timestampSeconds(t: NewTimestamp, currentNs: bigint): number {
  switch (t.tag) {
    case 'no-change':
      return Number(currentNs / 1_000_000n) / 1000;
    case 'now':
      return Date.now() / 1000;
    case 'timestamp':
      return Number(t.val.seconds) + t.val.nanoseconds / 1e9;
    default:
      throw 'invalid';
  }
}
