// A stream in front of the SDK's stdio transport that passes complete lines up to a size limit and
// drops longer ones without buffering them, answering each with one JSON-RPC error.
import { Transform, type TransformCallback } from 'node:stream';

export class BoundedLines extends Transform {
  private parts: Buffer[] = [];
  private size = 0;
  private dropping = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onOversized: (bytesSeen: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      this.size += piece.length;
      if (!this.dropping && this.size > this.maxBytes) {
        this.dropping = true;
        this.parts = [];
      }
      if (!this.dropping) this.parts.push(piece);
      if (nl === -1) break;
      this.endLine();
      start = nl + 1;
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.size > 0 || this.parts.length > 0) this.endLine();
    done();
  }

  private endLine(): void {
    if (this.dropping) this.onOversized(this.size);
    else this.push(Buffer.concat([...this.parts, Buffer.from('\n')]));
    this.parts = [];
    this.size = 0;
    this.dropping = false;
  }
}

/** The JSON-RPC answer to a dropped message (its id is not read: that would mean parsing it). */
export function oversizedError(maxBytes: number): string {
  return `${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: `message larger than the ${maxBytes}-byte limit (WASSETTE_MAX_MESSAGE_BYTES); it was dropped` } })}\n`;
}
