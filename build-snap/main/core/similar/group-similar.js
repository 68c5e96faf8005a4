import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import usearch from 'usearch';
/** Dimensions of the random projection the approximate search runs in. */
const PROJECTED = 128;
/** A fixed Gaussian projection (seeded: the same for every run). */
function projectionMatrix(dim, out) {
    const m = new Float32Array(dim * out);
    let s = 0x9e3779b9;
    const uni = () => {
        s ^= s << 13;
        s >>>= 0;
        s ^= s >>> 17;
        s ^= s << 5;
        s >>>= 0;
        return (s + 0.5) / 4294967296;
    };
    for (let i = 0; i < m.length; i += 2) {
        const r = Math.sqrt(-2 * Math.log(uni()));
        const t = 2 * Math.PI * uni();
        m[i] = r * Math.cos(t);
        if (i + 1 < m.length)
            m[i + 1] = r * Math.sin(t);
    }
    return m;
}
/** A tiny ONNX graph, (x − mean) · P, so the projection of 100k vectors runs in native code. */
function projectionModel(mean, p, dim) {
    const { onnx } = onnxProto;
    const t = (name, dims, v) => ({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(v.buffer, v.byteOffset, v.byteLength) });
    const graph = {
        name: 'project',
        node: [{ opType: 'Sub', input: ['x', 'mean'], output: ['c'] }, { opType: 'MatMul', input: ['c', 'p'], output: ['y'] }],
        initializer: [t('mean', [dim], mean), t('p', [dim, PROJECTED], p)],
        input: [{ name: 'x', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: dim }] } } } }],
        output: [{ name: 'y', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: PROJECTED }] } } } }],
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}
/**
 * Groups similar images (DESIGN §5). [Note: Similar grouping]
 * 1. Candidates: every vector is centered on the library's mean and projected to 128 dims
 *    (a fixed random projection, run by onnxruntime), then an HNSW index (usearch, int8)
 *    gives each image its nearest neighbours. 2. Every candidate pair is verified with the
 *    exact cosine of the full vectors against the threshold. 3. Groups are cliques (complete
 *    linkage), never chains: the image with the most similar neighbours is a reference; its
 *    unclaimed neighbours join in order of similarity to it, each only if it is over the
 *    threshold with *every* member already in; repeat. So A≈B≈C never puts A with C unless
 *    A≈C, and no group is larger than its members' common similarity allows. (Issue #17: the
 *    star rule it replaces let a forest centre collect seven different deep-sky photos, each
 *    near the forest but not near each other.) Returns groups of row indices (size ≥ 2), each
 *    starting with its reference.
 */
export async function groupSimilar(n, dim, read, opts) {
    if (n < 2)
        return [];
    const k = Math.min(opts.neighbours ?? NEIGHBOURS, n - 1) + 1;
    const neighbours = await candidatePairs(n, dim, read, k, opts);
    return completeLinkage(n, dim, read, neighbours, opts.threshold);
}
/** Neighbours looked at per image by default: a group (a burst) can have up to this many members plus its reference. */
export const NEIGHBOURS = 16;
/** Verified neighbours of each row: [row, cosine] over the threshold. */
async function candidatePairs(n, dim, read, k, opts) {
    const threads = opts.threads ?? 2;
    const row = new Float32Array(dim);
    // mean
    const mean = new Float64Array(dim);
    for (let i = 0; i < n; i++) {
        read(i, row);
        for (let d = 0; d < dim; d++)
            mean[d] += row[d];
    }
    const mean32 = new Float32Array(dim);
    for (let d = 0; d < dim; d++)
        mean32[d] = mean[d] / n;
    // projection, in native code, a block at a time
    const session = await ort.InferenceSession.create(projectionModel(mean32, projectionMatrix(dim, PROJECTED), dim), { intraOpNumThreads: threads });
    const projected = new Float32Array(n * PROJECTED);
    const BLOCK = 2048;
    const block = new Float32Array(BLOCK * dim);
    for (let start = 0; start < n; start += BLOCK) {
        const m = Math.min(BLOCK, n - start);
        for (let i = 0; i < m; i++)
            read(start + i, block.subarray(i * dim, (i + 1) * dim));
        const out = await session.run({ x: new ort.Tensor('float32', block.subarray(0, m * dim), [m, dim]) });
        projected.set(out.y.data.subarray(0, m * PROJECTED), start * PROJECTED);
    }
    await session.release();
    // approximate neighbours
    const index = new usearch.Index({ metric: usearch.MetricKind.Cos, dimensions: PROJECTED, connectivity: 8, quantization: usearch.ScalarKind.I8, expansion_add: 32, expansion_search: 48, multi: false });
    const keys = new BigUint64Array(n);
    for (let i = 0; i < n; i++)
        keys[i] = BigInt(i);
    index.add(keys, projected, threads);
    const found = index.search(projected, k, threads);
    // exact verification on the full vectors
    const neighbours = Array.from({ length: n }, () => []);
    const a = new Float32Array(dim);
    const b = new Float32Array(dim);
    const checked = new Set();
    for (let i = 0; i < n; i++) {
        read(i, a);
        for (let j = 0; j < k; j++) {
            const other = Number(found.keys[i * k + j]);
            if (other === i || other >= n)
                continue;
            const pair = Math.min(i, other) * n + Math.max(i, other);
            if (checked.has(pair))
                continue;
            checked.add(pair);
            read(other, b);
            const dot = dotOf(a, b);
            if (dot >= opts.threshold) {
                neighbours[i].push([other, dot]);
                neighbours[other].push([i, dot]);
            }
        }
    }
    return neighbours;
}
function dotOf(a, b) {
    let dot = 0;
    for (let d = 0; d < a.length; d++)
        dot += a[d] * b[d];
    return dot;
}
/** Complete-linkage groups over the verified neighbour lists (see [Note: Similar grouping]). */
function completeLinkage(n, dim, read, neighbours, threshold) {
    const order = Array.from({ length: n }, (_, i) => i).filter((i) => neighbours[i].length > 0).sort((x, y) => neighbours[y].length - neighbours[x].length || x - y);
    const taken = new Uint8Array(n);
    const groups = [];
    const vec = (i) => {
        const v = new Float32Array(dim);
        read(i, v);
        return v;
    };
    for (const ref of order) {
        if (taken[ref])
            continue;
        const candidates = neighbours[ref].filter(([m]) => !taken[m]).sort((x, y) => y[1] - x[1] || x[0] - y[0]);
        if (candidates.length === 0)
            continue;
        const members = [ref];
        const vectors = [vec(ref)];
        for (const [m] of candidates) {
            const v = vec(m);
            if (vectors.every((u, i) => i === 0 || dotOf(u, v) >= threshold)) {
                members.push(m);
                vectors.push(v);
            }
        }
        if (members.length < 2)
            continue;
        for (const m of members)
            taken[m] = 1;
        groups.push(members);
    }
    return groups;
}
//# sourceMappingURL=group-similar.js.map