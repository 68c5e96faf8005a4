import type { RemoteRow } from '../catalog/remote-catalog.js';
import { blobsIn, fileNamesOf } from '../catalog/remote-catalog.js';
import type { EngineContext } from '../engine-context.js';
import { blobObjectName, deriveKeys } from './remote-crypto.js';
import { readMasterKey } from './remote-keys.js';
import { decryptVerified } from './remote-streams.js';
import { S3Store } from './s3-store.js';

/** What comparing a remote with the catalog found. */
export interface RemoteCheckReport {
  expected: number;
  missing: Array<{ hash: string; photos: string[] }>;
  extra: string[];
  damaged: Array<{ hash: string; photos: string[]; message: string }>;
}

/** Compares a remote with the catalog: missing and unknown objects; with readData, every object decrypted and its hash checked. */
export async function checkRemote(ctx: EngineContext, r: RemoteRow, readData: boolean): Promise<RemoteCheckReport> {
  const store = new S3Store(r, ctx.credentials?.get(r.url));
  const keys = deriveKeys(await readMasterKey(ctx.paths.root, r));
  const present = await store.list(`${r.prefix}blobs/`);
  const expected = blobsIn(ctx.cdb.db);
  const names = new Set<string>();
  const report: RemoteCheckReport = { expected: expected.length, missing: [], extra: [], damaged: [] };
  for (const { hash } of expected) {
    const key = blobObjectName(r.prefix, keys.names, hash);
    names.add(key);
    const photos = () => fileNamesOf(ctx.cdb.db, hash);
    if (!present.has(key)) {
      report.missing.push({ hash, photos: photos() });
      continue;
    }
    if (!readData) continue;
    const body = await store.get(key);
    const problem = body ? await decryptVerified(body, keys.data, hash, photos().join(', ')) : 'missing';
    if (problem) report.damaged.push({ hash, photos: photos(), message: problem });
  }
  for (const k of present.keys()) if (!names.has(k)) report.extra.push(k);
  return report;
}
