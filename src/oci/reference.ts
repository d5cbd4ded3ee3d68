// Pure parsing and formatting of `oci://host[:port]/repo[:tag][@sha256:<hex>]` references.
import { ErrorCode, WassetteError } from '../errors.js';
import { isSha256Digest } from './digest.js';

export interface OciReference {
  /** `host` or `host:port` exactly as written (lower-cased); the key for credentials and insecure lists. */
  registry: string;
  host: string;
  port: number | undefined;
  /** Repository path, e.g. `org/tools/weather`. */
  repository: string;
  /** Tag; `latest` when neither tag nor digest was given, undefined for digest-only references. */
  tag: string | undefined;
  /** `sha256:<64 hex>` when pinned. */
  digest: string | undefined;
}

const COMPONENT_RE = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HOST_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;

function bad(input: string, part: string, why: string): WassetteError {
  return new WassetteError(ErrorCode.InvalidReference, `invalid OCI reference "${input}": ${part} ${why}`, {
    data: { reference: input, part },
  });
}

/**
 * Parses an OCI reference. The `oci://` prefix is optional; the first path segment is always the
 * registry host (no Docker Hub short names). Docker Hub's `docker.io` is accepted as written.
 */
export function parseReference(input: string): OciReference {
  const raw = input.trim();
  const rest = raw.startsWith('oci://') ? raw.slice('oci://'.length) : raw;
  if (rest.length === 0) throw bad(input, 'reference', 'is empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) throw bad(input, 'scheme', 'must be oci://');

  let body = rest;
  let digest: string | undefined;
  const at = body.indexOf('@');
  if (at >= 0) {
    digest = body.slice(at + 1);
    body = body.slice(0, at);
    if (!isSha256Digest(digest)) throw bad(input, `digest "${digest}"`, 'must be sha256: followed by 64 lower-case hex digits');
  }

  const slash = body.indexOf('/');
  if (slash < 0) throw bad(input, 'repository', 'is missing (expected host/repository)');
  const registryPart = body.slice(0, slash).toLowerCase();
  let path = body.slice(slash + 1);

  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG_RE.test(tag)) throw bad(input, `tag "${tag}"`, 'must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}');
  }

  const { host, port } = splitHostPort(registryPart, input);
  if (path.length === 0) throw bad(input, 'repository', 'is empty');
  for (const segment of path.split('/')) {
    if (!COMPONENT_RE.test(segment)) {
      throw bad(input, `repository segment "${segment}"`, 'must be lower-case letters, digits and single separators (. _ __ -)');
    }
  }
  if (path.length > 255) throw bad(input, 'repository', 'is longer than 255 characters');

  return { registry: registryPart, host, port, repository: path, tag: tag ?? (digest ? undefined : 'latest'), digest };
}

function splitHostPort(registry: string, input: string): { host: string; port: number | undefined } {
  const m = /^(.*?)(?::(\d+))?$/.exec(registry);
  const host = m?.[1] ?? '';
  const portText = m?.[2];
  if (!HOST_RE.test(host)) throw bad(input, `host "${host}"`, 'is not a valid host name');
  if (portText === undefined) return { host, port: undefined };
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(input, `port "${portText}"`, 'must be 1-65535');
  return { host, port };
}

/** The tag or digest to ask the registry for (digest wins when both are present). */
export function manifestReference(ref: OciReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** Canonical `oci://` form. */
export function formatReference(ref: OciReference): string {
  const tag = ref.tag !== undefined ? `:${ref.tag}` : '';
  const digest = ref.digest !== undefined ? `@${ref.digest}` : '';
  return `oci://${ref.registry}/${ref.repository}${tag}${digest}`;
}

/** `host[:port]/repo:tag` without digest: the key a tag resolves under in the blob store index. */
export function tagKey(ref: OciReference): string {
  return `${ref.registry}/${ref.repository}:${ref.tag ?? 'latest'}`;
}

export function withDigest(ref: OciReference, digest: string): OciReference {
  return { ...ref, digest };
}

/** True for hosts that can only be this machine: `localhost`, 127.0.0.0/8 and `::1`. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m?.slice(1).every((o) => Number(o) <= 255) === true;
}

/** The host the registry API is actually served from (Docker Hub's API lives elsewhere). */
export function apiHost(registry: string): string {
  return registry === 'docker.io' || registry === 'index.docker.io' ? 'registry-1.docker.io' : registry;
}
