import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { wallClockOf } from '../../main/core/dates/file-name-date.js';
import { Engine } from '../../main/core/engine.js';
import type { MembershipRow } from '../../main/core/catalog/library-catalog.js';
import type { UploadSummary } from '../../main/core/upload/upload-service.js';
import { jpeg, tempDir, withComment } from '../support/fixtures.js';
import { mp4, photo } from '../support/media-fixtures.js';
import { takeoutFixture, writeTakeoutFolder, writeTakeoutZips, type MediaMaker, type TakeoutFixture } from '../support/takeout-fixture.js';

/** Small media: JPEGs with a (wrong) EXIF date or none, and real MP4s, each with bytes of its own. */
let videos = 0;
const make: MediaMaker = async (seed, kind, exif) => {
  if (kind === 'mp4') return mp4(1, { createdAt: `2005-05-05T05:05:${String(10 + videos++).padStart(2, '0')}Z` });
  return exif ? withComment(await photo(48, 32, exif), Buffer.from(seed)) : jpeg(seed);
};

/** The library file each fixture photo became, found by the source path it was backed up from. */
function filesByExportPath(engine: Engine, fixture: TakeoutFixture): Map<string, MembershipRow[]> {
  const rows = engine.list();
  const out = new Map<string, MembershipRow[]>();
  for (const e of fixture.expect) {
    const ids = new Set(rows.filter((r) => engine.photos.info(r.fileId).sourcePaths.some((p) => p.endsWith(`/Takeout/${e.path}`))).map((r) => r.fileId));
    out.set(e.path, rows.filter((r) => ids.has(r.fileId)));
  }
  return out;
}

describe('Google Takeout import (several ZIPs, every naming quirk)', () => {
  let fixture: TakeoutFixture;
  let engine: Engine;
  let summary: UploadSummary;
  let byPath: Map<string, MembershipRow[]>;

  before(async () => {
    fixture = await takeoutFixture(make, { copies: 2, zips: 3 });
    const zips = writeTakeoutZips(path.join(tempDir(), 'export'), fixture);
    engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    summary = await engine.upload({ paths: zips });
    await engine.dates.backfill();
    byPath = filesByExportPath(engine, fixture);
  });
  after(() => engine.close());

  it('every photo and video with a sidecar has the sidecar\'s date, never its EXIF date', () => {
    const withSidecar = fixture.expect.filter((e) => e.instant !== null);
    assert.equal(withSidecar.length, 30);
    for (const e of withSidecar) {
      const rows = byPath.get(e.path)!;
      assert.ok(rows.length > 0, `${e.path} is in the library`);
      for (const r of rows) {
        assert.equal(r.dateSource, 'takeout', `${e.path} (${e.quirk})`);
        assert.equal(r.takenAt, wallClockOf(e.instant!), `${e.path} (${e.quirk})`);
        assert.equal(r.metadata?.takenAt?.instant, e.instant, `${e.path}: the sidecar's instant is kept`);
      }
    }
  });

  it('counts: matched, without a sidecar, unmatched sidecars; sidecars are not backed up as files', () => {
    // Per copy: 14 sidecars (one without its photo), 16 photos and videos of which 15 get a sidecar (2 edited copies share their original's).
    assert.deepEqual({ ...summary.import!, notes: undefined }, { sidecars: 28, matched: 30, withoutSidecar: 2, unmatchedSidecars: 2, rawPairs: 0, xmpSidecars: 0, livePhotos: 0, notes: undefined, notesOmitted: 0 });
    assert.deepEqual(summary.import!.notes.map((n) => n.code).sort(), ['NO_SIDECAR', 'NO_SIDECAR', 'SIDECAR_UNMATCHED', 'SIDECAR_UNMATCHED']);
    for (const s of fixture.unmatchedSidecars) assert.ok(summary.import!.notes.some((n) => n.code === 'SIDECAR_UNMATCHED' && n.path.endsWith(s)), s);
    assert.equal(summary.failed, 0);
    const names = engine.list().map((r) => r.name);
    assert.ok(names.every((n) => !n.endsWith('.json')), 'no sidecar or metadata.json became a library file');
    assert.equal(summary.ignored, 0, 'the albums\' metadata.json are read for their titles, not counted as "not photos or videos"');
  });

  it('album folders become albums (named by metadata.json), "Photos from YYYY" folders do not', () => {
    assert.deepEqual(engine.albums().map((a) => a.name).sort(), ['Family 0', 'Family 1', 'Trip: Paris 0', 'Trip: Paris 1', 'Uncategorized']);
    for (const e of fixture.expect) {
      const albums = [...new Set(byPath.get(e.path)!.map((r) => r.album))];
      assert.deepEqual(albums, [e.album ?? 'Uncategorized'], `${e.path} (${e.quirk})`);
    }
  });

  it('description, favourite and location come from the sidecar (0,0 is no location)', () => {
    for (const e of fixture.expect) {
      for (const r of byPath.get(e.path)!) {
        assert.equal(r.metadata?.description?.value, e.description, e.path);
        assert.equal(r.metadata?.favorite?.value ?? undefined, e.favorite, e.path);
        assert.deepEqual(r.metadata?.location ? { latitude: r.metadata.location.latitude, longitude: r.metadata.location.longitude } : undefined, e.location, e.path);
      }
    }
  });

  it('the overridden EXIF date stays visible in the info panel', () => {
    const r = byPath.get('Google Photos/Photos from 1996/IMG_20210704_203512_MP.jpg')![0]!;
    const info = engine.photos.info(r.fileId);
    assert.equal(info.metadata.takenAt?.source, 'takeout');
    assert.equal(info.metadata.sources.find((s) => s.source === 'embedded')?.takenAt, Date.UTC(2001, 1, 3, 4, 5, 6));
    assert.match(info.metadata.sources.find((s) => s.source === 'takeout')!.sidecar!, /takeout-.*-003\.zip!\/Takeout\/Google Photos\/Photos from 1996\/IMG_20210704_203512_MP\.jpg\.supplemental-metadat\.json$/);
  });

  it('the same export unpacked into a folder imports the same way; uploading the ZIPs again adds nothing', async () => {
    const again = await engine.upload({ paths: writeTakeoutZips(path.join(tempDir(), 'export2'), fixture) });
    assert.equal(again.stored + again.created + again.linked, 0);
    const lib2 = Engine.open({ libraryDir: path.join(tempDir(), 'lib2') });
    try {
      const s = await lib2.upload({ paths: [writeTakeoutFolder(tempDir(), fixture)] });
      assert.deepEqual({ ...s.import!, notes: s.import!.notes.length }, { ...summary.import!, notes: summary.import!.notes.length });
      await lib2.dates.backfill();
      const rows = lib2.list();
      assert.deepEqual(rows.map((r) => [r.album, r.name, r.takenAt]).sort(), engine.list().map((r) => [r.album, r.name, r.takenAt]).sort());
    } finally {
      await lib2.close();
    }
  });
});
