// Draws Shoebox's icons (app icon and tray states) from SVG with sharp and writes the PNGs
// (1x/2x), macOS template images, icon.ico and icon.icns into this folder. The outputs are
// committed; run `node resources/icons/draw-icons.mjs` after changing a drawing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const dir = path.dirname(fileURLToPath(import.meta.url));

// The app icon: a shoebox with a photo inside.
const app = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
  <rect x="6" y="18" width="52" height="38" rx="5" fill="#b4532a"/>
  <path d="M4 14h56v9H4z" fill="#8c3d1c"/>
  <rect x="15" y="27" width="34" height="22" rx="2" fill="#f7f6f3"/>
  <circle cx="24" cy="34" r="3" fill="#e08a4a"/>
  <path d="M17 47l10-9 6 5 5-4 9 8z" fill="#8c3d1c"/></svg>`;

// Tray glyphs: a box outline, with a state mark.
const box = (fill, mark) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">
  <path d="M1.5 4h13v2h-13z" fill="${fill}"/><path d="M2.5 6.5h11v7h-11z" fill="none" stroke="${fill}" stroke-width="1.3"/>${mark}</svg>`;
const marks = {
  idle: (c) => `<path d="M5.5 9.8l1.8 1.8 3.3-3.4" fill="none" stroke="${c}" stroke-width="1.4"/>`,
  syncing: (c) => `<path d="M8 7.6v4.6M5.8 10l2.2 2.3 2.2-2.3" fill="none" stroke="${c}" stroke-width="1.4"/>`,
  paused: (c) => `<path d="M6.5 8v4M9.5 8v4" stroke="${c}" stroke-width="1.5"/>`,
  error: (c) => `<path d="M8 7.6v2.6" stroke="${c}" stroke-width="1.6"/><circle cx="8" cy="11.8" r="0.9" fill="${c}"/>`,
};
const colors = { idle: '#6a6760', syncing: '#b4532a', paused: '#6a6760', error: '#c0362c' };

const png = (svg, size) => sharp(Buffer.from(svg), { density: 72 * (size / 16) * 4 }).resize(size, size).png().toBuffer();

for (const [state, mark] of Object.entries(marks)) {
  const svg = box(colors[state], mark(colors[state]));
  fs.writeFileSync(path.join(dir, `tray-${state}.png`), await png(svg, 16));
  fs.writeFileSync(path.join(dir, `tray-${state}@2x.png`), await png(svg, 32));
  const template = box('#000000', mark('#000000')); // macOS tints template images for light/dark menu bars
  fs.writeFileSync(path.join(dir, `tray-${state}Template.png`), await png(template, 16));
  fs.writeFileSync(path.join(dir, `tray-${state}Template@2x.png`), await png(template, 32));
}

const appPng = (size) => sharp(Buffer.from(app), { density: 72 * (size / 64) * 2 }).resize(size, size).png().toBuffer();
fs.writeFileSync(path.join(dir, 'icon.png'), await appPng(512));
for (const size of [16, 32, 48, 64, 128, 256]) fs.writeFileSync(path.join(dir, `${size}x${size}.png`), await appPng(size));

// ICO: a directory of PNG images (Vista+ reads PNG entries).
const icoSizes = [16, 32, 48, 256];
const icoImages = await Promise.all(icoSizes.map(appPng));
const head = Buffer.alloc(6 + 16 * icoSizes.length);
head.writeUInt16LE(0, 0);
head.writeUInt16LE(1, 2);
head.writeUInt16LE(icoSizes.length, 4);
let offset = head.length;
icoSizes.forEach((s, i) => {
  const e = 6 + 16 * i;
  head.writeUInt8(s === 256 ? 0 : s, e);
  head.writeUInt8(s === 256 ? 0 : s, e + 1);
  head.writeUInt16LE(1, e + 4);
  head.writeUInt16LE(32, e + 6);
  head.writeUInt32LE(icoImages[i].length, e + 8);
  head.writeUInt32LE(offset, e + 12);
  offset += icoImages[i].length;
});
fs.writeFileSync(path.join(dir, 'icon.ico'), Buffer.concat([head, ...icoImages]));

// ICNS: typed PNG entries (ic07 128, ic08 256, ic09 512, ic10 1024).
const icns = [];
for (const [type, size] of [['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]]) {
  const data = await appPng(size);
  const h = Buffer.alloc(8);
  h.write(type, 0, 'latin1');
  h.writeUInt32BE(8 + data.length, 4);
  icns.push(h, data);
}
const body = Buffer.concat(icns);
const icnsHead = Buffer.alloc(8);
icnsHead.write('icns', 0, 'latin1');
icnsHead.writeUInt32BE(8 + body.length, 4);
fs.writeFileSync(path.join(dir, 'icon.icns'), Buffer.concat([icnsHead, body]));
console.log('icons written to', dir);
