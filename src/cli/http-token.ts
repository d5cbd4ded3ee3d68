// `wassette http-token [--rotate]`: prints the bearer token `serve --http` requires (creating it on first use).
import { loadConfig } from '../config.js';
import { checkTokenShape, httpTokenPath, readOrCreateHttpToken, rotateHttpToken } from '../mcp/http-token.js';
import { type CommandHelp, parse, printLine, usageLine } from './io.js';

export const HELP: CommandHelp = { '': 'wassette http-token [--rotate]' };
const USAGE = usageLine(HELP);

export async function run(argv: string[]): Promise<void> {
  const p = parse(argv, { rotate: { type: 'boolean' } }, USAGE);
  const config = loadConfig();
  if (p.values.rotate === true) {
    printLine(rotateHttpToken(config.home));
    process.stderr.write(`wrote a new token to ${httpTokenPath(config.home)}; restart running servers and update your clients\n`);
    return;
  }
  // The token `serve --http` would use without --token: WASSETTE_HTTP_TOKEN if set, else the token file.
  if (config.httpToken !== undefined) {
    printLine(checkTokenShape(config.httpToken, 'WASSETTE_HTTP_TOKEN'));
    return;
  }
  const { token, note } = readOrCreateHttpToken(config.home);
  if (note) process.stderr.write(`${note}\n`);
  printLine(token);
}
