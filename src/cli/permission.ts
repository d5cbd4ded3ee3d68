// `wassette permission grant|revoke|reset`: the user changes a component's rights directly (no approval).
import { resolve } from 'node:path';
import { describeGrant, parseGrant, type GrantKind } from '../sandbox/grants.js';
import { withWassette } from './context.js';
import { type CommandHelp, parse, printJson, printLine, requirePositional, usageError } from './io.js';

export const HELP: CommandHelp = {
  grant:
    'wassette permission grant storage <id> <fs:///path | path> --access read[,write] | grant network <id> <host>' +
    ' | grant environment <id> <KEY> | grant memory <id> <256Mi>   [--json]',
  revoke:
    'wassette permission revoke storage <id> <fs:///path | path> | revoke network <id> <host>' +
    ' | revoke environment <id> <KEY> | revoke memory <id>   [--json]',
  reset: 'wassette permission reset <id> [--json]',
};
const USAGE = Object.values(HELP).join('\n  ');

/** A plain local path is taken relative to the current directory, as a user typing it expects. */
export function storageUri(arg: string): string {
  return arg.startsWith('fs://') ? arg : `fs://${resolve(arg)}`;
}

/** Turns CLI words into the `details` a grant_* / revoke_* tool takes (validated later by parseGrant/revokeKey). */
export function grantDetails(kind: string, value: string | undefined, access: string | undefined): Record<string, unknown> {
  switch (kind) {
    case 'storage':
      return {
        uri: storageUri(need(value, 'path')),
        ...(access !== undefined
          ? {
              access: access
                .split(',')
                .map((a) => a.trim())
                .filter(Boolean),
            }
          : {}),
      };
    case 'network':
      return { host: need(value, 'host') };
    case 'environment':
      return { key: need(value, 'environment variable name') };
    case 'memory':
      return value === undefined ? {} : { limit: value };
    default:
      throw usageError(`unknown permission kind "${kind}" (expected storage, network, environment or memory)\nusage: ${USAGE}`);
  }
}

function need(value: string | undefined, what: string): string {
  if (value === undefined) throw usageError(`missing ${what}\nusage: ${USAGE}`);
  return value;
}

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const p = parse(rest, { json: { type: 'boolean' }, access: { type: 'string' } }, USAGE);
  const json = p.values.json === true;
  const access = p.values.access as string | undefined;
  switch (sub) {
    case 'grant': {
      const kind = requirePositional(p, 0, 'permission kind', USAGE);
      const id = requirePositional(p, 1, 'component id', USAGE);
      if (kind === 'storage' && access === undefined) throw usageError(`grant storage needs --access read, write or read,write\nusage: ${USAGE}`);
      if (kind !== 'storage' && access !== undefined) throw usageError('--access applies to storage grants only');
      const grant = parseGrant(kind, grantDetails(kind, p.positionals[2], access));
      const applied = await withWassette(async (w) => w.permissions.grant(id, grant.kind, grant), { restore: false });
      return json ? printJson({ status: 'granted', component_id: id, grant: applied }) : printLine(`granted ${describeGrant(applied)} to ${id}`);
    }
    case 'revoke': {
      const kind = requirePositional(p, 0, 'permission kind', USAGE) as GrantKind;
      const id = requirePositional(p, 1, 'component id', USAGE);
      const details = grantDetails(kind, p.positionals[2], undefined);
      const { revoked } = await withWassette(async (w) => w.permissions.revoke('user', id, kind, details), { restore: false });
      if (json) return printJson({ status: revoked ? 'revoked' : 'not-granted', component_id: id });
      const what = describeTarget(kind, details);
      return printLine(
        revoked ? `revoked ${what} from ${id}` : `${id} had no grant for ${what} (rights from its starting policy stay; see wassette policy get ${id})`,
      );
    }
    case 'reset': {
      const id = requirePositional(p, 0, 'component id', USAGE);
      const { removed } = await withWassette(async (w) => w.permissions.reset('user', id), { restore: false });
      return json
        ? printJson({ status: 'reset', component_id: id, removed })
        : printLine(`removed ${removed} grant(s) from ${id}; it is back to its starting policy`);
    }
    default:
      throw usageError(`unknown subcommand "${sub ?? ''}"\nusage: ${USAGE}`);
  }
}

function describeTarget(kind: GrantKind, details: Record<string, unknown>): string {
  switch (kind) {
    case 'storage':
      return `access to ${String(details.uri).slice('fs://'.length)}`;
    case 'network':
      return `network access to ${String(details.host)}`;
    case 'environment':
      return `environment variable ${String(details.key)}`;
    case 'memory':
      return 'the memory limit grant';
  }
}
