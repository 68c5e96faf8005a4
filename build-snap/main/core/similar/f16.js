// Half-precision storage for embeddings: 1792 floats take 3.5 KB instead of 7 KB per photo, and
// a cosine needs no more precision than that (checked in similar-grouping.test.ts).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** Float32 → IEEE 754 half (round to nearest). */
export function toF16(values) {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) {
        f32[0] = values[i];
        const x = u32[0];
        const sign = (x >>> 16) & 0x8000;
        let exp = ((x >>> 23) & 0xff) - 127 + 15;
        let mant = x & 0x7fffff;
        if (exp <= 0) {
            if (exp < -10) {
                out[i] = sign;
            }
            else {
                // subnormal half: shift the implicit 1 in, round to nearest
                const m = (mant | 0x800000) >>> (1 - exp);
                out[i] = sign | ((m + 0x1000) >>> 13);
            }
        }
        else if (exp >= 31) {
            out[i] = sign | 0x7c00;
        }
        else {
            mant += 0x1000; // round
            if (mant & 0x800000) {
                mant = 0;
                exp++;
            }
            out[i] = exp >= 31 ? sign | 0x7c00 : sign | (exp << 10) | (mant >>> 13);
        }
    }
    return out;
}
/** Decoding table: half bits → float. */
export const F16_TABLE = (() => {
    const t = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) {
        const sign = h & 0x8000 ? -1 : 1;
        const exp = (h >>> 10) & 0x1f;
        const mant = h & 0x3ff;
        t[h] = exp === 0 ? sign * 2 ** -14 * (mant / 1024) : exp === 31 ? (mant ? NaN : sign * Infinity) : sign * 2 ** (exp - 15) * (1 + mant / 1024);
    }
    return t;
})();
/** Half → Float32. */
export function fromF16(h, out = new Float32Array(h.length)) {
    for (let i = 0; i < h.length; i++)
        out[i] = F16_TABLE[h[i]];
    return out;
}
//# sourceMappingURL=f16.js.map