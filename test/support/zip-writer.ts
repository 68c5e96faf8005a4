import fs from 'node:fs';
import zlib from 'node:zlib';

/** One entry for writeZip: raw name bytes allow hostile names (`../x`, absolute, duplicates). */
export interface ZipEntrySpec {
  name: string | Buffer;
  data: Buffer;
  /** 'deflate' compresses (for bomb tests); default 'store'. */
  method?: 'store' | 'deflate';
  /** Sets the "encrypted" flag bit without encrypting (for refusal tests). */
  encryptedFlag?: boolean;
}

/**
 * Writes a ZIP archive by hand. Real archivers refuse to write unsafe names, so tests that
 * check how Shoebox treats hostile archives build them here.
 */
export function writeZip(file: string, entries: ZipEntrySpec[]): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.isBuffer(e.name) ? e.name : Buffer.from(e.name, 'utf8');
    const body = e.method === 'deflate' ? zlib.deflateRawSync(e.data) : e.data;
    const crc = zlib.crc32(e.data);
    const flags = (Buffer.isBuffer(e.name) ? 0 : 0x800) | (e.encryptedFlag ? 1 : 0);
    const method = e.method === 'deflate' ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x5921, 12); // date: 2024-09-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5921, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  fs.writeFileSync(file, Buffer.concat([...locals, cd, end]));
}

/** DOS date and time fields of a moment (local time, 2-second steps), as ZIP stores them. */
function dosTime(d: Date): { time: number; date: number } {
  return { time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1), date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate() };
}

/**
 * Writes a stored (uncompressed) ZIP archive entry by entry, straight to disk: only the central
 * directory is kept in memory, so archives of gigabytes (the bench's Takeout export) are
 * written without holding them. Names are UTF-8.
 */
export class ZipFileWriter {
  private readonly fd: number;
  private offset = 0;
  private readonly central: Buffer[] = [];
  private count = 0;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  /** Appends one entry with its modification time. */
  add(name: string, data: Buffer, mtime = new Date(2024, 8, 1)): void {
    const n = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const { time, date } = dosTime(mtime);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(time, 12);
    c.writeUInt16LE(date, 14);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(this.offset, 42);
    for (const b of [local, n, data]) fs.writeSync(this.fd, b);
    this.central.push(c, n);
    this.offset += local.length + n.length + data.length;
    this.count++;
  }

  /** Writes the central directory and closes the file. */
  close(): void {
    const cd = Buffer.concat(this.central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.count, 8);
    end.writeUInt16LE(this.count, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(this.offset, 16);
    fs.writeSync(this.fd, Buffer.concat([cd, end]));
    fs.closeSync(this.fd);
  }
}
