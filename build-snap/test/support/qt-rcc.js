import fs from 'node:fs';
import zlib from 'node:zlib';
/**
 * Reads the files of a Qt binary resource bundle (`.rcc`, format versions 1–3): a header
 * ("qres", version, offsets of the tree, data and name tables), a tree of 14- or 22-byte entries
 * (directories list their children, files point into the data table) and UTF-16BE names.
 * Data is stored plain or zlib-compressed (flag 1, after a 4-byte size); zstd (flag 4) is
 * refused with a clear error. GCompris ships its activities' photos this way.
 */
export function readRcc(file) {
    const b = fs.readFileSync(file);
    if (b.length < 20 || b.toString('latin1', 0, 4) !== 'qres')
        throw new Error(`${file} is not a Qt resource bundle (no "qres" header)`);
    const version = b.readUInt32BE(4);
    const tree = b.readUInt32BE(8);
    const data = b.readUInt32BE(12);
    const names = b.readUInt32BE(16);
    const entrySize = version >= 2 ? 22 : 14;
    const nameAt = (offset) => {
        const len = b.readUInt16BE(names + offset);
        let s = '';
        for (let i = 0; i < len; i++)
            s += String.fromCharCode(b.readUInt16BE(names + offset + 6 + i * 2));
        return s;
    };
    const out = [];
    const walk = (index, dir, depth) => {
        if (depth > 64)
            throw new Error(`${file}: resource tree too deep`);
        const o = tree + index * entrySize;
        const name = nameAt(b.readUInt32BE(o));
        const flags = b.readUInt16BE(o + 4);
        const full = dir ? `${dir}/${name}` : name;
        if (flags & 2) {
            const count = b.readUInt32BE(o + 6);
            const first = b.readUInt32BE(o + 10);
            for (let k = 0; k < count; k++)
                walk(first + k, index === 0 ? '' : full, depth + 1);
            return;
        }
        const at = data + b.readUInt32BE(o + 10);
        const stored = b.subarray(at + 4, at + 4 + b.readUInt32BE(at));
        if (flags & 4)
            throw new Error(`${file}: ${full} is zstd-compressed, which this reader does not support`);
        out.push({ path: full, bytes: flags & 1 ? zlib.inflateSync(stored.subarray(4)) : Buffer.from(stored) });
    };
    walk(0, '', 0);
    return out;
}
//# sourceMappingURL=qt-rcc.js.map