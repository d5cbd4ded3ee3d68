// Child-process entry that transpiles components sent over IPC (`{id, bytes, dir}` -> one reply each) until
// its parent disconnects. Transpiling a 12 MB component takes 130-155 MiB that a thread of the server would
// keep (freed heap stays in its malloc arenas); a process that exits when idle returns it all.
import { errorMessage } from '../errors.js';
import { transpileInto, type TranspiledFiles } from './transpile-files.js';

export interface TranspileJob {
  id: number;
  bytes: Uint8Array;
  dir: string;
}

export type TranspileReply = { id: number } & (({ ok: true } & TranspiledFiles) | { ok: false; message: string });

const send = (reply: TranspileReply): void => {
  process.send?.(reply);
};

// Jobs arrive one at a time (the parent waits for each reply), so no queue is needed here.
process.on('message', (job: TranspileJob) => {
  transpileInto(job.bytes, job.dir).then(
    (files) => send({ id: job.id, ok: true, ...files }),
    (e: unknown) => send({ id: job.id, ok: false, message: errorMessage(e) }),
  );
});
// The parent went away (closed, crashed, killed): nothing is left to do.
process.on('disconnect', () => process.exit(0));
