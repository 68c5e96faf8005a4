import fs from 'node:fs';
import path from 'node:path';
import S3rver from 's3rver';
import { tempDir } from './fixtures.js';
/** Starts s3rver with the given buckets. */
export async function startS3(buckets) {
    const dir = tempDir('shoebox-s3-');
    const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: buckets.map((name) => ({ name })) });
    const addr = await server.run();
    return {
        endpoint: `http://127.0.0.1:${addr.port}`,
        dir,
        env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' },
        objectFile: (bucket, key) => {
            const base = path.join(dir, bucket, ...key.split('/'));
            const candidates = [`${base}._S3rver_object`, base];
            return candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
        },
        close: () => server.close(),
    };
}
//# sourceMappingURL=s3-server.js.map