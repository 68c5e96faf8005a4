import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { Engine } from '../../main/core/engine.js';
import { jpeg, parseLines, runCli, tempDir } from '../support/fixtures.js';
import { writeZip } from '../support/zip-writer.js';
import { checkAfterCrash } from './invariants.js';

/** What the hostile-input part did. */
export interface HostileResult {
  tried: string[];
  violations: string[];
  /** Inputs whose bytes must end up in the library, and did not. */
  lost: string[];
}

/** A PNG whose header claims 60000×60000 pixels (3.6 GP) with almost no data: a decompression bomb for decoders. */
function bombPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(60000, 0);
  ihdr.writeUInt32BE(60000, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(60001))), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * Hostile inputs (issue #11): archives and files built to break backup tools. The process must
 * stay up, report each problem clearly, keep the library consistent, and back up every input
 * that is a photo (bytes and names intact); thumbnails and the image model may fail on them,
 * the engine may not.
 */
export async function hostileInputs(): Promise<HostileResult> {
  const res: HostileResult = { tried: [], violations: [], lost: [] };
  const root = tempDir('shoebox-hostile-');
  const drop = path.join(root, 'Drop');
  const zipDir = path.join(root, 'Zips'); // archives are uploaded by name (a .zip inside a folder is kept as a file)
  fs.mkdirSync(drop);
  fs.mkdirSync(zipDir);
  const photo = await jpeg('hostile-ok', 2000);
  const mustKeep: Array<{ name: string; bytes: Buffer }> = [];
  const add = (name: string, bytes: Buffer, keep: boolean) => {
    fs.writeFileSync(path.join(drop, name), bytes);
    res.tried.push(name);
    if (keep) mustKeep.push({ name, bytes });
  };

  // ZIP archives
  const zips: Array<[string, Parameters<typeof writeZip>[1]]> = [
    ['traversal.zip', [{ name: '../../escape.jpg', data: photo }, { name: 'ok.jpg', data: await jpeg('z-ok') }]],
    ['absolute.zip', [{ name: '/etc/evil.jpg', data: photo }, { name: 'C:/Windows/evil.jpg', data: photo }, { name: 'dir\\..\\..\\evil.jpg', data: photo }]],
    ['bomb.zip', [{ name: 'bomb.jpg', data: Buffer.alloc(300 * 1024 * 1024), method: 'deflate' }]],
    ['encrypted.zip', [{ name: 'secret.jpg', data: photo, encryptedFlag: true, method: 'deflate' }]],
    ['duplicates.zip', [{ name: 'Day/a.jpg', data: await jpeg('dup-1') }, { name: 'Day/a.jpg', data: await jpeg('dup-2') }]],
  ];
  for (const [name, entries] of zips) {
    writeZip(path.join(zipDir, name), entries);
    res.tried.push(name);
  }
  const corrupt = path.join(zipDir, 'corrupt-crc.zip');
  writeZip(corrupt, [{ name: 'x.jpg', data: await jpeg('crc') }]);
  const cz = fs.readFileSync(corrupt);
  cz[40]! ^= 0xff; // inside the entry's data: the CRC no longer matches
  fs.writeFileSync(corrupt, cz);
  fs.writeFileSync(path.join(zipDir, 'truncated.zip'), fs.readFileSync(path.join(zipDir, 'traversal.zip')).subarray(0, 100));
  res.tried.push('corrupt-crc.zip', 'truncated.zip');

  // files
  add('bomb.png', bombPng(), true);
  add('truncated.jpg', photo.subarray(0, 300), true);
  const badExif = Buffer.concat([photo.subarray(0, 2), Buffer.from([0xff, 0xe1, 0x00, 0x20]), Buffer.from('Exif\0\0MM\0*\0\0\0\x08\xff\xff garbage!!!!!!!', 'latin1'), photo.subarray(2)]);
  add('bad-exif.jpg', badExif, true);
  add('Café.jpg', await jpeg('nfc'), true); // NFC
  add('Café.jpg'.normalize('NFD'), await jpeg('nfd'), true); // the same name in NFD: a different file
  add('CASE.jpg', await jpeg('upper'), true);
  add('case.jpg', await jpeg('lower'), true);
  let deep = drop;
  for (let i = 0; i < 14; i++) deep = path.join(deep, `${'very-long-folder-name-'.repeat(10)}${i}`);
  try {
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'deep.jpg'), await jpeg('deep'));
    res.tried.push(`a ${path.join(deep, 'deep.jpg').length}-character path`);
    mustKeep.push({ name: 'deep.jpg', bytes: fs.readFileSync(path.join(deep, 'deep.jpg')) });
  } catch (err) {
    res.tried.push(`a very long path (not creatable here: ${(err as NodeJS.ErrnoException).code})`);
  }
  fs.symlinkSync(drop, path.join(drop, 'loop'));
  fs.symlinkSync('/etc/passwd', path.join(drop, 'outside.jpg'));
  execFileSync('mkfifo', [path.join(drop, 'fifo.jpg')]);
  const sock = net.createServer().listen(path.join(drop, 'socket.jpg'));
  res.tried.push('symlink loop', 'symlink to outside', 'FIFO named .jpg', 'socket named .jpg');
  try {
    execFileSync('mknod', [path.join(drop, 'device.jpg'), 'c', '1', '3'], { stdio: 'ignore' }); // a character device like /dev/null (needs root)
    res.tried.push('character device named .jpg');
  } catch {
    res.tried.push('character device (not creatable here: needs root)');
  }
  const sparse = path.join(drop, 'huge.mov');
  fs.writeFileSync(sparse, await jpeg('huge'));
  fs.truncateSync(sparse, 10 * 1024 ** 3 + 1);
  res.tried.push('10 GiB + 1 byte (sparse)');
  const badName = Buffer.concat([Buffer.from(`${drop}/`), Buffer.from([0x66, 0xff, 0xfe, 0x2e, 0x6a, 0x70, 0x67])]); // "f\xff\xfe.jpg"
  const badBytes = await jpeg('bad-utf8');
  fs.writeFileSync(badName, badBytes);
  res.tried.push('a file name that is not valid UTF-8');
  mustKeep.push({ name: 'f\\xff\\xfe.jpg', bytes: badBytes }); // as `ls --json` shows it (the catalog keeps the lossless form f\0ff\0fe.jpg, main/core/media/raw-names; export writes the exact bytes, checked below)
  // a file growing while it is read
  const growing = path.join(drop, 'growing.jpg');
  fs.writeFileSync(growing, await jpeg('growing', 200_000));
  const grower = setInterval(() => fs.appendFileSync(growing, Buffer.alloc(4096, 1)), 5);
  res.tried.push('a file growing during the read');

  // files deleted between the scan and the read: many small ones, removed while the upload runs
  const vanishing = path.join(drop, 'zz-vanishing');
  fs.mkdirSync(vanishing);
  const small = await jpeg('vanishing');
  for (let i = 0; i < 1500; i++) fs.writeFileSync(path.join(vanishing, `v${i}.jpg`), Buffer.concat([small, Buffer.from(String(i))]));
  const library = path.join(tempDir(), 'lib');
  try {
    // an archive that is not readable at all is refused before anything starts (like a missing path)
    const t = await runCli(['upload', path.join(zipDir, 'truncated.zip')], { library });
    if (t.code !== 7 || !/truncated\.zip is not a readable ZIP archive/.test(t.stderr)) res.violations.push(`truncated.zip: exit ${t.code}, ${t.stderr.slice(0, 200)}`);
    fs.rmSync(path.join(zipDir, 'truncated.zip'));
    const remover = setTimeout(() => fs.rmSync(vanishing, { recursive: true, force: true }), 1200);
    const r = await runCli(['--json', 'upload', drop, ...fs.readdirSync(zipDir).map((z) => path.join(zipDir, z))], { library });
    clearTimeout(remover);
    clearInterval(grower);
    if (r.code !== 0 && r.code !== 3) res.violations.push(`upload of the hostile folder exited ${r.code}: ${r.stderr.slice(0, 300)}`);
    if (/\n\s+at .+\.js:\d+:\d+/.test(r.stderr)) res.violations.push('a stack trace instead of messages');
    const summary = JSON.parse(r.stdout || '{}') as { failures?: Array<{ path: string; message: string }>; vanished?: number };
    res.tried.push(`1500 files deleted during the upload (${summary.vanished ?? 0} were gone before they were read: reported, not failed)`);
    const messages = (summary.failures ?? []).map((f) => `${f.path}: ${f.message}`).join('\n');
    for (const expected of [/unsafe name in archive/, /zip bomb/, /encrypted/, /over the 10 GiB limit/, /corrupt-crc\.zip.*CRC-32 does not match/]) if (!expected.test(messages)) res.violations.push(`no clear message matching ${expected}`);
    for (const f of ['escape.jpg', 'evil.jpg']) if (fs.existsSync(path.join(root, f)) || fs.existsSync(path.join(path.dirname(root), f))) res.violations.push(`${f} was written outside the library`);
    const rows = parseLines<{ name: string; hash: string; fileId: number }>((await runCli(['--json', 'ls'], { library })).stdout);
    const { createHash } = await import('node:crypto');
    for (const k of mustKeep) {
      const h = createHash('sha256').update(k.bytes).digest('hex');
      if (!rows.some((x) => x.name === k.name && x.hash === h)) res.lost.push(k.name);
    }
    if (rows.some((x) => ['outside.jpg', 'fifo.jpg', 'socket.jpg', 'device.jpg'].includes(x.name))) res.violations.push('a symlink, FIFO, socket or device was backed up as a photo');
    res.violations.push(...(await checkAfterCrash(library)));
    // the odd names come back out with the same bytes
    const out = path.join(tempDir(), 'export');
    const ex = await runCli(['--json', 'export', '--all', out], { library });
    if (ex.code !== 0) res.violations.push(`export exited ${ex.code}: ${ex.stderr.slice(0, 300)}`);
    const exported = path.join(out, 'Drop');
    const rawOut = Buffer.concat([Buffer.from(`${exported}/`), badName.subarray(Buffer.byteLength(`${drop}/`))]);
    if (!fs.existsSync(rawOut) || !fs.readFileSync(rawOut).equals(badBytes)) res.lost.push('the not-UTF-8 name on export');
    for (const n of ['Café.jpg', 'Café.jpg'.normalize('NFD')]) if (!fs.existsSync(path.join(exported, n))) res.lost.push(`${JSON.stringify(n)} on export`);
    // previews and the image model on the same files: they may fail, the engine may not
    const engine = Engine.open({ libraryDir: library });
    try {
      for (const x of rows) await engine.thumbnail(x.fileId);
      await engine.similar.index();
      const s = engine.similar.status();
      res.tried.push(`previews and embeddings of all ${rows.length} (${s.failed} could not be decoded, reported)`);
    } catch (err) {
      res.violations.push(`previews/embeddings crashed the engine: ${(err as Error).message}`);
    } finally {
      await engine.close();
    }
  } finally {
    clearInterval(grower);
    sock.close();
  }
  return res;
}
