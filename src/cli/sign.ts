// `wassette sign <oci-ref> --key key.pem`: resolves the reference to its manifest digest and attaches a cosign-compatible key signature.
import { readFile } from 'node:fs/promises';
import { ErrorCode, WassetteError, errorMessage } from '../errors.js';
import { signComponent } from '../oci/cosign.js';
import { formatReference, parseReference } from '../oci/reference.js';
import { registrySignatureSource } from '../oci/signature-source.js';
import { withWassette } from './context.js';
import { parse, printJson, printLine, requirePositional, usageError } from './io.js';

const USAGE = 'wassette sign <oci://host/repo[:tag|@sha256:…]> --key key.pem [--insecure-registry host[:port]]... [--json]';

export async function run(argv: string[]): Promise<void> {
  const p = parse(
    argv,
    {
      key: { type: 'string' },
      'insecure-registry': { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  const ref = parseReference(requirePositional(p, 0, 'OCI reference', USAGE));
  const keyFile = p.values.key as string | undefined;
  if (keyFile === undefined) throw usageError(`missing --key (usage: ${USAGE})`);
  const keyPem = await readFile(keyFile, 'utf8').catch((e: unknown) => {
    throw new WassetteError(ErrorCode.NotFound, `cannot read signing key ${keyFile}: ${errorMessage(e)}`);
  });

  const out = await withWassette(
    async (w) => {
      const client = await w.registry();
      // Sign the manifest the tag names now; a digest reference is signed as given (after checking it exists).
      const wanted = ref.digest ?? ref.tag ?? 'latest';
      const resolved = await client.resolve(ref, wanted);
      const digest = resolved?.digest ?? (await client.getManifest(ref, wanted).catch(() => undefined))?.digest;
      if (digest === undefined) {
        throw new WassetteError(ErrorCode.NotFound, `${formatReference(ref)} does not exist in the registry; publish it first (wassette publish)`);
      }
      if (ref.digest !== undefined && digest !== ref.digest) {
        throw new WassetteError(ErrorCode.DigestMismatch, `registry answered ${digest} for ${formatReference(ref)}`);
      }
      const source = registrySignatureSource(client, ref.registry);
      const signed = await signComponent(source, ref.repository, digest, keyPem, { dockerReference: `${ref.registry}/${ref.repository}` });
      return {
        reference: formatReference({ ...ref, tag: undefined, digest }),
        manifestDigest: digest,
        signer: signed.signer,
        signatureTag: signed.tag,
        signatureManifestDigest: signed.signatureManifestDigest,
      };
    },
    { restore: false, flags: { insecureRegistries: (p.values['insecure-registry'] as string[] | undefined) ?? [] } },
  );

  if (p.values.json === true) return printJson(out);
  printLine(`signed ${out.reference}`);
  printLine(`  key ${out.signer}`);
  printLine(`  signature ${out.signatureTag}`);
}
