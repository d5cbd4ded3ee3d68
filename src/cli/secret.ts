// `wassette secret`: not implemented yet.
import { ErrorCode, WassetteError } from '../errors.js';

export async function run(_argv: string[]): Promise<void> {
  throw new WassetteError(ErrorCode.Internal, 'wassette secret is not implemented yet');
}
