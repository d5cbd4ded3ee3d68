// `wassette serve`: MCP over stdio (default) or Streamable HTTP (`--http [host:port]`).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { BoundedLines, oversizedError } from '../mcp/bounded-lines.js';
import { createLogger } from '../log.js';
import { ErrorCode, WassetteError } from '../errors.js';
import { isLoopbackHost } from '../mcp/http-auth.js';
import { checkTokenShape, readOrCreateHttpToken } from '../mcp/http-token.js';
import { parseListenAddress } from '../mcp/listen-address.js';
import { createMcpServer } from '../mcp/mcp-server.js';
import { openWassette } from '../core/wassette.js';
import { provisionFromManifest } from '../core/provision.js';
import { wassetteBackend } from '../mcp/backend.js';
import { BUILTIN_NAMES, enabledBuiltins } from '../mcp/builtins/list.js';
import { loadCliConfig } from './context.js';
import { type CommandHelp, parse, usageLine } from './io.js';

export const HELP: CommandHelp = {
  '':
    'wassette serve [--http [[host:]port] [--token T | --no-auth]] [--allowed-host name]... [--manifest file.yaml] [--require-signatures] [--insecure-registry host[:port]]...' +
    '  (--http alone listens on 127.0.0.1:9001, --http 9003 on 127.0.0.1:9003; --manifest loads the listed components, each pinned by digest, with their policies before serving)',
};
const USAGE = usageLine(HELP);

export async function run(argv: string[]): Promise<void> {
  // `--http` takes an optional value, which parseArgs cannot express: peel it off first.
  const i = argv.indexOf('--http');
  let http: string | undefined;
  if (i >= 0) {
    const next = argv[i + 1];
    http = next !== undefined && !next.startsWith('-') ? next : '';
    argv = [...argv.slice(0, i), ...argv.slice(i + (next !== undefined && !next.startsWith('-') ? 2 : 1))];
  }
  const p = parse(
    argv,
    {
      'allowed-host': { type: 'string', multiple: true },
      'require-signatures': { type: 'boolean' },
      'insecure-registry': { type: 'string', multiple: true },
      token: { type: 'string' },
      'no-auth': { type: 'boolean' },
      manifest: { type: 'string' },
    },
    USAGE,
  );
  const config = loadCliConfig({
    requireSignatures: p.values['require-signatures'] === true,
    insecureRegistries: (p.values['insecure-registry'] as string[] | undefined) ?? [],
  });
  const log = createLogger(config.logLevel);
  const flagToken = p.values.token as string | undefined;
  const noAuth = p.values['no-auth'] === true;
  const addr = http === undefined ? undefined : parseListenAddress(http);
  if (http === undefined && (flagToken !== undefined || noAuth))
    throw new WassetteError(ErrorCode.InvalidArgument, `--token and --no-auth apply to --http only (usage: ${USAGE})`);
  if (noAuth && flagToken !== undefined) throw new WassetteError(ErrorCode.InvalidArgument, `--token and --no-auth cannot be combined (usage: ${USAGE})`);
  if (noAuth && addr && !isLoopbackHost(addr.host)) {
    throw new WassetteError(
      ErrorCode.InvalidArgument,
      `--no-auth is only accepted when binding a loopback address (127.0.0.1, ::1, localhost), not ${addr.host}`,
    );
  }
  // Resolved before anything is opened, so a bad token fails fast. Flag > WASSETTE_HTTP_TOKEN > the token file.
  let token: string | null = null;
  if (addr && !noAuth) {
    if (flagToken !== undefined) token = checkTokenShape(flagToken, '--token');
    else if (config.httpToken !== undefined) token = checkTokenShape(config.httpToken, 'WASSETTE_HTTP_TOKEN');
    else {
      const file = readOrCreateHttpToken(config.home);
      if (file.note) log.warn(file.note);
      token = file.token;
    }
  }
  const started = Date.now();
  // A misspelt disabled_builtins entry is refused before anything is opened.
  enabledBuiltins(config.disabledBuiltins);
  const wassette = await openWassette(config, log, { reservedToolNames: BUILTIN_NAMES, session: true });
  const manifest = p.values.manifest as string | undefined;
  if (manifest !== undefined) {
    // Provisioned before the transport opens: a client never sees a half-provisioned server, and a mismatch stops the start.
    const loaded = await provisionFromManifest(wassette, manifest).catch(async (e: unknown) => {
      await wassette.close();
      throw e;
    });
    log.info(`provisioned ${loaded.length} component(s) from ${manifest}: ${loaded.map((c) => c.id).join(', ') || 'none'}`);
  }
  const backend = wassetteBackend(wassette);
  const logLine = (m: string) => log.error(m);

  let closeTransport: () => Promise<void> = async () => undefined;
  let poll: NodeJS.Timeout | undefined;
  let closing = false;
  async function shutdown(): Promise<void> {
    if (closing) return;
    closing = true;
    clearInterval(poll);
    await closeTransport().catch(() => undefined);
    await wassette.close();
    process.exit(0);
  }
  // In place before the transport opens: whoever waits for the ready line may signal at once.
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  let ready: string;
  if (http === undefined) {
    const server = createMcpServer(backend, logLine);
    const maxMessage = config.maxMessageBytes;
    const input = process.stdin.pipe(
      new BoundedLines(maxMessage, (seen) => {
        log.warn(`dropped a stdio message of ${seen} bytes (limit ${maxMessage})`);
        process.stdout.write(oversizedError(maxMessage));
      }),
    );
    const transport = new StdioServerTransport(input as unknown as typeof process.stdin);
    await server.connect(transport);
    closeTransport = () => server.close();
    // The client closing stdin ends the session.
    process.stdin.on('end', () => void shutdown());
    ready = `serving MCP over stdio (${(await backend.listTools()).length} tools, ready in ${Date.now() - started} ms)`;
  } else {
    const allowed = (p.values['allowed-host'] as string[] | undefined) ?? [];
    if (noAuth) log.warn('--no-auth: the HTTP transport accepts requests without a bearer token; any local process or user can drive this server');
    // The HTTP transport (and the SDK's web-standard stack under it) loads only when it is asked for.
    const { serveHttp } = await import('../mcp/http.js');
    const h = await serveHttp(
      backend,
      {
        ...addr!,
        allowedHosts: allowed,
        token,
        jsonResponses: config.httpJsonResponses,
        eventStore: { maxEvents: config.httpEventStoreEvents, maxBytes: config.httpEventStoreBytes, totalBytes: config.httpEventStoreTotalBytes },
        sessionIdleMs: config.httpSessionIdleMs,
        onListening: (endpoints) => wassette.setControlPlane(endpoints),
      },
      logLine,
    );
    closeTransport = h.close;
    const auth = token === null ? 'no authentication' : 'bearer token required (`wassette http-token` prints it)';
    ready = `serving MCP over Streamable HTTP at ${h.url} (${auth}; ready in ${Date.now() - started} ms)`;
  }

  // Loads, unloads and grants made by the CLI or the approvals UI show up without a restart.
  poll = setInterval(() => {
    wassette.syncFromStore().catch((e: unknown) => log.warn(`sync with the store failed: ${(e as Error).message}`));
  }, 1000);
  poll.unref();
  log.info(ready);
}
