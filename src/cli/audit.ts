// `wassette audit`: not implemented yet.
import { ErrorCode, WassetteError } from '../errors.js';

export async function run(_argv: string[]): Promise<void> {
  throw new WassetteError(ErrorCode.Internal, 'wassette audit is not implemented yet');
}
