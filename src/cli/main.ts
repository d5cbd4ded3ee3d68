#!/usr/bin/env node
// The `wassette` command: dispatches to one module per subcommand; the only place that sets the exit code.
import { errorMessage, isWassetteError } from '../errors.js';
import { printLine } from './io.js';

type Runner = (argv: string[]) => Promise<void>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Runner> }> = {
  serve: { summary: 'serve MCP over stdio, or Streamable HTTP with --http [host:port]', load: async () => (await import('./serve.js')).run },
  'http-token': { summary: 'print the bearer token serve --http requires (--rotate for a new one)', load: async () => (await import('./http-token.js')).run },
  inspect: { summary: 'show the tools, schemas and WIT of a component', load: async () => (await import('./inspect.js')).run },
  component: { summary: 'load | list | unload components', load: async () => (await import('./component.js')).run },
  policy: { summary: "get a component's effective policy", load: async () => (await import('./policy.js')).run },
  permission: { summary: 'grant | revoke | reset permissions', load: async () => (await import('./permission.js')).run },
  secret: { summary: 'set | list | delete secrets a component sees as environment variables', load: async () => (await import('./secret.js')).run },
  approvals: { summary: 'list | approve | deny requests agents are waiting on', load: async () => (await import('./approvals.js')).run },
  audit: { summary: 'show recorded calls and denials', load: async () => (await import('./audit.js')).run },
  publish: { summary: 'push a component to an OCI registry', load: async () => (await import('./publish.js')).run },
  sign: { summary: 'sign a published component with a cosign-compatible key signature', load: async () => (await import('./sign.js')).run },
  cache: { summary: 'manage the blob and transpile cache (prune)', load: async () => (await import('./cache.js')).run },
};

function help(): void {
  printLine('usage: wassette <command> [options]');
  printLine();
  for (const [name, c] of Object.entries(COMMANDS)) printLine(`  ${name.padEnd(12)}${c.summary}`);
  printLine();
  printLine('State lives in $WASSETTE_HOME (default ~/.local/share/wassette).');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
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
  await (await entry.load())(rest);
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
