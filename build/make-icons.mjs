// Renders the project's icon (resources/icons/icon.svg) into the files packaging needs:
//   resources/icons/icon-256.png, icon-512.png   window icon at run time (Linux, Windows)
//   build/icon.png (1024), build/icon.ico, build/icon.icns   electron-builder
// PNGs come from rsvg-convert (Debian: apt-get install librsvg2-bin). ICO and ICNS are
// written here: both formats may hold PNG images as they are (ICO since Windows Vista,
// ICNS types icp4…ic10), so no other tool is needed.
// The outputs are committed; run this only after changing the SVG: node build/make-icons.mjs
/* global console */
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = join(root, 'resources/icons/icon.svg');
const tmp = mkdtempSync(join(tmpdir(), 'tcplab-icons-'));

/** Render the SVG as a size×size PNG and return its bytes. */
function png(size) {
  const out = join(tmp, `${size}.png`);
  execFileSync('rsvg-convert', ['-w', String(size), '-h', String(size), '-o', out, svg]);
  return readFileSync(out);
}

/** An ICO file holding PNG images: a 6-byte header, 16 bytes per entry, then the images. */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type 1: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0); // 0 means 256
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2); // no palette
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

/** An ICNS file: 'icns' + total length, then (type, length, PNG) blocks, big-endian. */
function icns(images) {
  const blocks = images.map(({ type, data }) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(8 + data.length, 4);
    return Buffer.concat([h, data]);
  });
  const total = 8 + blocks.reduce((n, b) => n + b.length, 0);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(total, 4);
  return Buffer.concat([h, ...blocks]);
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const pngs = Object.fromEntries(sizes.map((s) => [s, png(s)]));

writeFileSync(join(root, 'resources/icons/icon-256.png'), pngs[256]);
writeFileSync(join(root, 'resources/icons/icon-512.png'), pngs[512]);
writeFileSync(join(root, 'build/icon.png'), pngs[1024]);
writeFileSync(
  join(root, 'build/icon.ico'),
  ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: pngs[size] }))),
);
writeFileSync(
  join(root, 'build/icon.icns'),
  icns([
    { type: 'icp4', data: pngs[16] },
    { type: 'icp5', data: pngs[32] },
    { type: 'icp6', data: pngs[64] },
    { type: 'ic07', data: pngs[128] },
    { type: 'ic08', data: pngs[256] },
    { type: 'ic09', data: pngs[512] },
    { type: 'ic10', data: pngs[1024] },
  ]),
);
rmSync(tmp, { recursive: true, force: true });
console.log('icons written: resources/icons/icon-{256,512}.png, build/icon.{png,ico,icns}');
