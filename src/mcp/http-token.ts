// The HTTP transport's bearer token: generated once (32 random bytes, base64url), kept in
// $WASSETTE_HOME/http-token with mode 0600, written atomically; a file others could read is replaced.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, WassetteError } from '../errors.js';

export const HTTP_TOKEN_FILE = 'http-token';
/** What a token from a flag, the environment or the file must look like: url-safe and long enough to be unguessable. */
const TOKEN_SHAPE = /^[A-Za-z0-9._~-]{32,512}$/;

export function httpTokenPath(home: string): string {
  return join(home, HTTP_TOKEN_FILE);
}

export function generateHttpToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Validates a token given by `--token` or `WASSETTE_HTTP_TOKEN`. */
export function checkTokenShape(token: string, from: string): string {
  if (!TOKEN_SHAPE.test(token)) {
    throw new WassetteError(
      ErrorCode.InvalidConfig,
      `${from}: a token must be 32 to 512 url-safe characters (A-Z a-z 0-9 . _ ~ -); \`wassette http-token\` prints a generated one`,
    );
  }
  return token;
}

/** Writes `token` to a new 0600 file and moves it into place; `replace` false fails with EEXIST if the file appeared meanwhile. */
function writeToken(path: string, token: string, replace: boolean): void {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${token}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (replace) renameSync(tmp, path);
    else linkSync(tmp, path);
  } finally {
    if (!replace) unlinkSync(tmp);
  }
}

export interface TokenFileResult {
  token: string;
  /** Set when the file was created or replaced, saying why. */
  note?: string;
}

/**
 * The token in `<home>/http-token`, created on first use. A file that is a symlink, not a regular file or
 * owned by another user is refused; one whose mode lets others read it is replaced by a new token (the old
 * one may have leaked); a malformed one is refused rather than silently changed.
 */
export function readOrCreateHttpToken(home: string): TokenFileResult {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const path = httpTokenPath(home);
  for (let attempt = 0; attempt < 3; attempt++) {
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const token = generateHttpToken();
      try {
        writeToken(path, token, false);
        return { token, note: `generated a new HTTP token in ${path}` };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue; // another process created it first: use theirs
        throw err;
      }
    }
    if (!st.isFile()) {
      throw new WassetteError(
        ErrorCode.InvalidConfig,
        `${path} is not a regular file (a symlink or directory is never trusted); remove it and a new token is generated`,
      );
    }
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) {
      throw new WassetteError(ErrorCode.InvalidConfig, `${path} belongs to uid ${st.uid}, not to this user (${uid}); remove it and a new token is generated`);
    }
    if ((st.mode & 0o077) !== 0) {
      const token = generateHttpToken();
      writeToken(path, token, true);
      return {
        token,
        note: `${path} had mode ${(st.mode & 0o777).toString(8)}, so other users could read it: replaced it with a new token (mode 600); update your clients`,
      };
    }
    const token = readFileSync(path, 'utf8').trim();
    if (!TOKEN_SHAPE.test(token)) {
      throw new WassetteError(
        ErrorCode.InvalidConfig,
        `${path} does not hold a valid token (32 to 512 url-safe characters); remove it and a new token is generated`,
      );
    }
    return { token };
  }
  throw new WassetteError(ErrorCode.Internal, `${path} kept changing while it was read`);
}

/** Replaces the token with a new one (servers already running keep the old one until restarted). */
export function rotateHttpToken(home: string): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const token = generateHttpToken();
  writeToken(httpTokenPath(home), token, true);
  return token;
}
