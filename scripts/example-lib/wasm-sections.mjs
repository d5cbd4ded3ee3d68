// Reads and writes the top-level sections of a wasm binary (core module or component) without decoding them.

export function readSections(bytes) {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error('not a WebAssembly binary');
  }
  const sections = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++];
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    sections.push({ id, body: bytes.subarray(pos, pos + size) });
    pos += size;
  }
  return { header: bytes.subarray(0, 8), sections };
}

function uleb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Uint8Array.from(out);
}

export function writeSections({ header, sections }) {
  const parts = [header];
  for (const s of sections) parts.push(Uint8Array.of(s.id), uleb(s.body.length), s.body);
  return Buffer.concat(parts);
}

function customParts(section) {
  const { body } = section;
  let len = 0;
  let shift = 0;
  let pos = 0;
  for (;;) {
    const b = body[pos++];
    len += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  return { name: new TextDecoder().decode(body.subarray(pos, pos + len)), payload: body.subarray(pos + len) };
}

/** The name of a custom section (id 0), or undefined for other sections. */
export function customName(section) {
  return section.id === 0 ? customParts(section).name : undefined;
}

/** The bytes of a custom section after its name. */
export function customPayload(section) {
  return customParts(section).payload;
}

export function customSection(name, payload) {
  const nameBytes = Buffer.from(name, 'utf8');
  return { id: 0, body: Buffer.concat([uleb(nameBytes.length), nameBytes, payload]) };
}
