import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/support/fixtures.js';
import { walkTree } from '../upload/source-scan.js';
import { printable, showRawBytes } from '../format.js';
import { fsPath, hasRawBytes, nameFromBytes } from './raw-names.js';
describe('names that are not valid UTF-8', () => {
    it('keeps valid names as they are and escapes only the invalid bytes', () => {
        for (const s of ['plain.jpg', 'Café.jpg', 'Café.jpg'.normalize('NFD'), '日本.heic', '😀.png', 'line\nbreak.jpg']) {
            assert.equal(nameFromBytes(Buffer.from(s)), s);
            assert.equal(hasRawBytes(s), false);
            assert.equal(fsPath(s), s);
        }
        const raw = Buffer.from([0x66, 0xff, 0xfe, 0x2e, 0x6a, 0x70, 0x67]);
        const name = nameFromBytes(raw);
        assert.equal(name, 'f\0ff\0fe.jpg');
        assert.equal(showRawBytes(name), 'f\\xff\\xfe.jpg');
        assert.equal(printable(`${name}\n`), 'f\\xff\\xfe.jpg\\x0a');
        assert.deepEqual(fsPath(`/a/${name}`), Buffer.concat([Buffer.from('/a/'), raw]));
    });
    it('round-trips every kind of malformed sequence byte for byte', () => {
        const cases = [
            [0xc0, 0xaf], // overlong '/'
            [0xed, 0xa0, 0x80], // UTF-16 surrogate
            [0xe2, 0x82], // truncated 3-byte sequence
            [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
            [0x80, 0x41, 0xc3, 0xa9, 0xff], // stray continuation, valid é between invalid bytes
        ];
        for (const c of cases) {
            const b = Buffer.from(c);
            assert.deepEqual(fsPath(nameFromBytes(b)), b, `bytes ${b.toString('hex')}`);
        }
        for (let i = 0; i < 2000; i++) {
            const b = Buffer.from(Array.from({ length: 1 + (i % 12) }, (_, k) => ((i * 7919 + k * 104729) % 255) + 1)); // no NUL, no '/'
            const name = nameFromBytes(b);
            const back = fsPath(name);
            assert.deepEqual(typeof back === 'string' ? Buffer.from(back) : back, b);
        }
    });
    it('are found by the folder walk and can be opened by the path it gives', async () => {
        const root = tempDir();
        const raw = Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0x78, 0xe9, 0x2e, 0x6a, 0x70, 0x67])]); // latin-1 "xé.jpg"
        fs.writeFileSync(raw, 'bytes');
        fs.mkdirSync(Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0x64, 0xff])]));
        fs.writeFileSync(Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0x64, 0xff]), Buffer.from('/in.jpg')]), 'inner');
        const found = [];
        for await (const f of walkTree(root, (p) => assert.fail(`problem ${p.code}`)))
            found.push(f);
        assert.deepEqual(found.map((f) => path.relative(root, f.path)).sort(), ['d\0ff/in.jpg', 'x\0e9.jpg']);
        assert.deepEqual(found.map((f) => fs.readFileSync(fsPath(f.path), 'utf8')).sort(), ['bytes', 'inner']);
    });
});
//# sourceMappingURL=raw-names.test.js.map