// Child-process entry that transpiles one component and exits: `node transpile-child.js <dir>` with the
// component bytes on stdin, one JSON reply line on stdout. Transpiling a 12 MB component takes 130-155 MiB
// that a thread of the server would keep (freed heap stays in its malloc arenas); a process returns it all.
import { errorMessage } from '../errors.js';
import { transpileInto, type TranspiledFiles } from './transpile-files.js';

export type TranspileReply = ({ ok: true } & TranspiledFiles) | { ok: false; message: string };

async function main(): Promise<TranspileReply> {
  const dir = process.argv[2];
  if (!dir) return { ok: false, message: 'usage: transpile-child <dir> < component.wasm' };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { ok: true, ...(await transpileInto(new Uint8Array(Buffer.concat(chunks)), dir)) };
}

main().then(
  (reply) => process.stdout.write(`${JSON.stringify(reply)}\n`),
  (e: unknown) => process.stdout.write(`${JSON.stringify({ ok: false, message: errorMessage(e) } satisfies TranspileReply)}\n`),
);
