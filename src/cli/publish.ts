// `wassette publish <file.wasm> <oci://ref>`: decode, describe and push a component with annotations, tool-description and policy layers.
import { ErrorCode, WassetteError } from '../errors.js';
import { buildToolDescription, parseAnnotationFlags, summarizeComponent } from '../oci/describe-layer.js';
import { publishComponent } from '../oci/publish.js';
import { formatReference, parseReference } from '../oci/reference.js';
import { serializePolicy } from '../sandbox/policy.js';
import { withWassette } from './context.js';
import { type CommandHelp, parse, printJson, printLine, requirePositional, usageLine } from './io.js';

export const HELP: CommandHelp = {
  '':
    'wassette publish <file.wasm> <oci://host/repo[:tag]> [--policy policy.yaml] [--annotation key=value]... ' +
    '[--version v] [--source url] [--insecure-registry host[:port]]... [--json]',
};
const USAGE = usageLine(HELP);

export async function run(argv: string[]): Promise<void> {
  const p = parse(
    argv,
    {
      policy: { type: 'string' },
      annotation: { type: 'string', multiple: true },
      version: { type: 'string' },
      source: { type: 'string' },
      'insecure-registry': { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  const file = requirePositional(p, 0, 'component file', USAGE);
  const target = requirePositional(p, 1, 'OCI reference', USAGE);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file) && !file.startsWith('file://')) {
    throw new WassetteError(ErrorCode.InvalidArgument, `publish takes a local .wasm file, not "${file}"`);
  }
  const ref = parseReference(target);
  const extra = parseAnnotationFlags((p.values.annotation as string[] | undefined) ?? []);
  const policyFile = p.values.policy as string | undefined;
  const version = (p.values.version as string | undefined) ?? (ref.tag !== undefined && ref.tag !== 'latest' ? ref.tag : undefined);
  const source = p.values.source as string | undefined;

  const out = await withWassette(
    async (w) => {
      // Decoding first refuses core modules, components the host could not run and invalid policies
      // before anything reaches the registry.
      const prepared = await w.prepare(file, policyFile);
      const { fetched, component: c, tools } = prepared;
      const result = await publishComponent(fetched.bytes, ref, {
        client: await w.registry(),
        annotations: {
          title: baseTitle(ref.repository),
          description: summarizeComponent(
            c.description.docs,
            tools.map((t) => t.name),
          ),
          ...(source !== undefined ? { source } : {}),
          ...(version !== undefined ? { version } : {}),
          extra,
        },
        descriptionJson: buildToolDescription(c.description.wit, tools),
        // Ship the validated document as written, so comments and layout survive for readers.
        ...(policyFile !== undefined && prepared.policy ? { policyYaml: fetched.policyYaml ?? serializePolicy(prepared.policy) } : {}),
      });
      const pinned = formatReference({ ...ref, tag: undefined, digest: result.manifestDigest });
      return {
        reference: pinned,
        tagged: ref.tag !== undefined && ref.digest === undefined ? formatReference({ ...ref, digest: undefined }) : undefined,
        manifestDigest: result.manifestDigest,
        componentDigest: result.digest,
        tools: tools.map((t) => t.name),
        policy: policyFile !== undefined,
      };
    },
    { restore: false, flags: { insecureRegistries: (p.values['insecure-registry'] as string[] | undefined) ?? [] } },
  );

  if (p.values.json === true) return printJson(out);
  printLine(out.reference);
  if (out.tagged) process.stderr.write(`published ${out.tools.length} tools as ${out.tagged}${out.policy ? ' with its policy' : ''}\n`);
}

/** The component's name as registries show it: the last repository segment. */
function baseTitle(repository: string): string {
  return repository.split('/').pop() ?? repository;
}
