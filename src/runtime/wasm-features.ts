// Turns on the finished WebAssembly proposals that Node 20's V8 still keeps behind a flag, so core modules built by
// current toolchains compile. componentize-py's libpython (wasi-sdk, dynamic linking) uses extended constant
// expressions (`i32.add` in global initializers); Node 22 enables it by default. V8 flags are process-wide, so one
// call before the first compile covers the worker threads too.
import { setFlagsFromString } from 'node:v8';

const FLAGS = ['--experimental-wasm-extended-const'];

let done = false;

export function enableWasmFeatures(): void {
  if (done) return;
  done = true;
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return;
  for (const flag of FLAGS) setFlagsFromString(flag);
}
