/**
 * File names that are not valid UTF-8 (possible on Linux, where a name is any bytes but '/' and
 * NUL). Node turns such names into strings with U+FFFD, losing bytes, and cannot open the file by
 * that string. Shoebox keeps them losslessly as text: each byte that is not part of a valid UTF-8
 * sequence is written as NUL followed by two lowercase hex digits. No real name contains NUL, so
 * the form never collides with a valid name, and fs calls on it fail loudly unless it is turned
 * back into bytes with `fsPath` first.
 */
const ESCAPE = /\0([0-9a-f]{2})/g;
/** Length of the valid UTF-8 sequence starting at buf[i], or 0 if the byte there does not start one. */
function sequenceLength(buf, i) {
    const b = buf[i];
    if (b < 0x80)
        return 1;
    const cont = (k, lo = 0x80, hi = 0xbf) => i + k < buf.length && buf[i + k] >= lo && buf[i + k] <= hi;
    if (b >= 0xc2 && b <= 0xdf)
        return cont(1) ? 2 : 0;
    if (b === 0xe0)
        return cont(1, 0xa0) && cont(2) ? 3 : 0;
    if (b === 0xed)
        return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0; // no UTF-16 surrogates
    if (b >= 0xe1 && b <= 0xef)
        return cont(1) && cont(2) ? 3 : 0;
    if (b === 0xf0)
        return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (b >= 0xf1 && b <= 0xf3)
        return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (b === 0xf4)
        return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}
/** The name's text: the UTF-8 string when the bytes are valid, else with invalid bytes escaped. */
export function nameFromBytes(buf) {
    let out = '';
    let start = 0;
    let i = 0;
    while (i < buf.length) {
        const n = sequenceLength(buf, i);
        if (n > 0) {
            i += n;
            continue;
        }
        out += buf.toString('utf8', start, i) + '\0' + buf[i].toString(16).padStart(2, '0');
        i++;
        start = i;
    }
    return start === 0 ? buf.toString('utf8') : out + buf.toString('utf8', start);
}
/** True if the text holds escaped bytes (the name was not valid UTF-8). */
export function hasRawBytes(p) {
    return p.includes('\0');
}
/** What to hand to fs: the string itself, or the exact bytes when it holds escaped ones. */
export function fsPath(p) {
    if (!hasRawBytes(p))
        return p;
    const parts = [];
    let last = 0;
    for (const m of p.matchAll(ESCAPE)) {
        parts.push(Buffer.from(p.slice(last, m.index), 'utf8'), Buffer.from([parseInt(m[1], 16)]));
        last = m.index + m[0].length;
    }
    parts.push(Buffer.from(p.slice(last), 'utf8'));
    return Buffer.concat(parts);
}
//# sourceMappingURL=raw-names.js.map