// `node --import <this file>`: lets @modelcontextprotocol/conformance 0.1.x run on Node 20. Its bundle does
// `import { globSync } from 'fs'`, an export Node 20 lacks (added in Node 22), so loading it fails before any
// scenario runs. On Node 20 this registers a resolve hook that hands the conformance bundle an `fs` carrying a
// globSync; on Node 22 and later it does nothing.
import fs from 'node:fs';
import { register } from 'node:module';

if (typeof fs.globSync !== 'function') register('./fs-glob-hooks.mjs', import.meta.url);
