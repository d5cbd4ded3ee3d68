#!/bin/sh
//bin/true 2>/dev/null; export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-1048576}"; exec node "$0" "$@"
// The `wassette` command: dispatches to one module per subcommand; the only place that sets the exit code.
// Run as a program (the `wassette` bin), this file is first a shell script: the line above sets glibc's mmap threshold
// (it must be in the environment when the process starts) and execs node on this same file, in the same process, so
// stdio, signals and the exit code are node's own. To node that line is a comment (to sh, `//bin/true` is /bin/true). With the threshold
// fixed, malloc blocks of 1 MiB and more are mmapped and go back to the system when freed; left dynamic, the first
// freed 12 MB buffer (a component's bytes) raises it to 12 MB, later buffers just below that land in the brk heap and
// stay there as free memory: 40-100 MiB of a server that loaded 10 JS components (bench/RESULTS.md, Memory).
// `node dist/src/cli/main.js` skips the line: set MALLOC_MMAP_THRESHOLD_=1048576 yourself there.
import { errorMessage, isWassetteError } from '../errors.js';
import { missingSubcommand, usageText, wantsHelp } from './help.js';
import { printLine, type CommandHelp } from './io.js';

/** What every subcommand module exports. */
interface CommandModule {
  run(argv: string[]): Promise<void>;
  HELP: CommandHelp;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  serve: { summary: 'serve MCP over stdio, or Streamable HTTP with --http [[host:]port]', load: () => import('./serve.js') },
  'http-token': { summary: 'print the bearer token serve --http requires (--rotate for a new one)', load: () => import('./http-token.js') },
  inspect: { summary: 'show the tools, schemas and WIT of a component', load: () => import('./inspect.js') },
  component: { summary: 'load | list | unload components', load: () => import('./component.js') },
  policy: { summary: "get a component's effective policy", load: () => import('./policy.js') },
  permission: { summary: 'grant | revoke | reset permissions', load: () => import('./permission.js') },
  secret: { summary: 'set | list | delete secrets a component sees as environment variables', load: () => import('./secret.js') },
  approvals: { summary: 'list | approve | deny requests agents are waiting on', load: () => import('./approvals.js') },
  trust: { summary: 'list | add | revoke trust rules (publishers whose loads skip the prompt)', load: () => import('./trust.js') },
  audit: { summary: 'show recorded calls and denials', load: () => import('./audit.js') },
  publish: { summary: 'push a component to an OCI registry', load: () => import('./publish.js') },
  sign: { summary: 'sign a published component with a cosign-compatible key signature', load: () => import('./sign.js') },
  crawl: { summary: 'walk OCI registries into the local tool-search index', load: () => import('./crawl.js') },
  search: { summary: 'find tools for a need described in words (what search_tools answers)', load: () => import('./search.js') },
  index: { summary: 'import MCP tools/list files into the search index', load: () => import('./index-cmd.js') },
  cache: { summary: 'manage the blob and transpile cache (prune)', load: () => import('./cache.js') },
};

function help(): void {
  printLine('usage: wassette <command> [options]   (wassette <command> --help for its usage)');
  printLine();
  for (const [name, c] of Object.entries(COMMANDS)) printLine(`  ${name.padEnd(12)}${c.summary}`);
  printLine();
  printLine('State lives in $WASSETTE_HOME (default ~/.local/share/wassette).');
}

async function main(argv: string[]): Promise<number> {
  let [command, ...rest] = argv;
  // `wassette help component load` is `wassette component load --help`.
  if (command === 'help' && rest[0] !== undefined) [command, ...rest] = [...rest, '--help'];
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    help();
    return command === undefined ? 1 : 0;
  }
  if (command === '--version' || command === '-V') {
    printLine('0.1.0');
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    process.stderr.write(`wassette: unknown command "${command}" (see wassette --help)\n`);
    return 2;
  }
  const mod = await entry.load();
  if (wantsHelp(rest)) {
    printLine(`wassette ${command}: ${entry.summary}\n\n${usageText(mod.HELP, rest[0])}`);
    return 0;
  }
  // Usage on stderr and exit 2, as for any usage error: a script must not read this as success.
  if (missingSubcommand(mod.HELP, rest)) {
    process.stderr.write(`wassette ${command}: missing subcommand (${Object.keys(mod.HELP).join(', ')})\n${usageText(mod.HELP, undefined)}\n`);
    return 2;
  }
  await mod.run(rest);
  return 0;
}

// `wassette inspect x | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const msg = errorMessage(e);
    process.stderr.write(`wassette: ${msg}\n`);
    if (process.env.WASSETTE_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = isWassetteError(e) && e.data?.usage ? 2 : 1;
  },
);
