import onnxProto from 'onnx-proto';
const { onnx } = onnxProto;
/** Dequantizes the weights of a TF.js manifest from the concatenated shard bytes. */
export function readWeights(model, data) {
    const out = new Map();
    let offset = 0;
    for (const w of model.weightsManifest.flatMap((m) => m.weights)) {
        const n = w.shape.reduce((a, b) => a * b, 1);
        const values = new Float32Array(n);
        const q = w.quantization;
        if (q && (q.dtype === 'uint8' || q.dtype === 'uint16')) {
            const bytes = q.dtype === 'uint8' ? 1 : 2;
            for (let i = 0; i < n; i++) {
                const raw = bytes === 1 ? data[offset + i] : data.readUInt16LE(offset + 2 * i);
                values[i] = (q.min ?? 0) + raw * (q.scale ?? 1);
            }
            offset += n * bytes;
        }
        else if (!q && w.dtype === 'float32') {
            for (let i = 0; i < n; i++)
                values[i] = data.readFloatLE(offset + 4 * i);
            offset += n * 4;
        }
        else {
            throw new Error(`unsupported weight encoding for ${w.name}: ${JSON.stringify(q ?? w.dtype)}`);
        }
        out.set(w.name, { shape: w.shape, values });
    }
    if (offset !== data.length)
        throw new Error(`weights use ${offset} bytes but the shards hold ${data.length}`);
    return out;
}
const str = (a) => (a?.s ? Buffer.from(a.s, 'base64').toString() : undefined);
const ints = (a) => (a?.list?.i ?? []).map(Number);
const strs = (a) => (a?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString());
/**
 * Converts the feature extractor of a TF.js MobileNet-style graph (Placeholder → Mul/Sub
 * preprocessing → fused Conv2D / depthwise conv with BiasAdd and Relu6 → AddV2 → AvgPool →
 * Squeeze) into an ONNX model, stopping at `outputNode`. Input stays NHWC [N,224,224,3] in
 * [0,1] like the original; convolutions run NCHW after one Transpose. Output: [N, C] features.
 */
export function convertToOnnx(model, weights, outputNode, meta) {
    const byName = new Map(model.modelTopology.node.map((n) => [n.name, n]));
    const needed = [];
    const seen = new Set();
    const visit = (name) => {
        const clean = name.replace(/^\^/, '').replace(/:\d+$/, '');
        if (seen.has(clean))
            return;
        seen.add(clean);
        const node = byName.get(clean);
        if (!node)
            throw new Error(`graph has no node ${clean}`);
        for (const i of node.input ?? [])
            visit(i);
        needed.push(node); // post-order: topologically sorted
    };
    visit(outputNode);
    const nodes = [];
    const inits = [];
    const tensor = (name, dims, values) => {
        inits.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) });
        return name;
    };
    const attrInts = (name, v) => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
    const attrInt = (name, v) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });
    const attrStr = (name, v) => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: Buffer.from(v) });
    const out = (n) => n.name;
    const clip6 = (input, name) => {
        nodes.push({ opType: 'Clip', input: [input, tensor(`${name}/min`, [], new Float32Array([0])), tensor(`${name}/max`, [], new Float32Array([6]))], output: [name], name });
        return name;
    };
    for (const n of needed) {
        const inputs = (n.input ?? []).filter((i) => !i.startsWith('^'));
        switch (n.op) {
            case 'Const':
                break; // weights become initializers where they are used
            case 'Placeholder':
                nodes.push({ opType: 'Transpose', input: ['input'], output: [`${n.name}/nchw`], attribute: [attrInts('perm', [0, 3, 1, 2])], name: `${n.name}/nchw` });
                break;
            case 'Mul':
            case 'Sub':
            case 'AddV2': {
                const operands = inputs.map((i) => {
                    const w = weights.get(i);
                    if (w)
                        return tensor(i, w.shape, w.values);
                    return byName.get(i)?.op === 'Placeholder' ? `${i}/nchw` : i;
                });
                nodes.push({ opType: n.op === 'AddV2' ? 'Add' : n.op, input: operands, output: [out(n)], name: n.name });
                break;
            }
            case '_FusedConv2D':
            case 'FusedDepthwiseConv2dNative': {
                if (str(n.attr?.data_format) !== 'NHWC')
                    throw new Error(`${n.name}: only NHWC is supported`);
                const [x, wName, bName] = inputs;
                const w = weights.get(wName);
                const [kh, kw, cin, cm] = w.shape;
                const depthwise = n.op === 'FusedDepthwiseConv2dNative';
                // TF HWIO (or HWC·multiplier for depthwise) → ONNX OIHW (or (C·m)·1·H·W with group = C).
                const cout = depthwise ? cin * cm : cm;
                const oihw = new Float32Array(w.values.length);
                for (let h = 0; h < kh; h++)
                    for (let ww = 0; ww < kw; ww++)
                        for (let i = 0; i < cin; i++)
                            for (let o = 0; o < cm; o++) {
                                const src = ((h * kw + ww) * cin + i) * cm + o;
                                const dst = depthwise ? (((i * cm + o) * 1 + 0) * kh + h) * kw + ww : ((o * cin + i) * kh + h) * kw + ww;
                                oihw[dst] = w.values[src];
                            }
                const fused = strs(n.attr?.fused_ops);
                if (!fused.includes('BiasAdd'))
                    throw new Error(`${n.name}: expected a fused BiasAdd`);
                const strides = ints(n.attr?.strides);
                const dil = ints(n.attr?.dilations);
                const padding = str(n.attr?.padding);
                const convOut = fused.includes('Relu6') ? `${n.name}/conv` : out(n);
                nodes.push({
                    opType: 'Conv',
                    input: [byName.get(x)?.op === 'Placeholder' ? `${x}/nchw` : x, tensor(wName, depthwise ? [cout, 1, kh, kw] : [cout, cin, kh, kw], oihw), tensor(bName, [cout], weights.get(bName).values)],
                    output: [convOut],
                    name: `${n.name}/conv`,
                    attribute: [
                        attrInts('kernel_shape', [kh, kw]), attrInts('strides', [strides[1], strides[2]]), attrInts('dilations', [dil[1] ?? 1, dil[2] ?? 1]),
                        attrInt('group', depthwise ? cin : 1), attrStr('auto_pad', padding === 'SAME' ? 'SAME_UPPER' : 'VALID'),
                    ],
                });
                if (fused.includes('Relu6'))
                    clip6(convOut, out(n));
                else if (fused.length !== 1)
                    throw new Error(`${n.name}: unsupported fused ops ${fused.join(',')}`);
                break;
            }
            case 'AvgPool': {
                const k = ints(n.attr?.ksize);
                const s = ints(n.attr?.strides);
                if (str(n.attr?.padding) !== 'VALID')
                    throw new Error(`${n.name}: only VALID average pooling`);
                nodes.push({ opType: 'AveragePool', input: [inputs[0]], output: [out(n)], name: n.name, attribute: [attrInts('kernel_shape', [k[1], k[2]]), attrInts('strides', [s[1], s[2]])] });
                break;
            }
            case 'Squeeze':
                nodes.push({ opType: 'Flatten', input: [inputs[0]], output: [out(n)], name: n.name, attribute: [attrInt('axis', 1)] });
                break;
            default:
                throw new Error(`unsupported op ${n.op} (${n.name})`);
        }
    }
    const last = needed.at(-1);
    const featureDim = (() => {
        const conv = [...needed].reverse().find((n) => n.op === '_FusedConv2D');
        return conv ? weights.get((conv.input ?? [])[1]).shape[3] : 0;
    })();
    nodes.push({ opType: 'Identity', input: [last.name], output: ['features'], name: 'features' });
    const graph = {
        name: 'shoebox-image-features',
        node: nodes,
        initializer: inits,
        input: [{ name: 'input', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 224 }, { dimValue: 224 }, { dimValue: 3 }] } } } }],
        output: [{ name: 'features', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: featureDim }] } } } }],
    };
    const m = onnx.ModelProto.create({
        irVersion: 8,
        opsetImport: [{ domain: '', version: 13 }],
        producerName: 'shoebox tfjs-to-onnx',
        producerVersion: '1',
        graph,
        metadataProps: Object.entries(meta).map(([key, value]) => ({ key, value })),
    });
    return onnx.ModelProto.encode(m).finish();
}
//# sourceMappingURL=tfjs-to-onnx.js.map