import fs from 'node:fs';
import zlib from 'node:zlib';
/**
 * Writes a ZIP archive by hand. Real archivers refuse to write unsafe names, so tests that
 * check how Shoebox treats hostile archives build them here.
 */
export function writeZip(file, entries) {
    const locals = [];
    const centrals = [];
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
//# sourceMappingURL=zip-writer.js.map