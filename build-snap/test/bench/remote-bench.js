import fs from 'node:fs';
import path from 'node:path';
import { Engine } from '../../main/core/engine.js';
import { S3Store, parseRemoteUrl } from '../../main/core/remote/s3-store.js';
import { PART_SIZE } from '../../main/core/remote/remote-service.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { tempDir } from '../support/fixtures.js';
import { CLI } from '../support/fixtures.js';
import { photoTree } from './fixtures.js';
import { timeCommand } from './measure.js';
/**
 * Issue #10 row: encrypted push to a local S3 server (s3rver on loopback) next to a raw PUT of
 * the same bytes with the same SDK and the same part size (the floor), in the same run; and the
 * CPU time encryption adds per GB.
 */
export async function remoteBench(work) {
    const src = path.join(work, 'photos');
    const tree = await photoTree(src, 1.05e9);
    const library = path.join(work, 'library-remote');
    fs.rmSync(library, { recursive: true, force: true });
    timeCommand(`node "${CLI}" --library "${library}" upload "${src}" > /dev/null 2>&1`);
    // s3rver in its own process, so this process's CPU time is Shoebox's (and the SDK's) alone.
    const s3dir = tempDir('shoebox-s3-bench-');
    const s3rverPath = createRequire(import.meta.url).resolve('s3rver');
    const child = spawn(process.execPath, ['-e', `const S=require(${JSON.stringify(s3rverPath)}); new S({port:0,address:'127.0.0.1',silent:true,directory:${JSON.stringify(s3dir)},configureBuckets:[{name:'raw'},{name:'enc'}]}).run().then(a=>console.log(a.port))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [portLine] = (await once(child.stdout, 'data'));
    const s3 = { endpoint: `http://127.0.0.1:${Number(portLine.toString())}`, close: async () => { child.kill(); await once(child, 'exit'); } };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' });
    try {
        // floor: the same files, unencrypted, same client, same part size
        const store = new S3Store(parseRemoteUrl('s3://raw/floor', s3.endpoint));
        const files = [];
        const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.join(d, e.name))));
        walk(path.join(library, 'objects'));
        let cpu = process.cpuUsage();
        let t = performance.now();
        for (const f of files) {
            const bytes = fs.readFileSync(f);
            if (bytes.length <= PART_SIZE)
                await store.put(`floor/${path.basename(f)}`, bytes);
            else {
                const key = `floor/${path.basename(f)}`;
                const id = await store.startMultipart(key);
                const parts = new Map();
                for (let off = 0, n = 1; off < bytes.length; off += PART_SIZE, n++)
                    parts.set(n, await store.putPart(key, id, n, bytes.subarray(off, off + PART_SIZE)));
                await store.completeMultipart(key, id, parts);
            }
        }
        const rawS = (performance.now() - t) / 1000;
        const rawCpu = process.cpuUsage(cpu);
        const engine = Engine.open({ libraryDir: library, create: false });
        try {
            process.env.SHOEBOX_REMOTE_PASSPHRASE = 'benchmark passphrase';
            await engine.remotes.add('s3://enc/bench', { endpoint: s3.endpoint, passphrase: 'benchmark passphrase' });
            cpu = process.cpuUsage();
            t = performance.now();
            const s = await engine.remotes.push('s3://enc/bench', { snapshot: false });
            const encS = (performance.now() - t) / 1000;
            const encCpu = process.cpuUsage(cpu);
            const mb = tree.bytes / 1e6;
            const cpuPerGb = ((encCpu.user + encCpu.system - rawCpu.user - rawCpu.system) / 1e6) / (tree.bytes / 1e9);
            const group = `push ${s.blobs} photos, ${(mb / 1000).toFixed(2)} GB to s3rver on loopback`;
            return [
                { group, tool: 'raw PUT, same SDK (floor)', value: `${(mb / rawS).toFixed(0)} MB/s`, note: `${rawS.toFixed(1)} s` },
                { group, tool: 'shoebox remote push (encrypted)', value: `${(mb / encS).toFixed(0)} MB/s`, ratio: `${(rawS / encS).toFixed(2)}× floor (target ≥ 0.7)`, note: `${encS.toFixed(1)} s; encryption costs ${cpuPerGb.toFixed(2)} CPU-s per GB over the raw PUT` },
            ];
        }
        finally {
            await engine.close();
        }
    }
    finally {
        await s3.close();
    }
}
//# sourceMappingURL=remote-bench.js.map