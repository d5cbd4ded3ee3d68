// Host errno -> wasi:filesystem error-code, the same table as preview2-shim's `convertFsError`, never throwing.

const CODES: Record<string, string> = {
  EACCES: 'access',
  EAGAIN: 'would-block',
  EWOULDBLOCK: 'would-block',
  EALREADY: 'already',
  EBADF: 'bad-descriptor',
  EBUSY: 'busy',
  EDEADLK: 'deadlock',
  EDQUOT: 'quota',
  EEXIST: 'exist',
  EFBIG: 'file-too-large',
  EILSEQ: 'illegal-byte-sequence',
  EINPROGRESS: 'in-progress',
  EINTR: 'interrupted',
  EINVAL: 'invalid',
  EIO: 'io',
  EISDIR: 'is-directory',
  ELOOP: 'loop',
  EMLINK: 'too-many-links',
  EMSGSIZE: 'message-size',
  ENAMETOOLONG: 'name-too-long',
  ENODEV: 'no-device',
  ENOENT: 'no-entry',
  ENOLCK: 'no-lock',
  ENOMEM: 'insufficient-memory',
  ENOSPC: 'insufficient-space',
  ENOTDIR: 'not-directory',
  ERR_FS_EISDIR: 'not-directory',
  ENOTEMPTY: 'not-empty',
  ENOTRECOVERABLE: 'not-recoverable',
  ENOTSUP: 'unsupported',
  EOPNOTSUPP: 'unsupported',
  ENOTTY: 'no-tty',
  ENXIO: 'no-such-device',
  EOVERFLOW: 'overflow',
  EPERM: 'not-permitted',
  EPIPE: 'pipe',
  EROFS: 'read-only',
  ESPIPE: 'invalid-seek',
  ETXTBSY: 'text-file-busy',
  EXDEV: 'cross-device',
  // WASI has no "too many open files"; the closest code a guest can act on.
  EMFILE: 'insufficient-memory',
  ENFILE: 'insufficient-memory',
  ERR_INVALID_ARG_VALUE: 'invalid',
  ERR_OUT_OF_RANGE: 'invalid',
  ERR_INVALID_ARG_TYPE: 'invalid',
};

/** The error-code for a host error, `io` for anything unknown: a raw host error would trap and poison the instance. */
export function errnoCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? CODES[code] : undefined;
}

/** What a wasi:filesystem method throws: WASI codes pass through, host errors are translated. */
export function toWasiError(e: unknown): unknown {
  if (typeof e === 'string') return e;
  if (typeof e === 'object' && e !== null && 'tag' in e) return e;
  return errnoCode(e) ?? 'io';
}
