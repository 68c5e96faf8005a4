import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Engine } from '../../main/core/engine.js';
import { groupSimilar } from '../../main/core/similar/group-similar.js';
import { DEFAULT_THRESHOLD } from '../../main/core/similar/similar-service.js';
import { CLI } from '../support/fixtures.js';
import { realPhotosDir } from '../support/real-photos.js';
import { pairwiseScores, similarFixtures } from '../support/similar-fixtures.js';
import { cameraLikeJpeg } from './fixtures.js';
import { have, timeCommand, warmCache } from './measure.js';
import { calibrationReport } from './similar-calibrate.js';
const FLOOR = fileURLToPath(new URL('./sharp-floor.js', import.meta.url));
const pct = (x) => `${(x * 100).toFixed(1)}%`;
/** findimagedupes' groups at a threshold (its output: one group of paths per line). */
function findimagedupes(files, threshold) {
    const r = spawnSync('findimagedupes', ['-q', '-t', `${threshold}%`, ...files], { encoding: 'utf8', maxBuffer: 16 << 20 });
    return r.stdout.split('\n').filter(Boolean).map((l) => l.split(' ').filter(Boolean));
}
/**
 * Issue #8 rows: grouping quality on the labeled real-photo fixtures next to findimagedupes (and
 * why not dupeGuru), indexing throughput and memory on 12 MP JPEGs, grouping time for 100,000
 * synthetic embeddings.
 */
export async function similarBench(work) {
    const rows = [];
    const photos = realPhotosDir();
    if ('missing' in photos)
        return [{ group: 'similar images', tool: 'shoebox', value: 'n/a', note: photos.missing }];
    const labels = await similarFixtures(photos.dir, path.join(work, 'similar-fixtures'));
    const group = `similar images: ${labels.length} labeled real-photo fixtures (pairwise P/R/F1)`;
    const lib = path.join(work, 'library-similar');
    fs.rmSync(lib, { recursive: true, force: true });
    const engine = Engine.open({ libraryDir: lib });
    try {
        await engine.upload({ paths: [path.dirname(labels[0].file)] });
        await engine.similar.index();
        const names = new Map(engine.list().map((r) => [r.fileId, r.name]));
        for (const t of [DEFAULT_THRESHOLD]) {
            const s = pairwiseScores(labels, (await engine.similar.groups(t)).map((g) => g.images.map((i) => names.get(i.fileId))));
            rows.push({ group, tool: `shoebox (threshold ${t})`, value: `F1 ${s.f1.toFixed(3)}`, note: `precision ${pct(s.precision)}, recall ${pct(s.recall)}` });
        }
    }
    finally {
        await engine.close();
    }
    if (have('findimagedupes')) {
        const files = labels.map((l) => l.file);
        let best = { t: 0, s: pairwiseScores(labels, []) };
        for (const t of [70, 75, 80, 85, 90, 95]) {
            const s = pairwiseScores(labels, findimagedupes(files, t));
            if (t === 90)
                rows.push({ group, tool: 'findimagedupes -t 90% (default)', value: `F1 ${s.f1.toFixed(3)}`, note: `precision ${pct(s.precision)}, recall ${pct(s.recall)}` });
            if (s.f1 > best.s.f1)
                best = { t, s };
        }
        rows.push({ group, tool: `findimagedupes -t ${best.t}% (its best here)`, value: `F1 ${best.s.f1.toFixed(3)}`, note: `precision ${pct(best.s.precision)}, recall ${pct(best.s.recall)}` });
    }
    else
        rows.push({ group, tool: 'findimagedupes', value: 'n/a', note: 'not installed (.ci/setup bench installs it)' });
    rows.push({ group, tool: 'dupeGuru (picture mode)', value: 'n/a', note: "Debian's dupeguru is a Qt GUI with no headless mode; not driven" });
    // Issue #17: the threshold sweep on the calibration set's held-out half.
    try {
        const lines = await calibrationReport({ log: (s) => console.log(s) });
        for (const l of lines)
            console.log(l);
        const at = lines.find((l) => l.includes('(default)') && l.startsWith(`| ${DEFAULT_THRESHOLD.toFixed(2)}`));
        rows.push({ group: 'similar images: calibration set, held-out half', tool: `shoebox (default ${DEFAULT_THRESHOLD})`, value: at?.split('|')[2]?.trim() ? `precision ${at.split('|')[2].trim()}` : 'n/a', note: at ? `recall ${at.split('|')[3].trim()}, F1 ${at.split('|')[4].trim()} (full sweep printed above)` : 'sweep failed' });
    }
    catch (err) {
        rows.push({ group: 'similar images: calibration set', tool: 'shoebox', value: 'n/a', note: err.message });
    }
    // Indexing throughput: 12 MP camera-like JPEGs, against sharp's own 224-px resize of the same
    // files (the floor: decoding alone), both as whole processes on this machine's cores.
    const N = 64;
    const big = path.join(work, 'similar-12mp');
    if (!fs.existsSync(path.join(big, `.complete-${N}`))) {
        fs.mkdirSync(big, { recursive: true });
        for (let i = 0; i < N; i++)
            fs.writeFileSync(path.join(big, `IMG_${i}.jpg`), await cameraLikeJpeg(100 + i));
        fs.writeFileSync(path.join(big, `.complete-${N}`), '');
    }
    const lib2 = path.join(work, 'library-12mp');
    fs.rmSync(lib2, { recursive: true, force: true });
    timeCommand(`node "${CLI}" --library "${lib2}" upload "${big}" > /dev/null 2>&1`);
    warmCache(big);
    const floor = timeCommand(`node "${FLOOR}" "${big}"`);
    const idx = timeCommand(`node "${CLI}" --library "${lib2}" similar --index-only > /dev/null 2>&1`);
    const group2 = `similar images: indexing ${N} JPEGs of 12 MP (${os.availableParallelism()} cores, whole process incl. start-up)`;
    rows.push({ group: group2, tool: 'sharp resize(224) (floor)', value: `${(N / floor.seconds).toFixed(1)} images/s`, note: `peak RSS ${floor.peakRssMb.toFixed(0)} MB` });
    rows.push({ group: group2, tool: 'shoebox similar --index-only', value: `${(N / idx.seconds).toFixed(1)} images/s`, ratio: `${(floor.seconds / idx.seconds).toFixed(2)}× floor (target ≥ 0.7)`, note: `${idx.seconds.toFixed(1)} s, peak RSS ${idx.peakRssMb.toFixed(0)} MB (target < 400)` });
    // Grouping time: 100,000 synthetic embeddings with the structure of CNN features (non-negative,
    // low intrinsic dimension) and 20,000 planted near-copies.
    const M = 100_000;
    const D = 1792;
    const L = 48;
    let x = 7;
    const rnd = () => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return (x >>> 0) / 4294967296 - 0.5;
    };
    const W = new Float32Array(D * L).map(rnd);
    const latents = new Float32Array(M * L);
    const data = new Float32Array(M * D);
    for (let i = 0; i < M; i++) {
        for (let l = 0; l < L; l++)
            latents[i * L + l] = i < 80_000 ? rnd() * 2 : latents[(i - 20_000) * L + l] + rnd() * 0.1;
        let norm = 0;
        for (let d = 0; d < D; d++) {
            let v = 0;
            for (let l = 0; l < L; l++)
                v += W[d * L + l] * latents[i * L + l];
            v = v > 0 ? v : 0;
            data[i * D + d] = v;
            norm += v * v;
        }
        norm = Math.sqrt(norm) || 1;
        for (let d = 0; d < D; d++)
            data[i * D + d] /= norm;
    }
    const started = performance.now();
    const groups = await groupSimilar(M, D, (i, out) => out.set(data.subarray(i * D, (i + 1) * D)), { threshold: 0.95, threads: 2 });
    const ms = performance.now() - started;
    let found = 0;
    const inGroup = new Map();
    groups.forEach((g, gi) => g.forEach((i) => inGroup.set(i, gi)));
    for (let i = 80_000; i < M; i++)
        if (inGroup.has(i) && inGroup.get(i) === inGroup.get(i - 20_000))
            found++;
    rows.push({ group: 'similar images: grouping 100,000 synthetic embeddings', tool: 'shoebox groupSimilar', value: `${(ms / 1000).toFixed(1)} s`, ratio: 'target < 10 s', note: `${groups.length} groups; ${pct(found / 20_000)} of 20,000 planted near-copies grouped with their original` });
    return rows;
}
//# sourceMappingURL=similar-bench.js.map