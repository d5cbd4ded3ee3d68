// `wassette inspect <ref>`: the tools, their schemas and the WIT of a component, without loading it.
import { type CommandHelp, parse, printJson, printLine, requirePositional, usageLine } from './io.js';
import { withWassette } from './context.js';

export const HELP: CommandHelp = { '': 'wassette inspect <path|oci://…|https://…> [--json]' };
const USAGE = usageLine(HELP);

export async function run(argv: string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' } }, USAGE);
  const path = requirePositional(p, 0, 'component path', USAGE);
  const info = await withWassette(
    async (w) => {
      const prepared = await w.prepare(path);
      const { fetched, component: c } = prepared;
      return {
        source: fetched.source,
        digest: fetched.digest,
        verification: fetched.verification ?? { status: 'unsigned' },
        imports: c.description.imports,
        tools: prepared.tools,
        wit: c.description.wit,
        ...(prepared.policy ? { policy: prepared.policy } : {}),
      };
    },
    { restore: false },
  );
  if (p.values.json === true) return printJson(info);
  printLine(`source: ${info.source}`);
  printLine(`digest: ${info.digest}`);
  const v = info.verification as { status: string; method?: string; signer?: string };
  printLine(`signature: ${v.status}${v.method ? ` (${v.method}, signer ${v.signer})` : ''}`);
  printLine();
  printLine('WIT:');
  printLine(
    info.wit
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  printLine();
  printLine(`tools (${info.tools.length}):`);
  for (const t of info.tools) {
    printLine(`- ${t.name}: ${t.description}`);
    printLine(`    input:  ${JSON.stringify(t.inputSchema)}`);
    printLine(`    output: ${JSON.stringify(t.outputSchema)}`);
  }
}
