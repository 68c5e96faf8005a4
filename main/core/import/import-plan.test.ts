import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportPathOf, planImport, type PlanFile, type ReadSidecar } from './import-plan.js';
import { parseTakeoutJson } from './takeout-sidecar.js';
import { parseXmp } from './xmp-sidecar.js';

/** Files of an upload: `zip:entry` for ZIP entries, the album a plain upload would give (leaf folder, separate mode). */
function files(paths: string[]): PlanFile[] {
  return paths.map((p, id) => {
    const [zip, entry] = p.split(':') as [string, string];
    const dir = entry.split('/').slice(0, -1);
    return { id, sourcePath: `/in/${zip}!/${entry}`, exportPath: exportPathOf(entry), name: entry.split('/').at(-1)!, mtimeMs: 0, albumName: dir.at(-1) ?? zip, separate: true };
  });
}

const sidecar = (title: string, ts: number) => ({ kind: 'json' as const, json: parseTakeoutJson(JSON.stringify({ title, photoTakenTime: { timestamp: String(ts) } }), 'x') });
const XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="5"/></rdf:RDF></x:xmpmeta>';

describe('import plan', () => {
  it('a sidecar in another ZIP of the same export is found; sidecars are read, not backed up; "Photos from YYYY" makes no album, an album folder takes its metadata.json title', () => {
    const fs = files([
      't1.zip:Takeout/Google Photos/Photos from 2019/IMG_1.jpg',
      't1.zip:Takeout/Google Photos/Trip_ Paris/IMG_2.jpg',
      't2.zip:Takeout/Google Photos/Photos from 2019/IMG_1.jpg.supplemental-metadata.json',
      't2.zip:Takeout/Google Photos/Trip_ Paris/IMG_2.jpg.supplemental-metadata.json',
      't2.zip:Takeout/Google Photos/Trip_ Paris/metadata.json',
      't2.zip:Takeout/archive_browser.html',
    ]);
    const read = new Map<number, ReadSidecar>([
      [2, sidecar('IMG_1.jpg', 1_500_000_000)], [3, sidecar('IMG_2.jpg', 1_600_000_000)],
      [4, { kind: 'json', json: parseTakeoutJson(JSON.stringify({ title: 'Trip: Paris', date: { timestamp: '1' } }), 'm') }],
    ]);
    const plan = planImport(fs, read);
    assert.deepEqual(plan.files.map((f) => [fs[f.id]!.name, f.albumName, f.metadata.map((m) => m.takenInstant)]), [
      ['IMG_1.jpg', null, [1_500_000_000_000]],
      ['IMG_2.jpg', 'Trip: Paris', [1_600_000_000_000]],
      ['archive_browser.html', 'Takeout', []],
    ]);
    assert.equal(plan.files[0]!.metadata[0]!.sidecar, '/in/t2.zip!/Takeout/Google Photos/Photos from 2019/IMG_1.jpg.supplemental-metadata.json');
    assert.deepEqual(plan.consumed, [2, 3, 4]); // the album's metadata.json too: read for its title, neither backed up nor counted as "not a photo"
    assert.deepEqual({ ...plan.report, notes: plan.report.notes.length }, { sidecars: 2, matched: 2, withoutSidecar: 0, unmatchedSidecars: 0, rawPairs: 0, xmpSidecars: 0, livePhotos: 0, notes: 0 });
  });

  it('bad JSON, a photo without a sidecar and a sidecar without a photo are each reported by name; every photo is still backed up', () => {
    const fs = files(['z:Google Photos/A/a.jpg', 'z:Google Photos/A/a.jpg.json', 'z:Google Photos/A/b.jpg', 'z:Google Photos/A/c.jpg.json', 'z:Google Photos/A/d.mp4', 'z:Google Photos/A/d.mp4.json']);
    const read = new Map<number, ReadSidecar>([[1, { kind: 'json', json: parseTakeoutJson('{"title": "a.jpg", ', 'x') }], [3, sidecar('c.jpg', 1)], [5, { kind: 'unreadable', message: 'could not be extracted (CRC-32 mismatch)' }]]);
    const plan = planImport(fs, read);
    assert.deepEqual(plan.files.map((f) => fs[f.id]!.name), ['a.jpg', 'b.jpg', 'd.mp4']);
    assert.deepEqual(plan.report.notes.map((n) => [n.code, n.path.split('/').at(-1)]), [
      ['SIDECAR_INVALID', 'a.jpg.json'], ['NO_SIDECAR', 'b.jpg'], ['SIDECAR_INVALID', 'd.mp4.json'], ['SIDECAR_UNMATCHED', 'c.jpg.json'],
    ]);
    assert.match(plan.report.notes[0]!.message, /a\.jpg\.json is not valid JSON .*a\.jpg was backed up without its Takeout metadata/);
    assert.match(plan.report.notes[3]!.message, /is a ZIP of the export missing/);
    assert.deepEqual(plan.consumed, [1, 3, 5]);
    assert.equal(plan.report.withoutSidecar, 3);
  });

  it('RAW+JPEG becomes one item (JPEG first, RAW as its part), and an XMP sidecar is a part whose metadata goes with the JPEG', () => {
    const fs = files(['c.zip:DCIM/IMG_1.CR2', 'c.zip:DCIM/IMG_1.JPG', 'c.zip:DCIM/IMG_1.xmp', 'c.zip:DCIM/lonely.xmp']);
    const plan = planImport(fs, new Map([[2, { kind: 'xmp', xmp: parseXmp(XMP, 'x') }]]));
    assert.deepEqual(plan.files.map((f) => [fs[f.id]!.name, f.partOf ? `${f.partOf.role} of ${fs[f.partOf.id]!.name}` : 'main', f.metadata.map((m) => `${m.source}:${m.rating}`)]), [
      ['IMG_1.JPG', 'main', ['xmp:5']],
      ['IMG_1.CR2', 'raw of IMG_1.JPG', []],
      ['IMG_1.xmp', 'xmp of IMG_1.JPG', []],
    ]);
    assert.equal(plan.report.rawPairs, 1);
    assert.equal(plan.report.xmpSidecars, 1);
    assert.deepEqual(plan.report.notes.map((n) => n.code), ['XMP_UNMATCHED']);
    assert.equal(plan.report.sidecars, 0); // no Takeout here: JSON rules stay out of it
  });

  it('outside a Takeout export nothing is matched or renamed: plain JSON files stay ordinary files', () => {
    const fs = files(['p.zip:Holiday/notes.json', 'p.zip:Holiday/a.jpg']);
    const plan = planImport(fs, new Map([[0, { kind: 'json', json: parseTakeoutJson('{"a": 1}', 'x') }]]));
    assert.deepEqual(plan.files.map((f) => [fs[f.id]!.name, f.albumName]), [['notes.json', 'Holiday'], ['a.jpg', 'Holiday']]);
    assert.deepEqual(plan.report.notes, []);
  });
});
