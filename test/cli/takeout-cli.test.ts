// `shoebox upload` of a Google Takeout export (issue #21): the JSON summary, `ls --json`'s
// metadata, and bad input — a corrupt ZIP, a sidecar with bad JSON, a corrupt sidecar entry, a
// ZIP missing from the export — each named, nothing lost.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, parseLines, runCli, tempDir } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';
import { writeZip } from '../support/zip-writer.js';

interface LsRow { album: string; name: string; fileId: number; takenAt: number | null; dateSource: string | null; metadata?: { takenAt: { instant: number | null; source: string } | null; sources: Array<{ source: string; sidecar: string | null }> } }

const sidecar = (title: string, ts: number) => Buffer.from(JSON.stringify({ title, photoTakenTime: { timestamp: String(ts) }, creationTime: { timestamp: String(ts + 100) } }));
const G = 'Takeout/Google Photos/Photos from 2019';

describe('shoebox upload of a Takeout export', () => {
  it('several ZIPs at once: the summary counts matched and unmatched, ls --json shows each date with its source and sidecar', async () => {
    const dir = tempDir();
    const library = path.join(tempDir(), 'lib');
    writeZip(path.join(dir, 'takeout-001.zip'), [{ name: `${G}/a.jpg`, data: await jpeg('a') }, { name: `${G}/b.jpg`, data: await jpeg('b') }]);
    writeZip(path.join(dir, 'takeout-002.zip'), [{ name: `${G}/a.jpg.supplemental-metadata.json`, data: sidecar('a.jpg', 1_546_300_800) }]);
    const r = await runCli(['--json', 'upload', path.join(dir, 'takeout-001.zip'), path.join(dir, 'takeout-002.zip')], { library });
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { stored: number; import: { sidecars: number; matched: number; withoutSidecar: number; unmatchedSidecars: number; notes: Array<{ code: string; path: string }> } };
    assert.deepEqual([s.stored, s.import.sidecars, s.import.matched, s.import.withoutSidecar, s.import.unmatchedSidecars], [2, 1, 1, 1, 0]);
    assert.deepEqual(s.import.notes.map((n) => [n.code, path.basename(n.path)]), [['NO_SIDECAR', 'b.jpg']]);
    const rows = parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout);
    const a = rows.find((x) => x.name === 'a.jpg')!;
    assert.equal(a.album, 'Uncategorized');
    assert.equal(a.metadata?.takenAt?.instant, 1_546_300_800_000);
    assert.equal(a.metadata?.takenAt?.source, 'takeout');
    assert.match(a.metadata.sources[0]!.sidecar!, /takeout-002\.zip!\/Takeout\/Google Photos\/Photos from 2019\/a\.jpg\.supplemental-metadata\.json$/);
    assert.equal(rows.find((x) => x.name === 'b.jpg')!.metadata, undefined);
  });

  it('a corrupt ZIP among them: exit 7 naming it, nothing from any of them is written', async () => {
    const dir = tempDir();
    const library = path.join(tempDir(), 'lib');
    writeZip(path.join(dir, 'takeout-001.zip'), [{ name: `${G}/a.jpg`, data: await jpeg('a') }]);
    const good = fs.readFileSync(path.join(dir, 'takeout-001.zip'));
    fs.writeFileSync(path.join(dir, 'takeout-002.zip'), good.subarray(0, good.length - 30)); // cut short: no central directory
    const r = await runCli(['upload', path.join(dir, 'takeout-001.zip'), path.join(dir, 'takeout-002.zip')], { library });
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /takeout-002\.zip is not a readable ZIP archive/);
    const ls = await runCli(['--json', 'ls'], { library });
    assert.deepEqual(parseLines(ls.stdout), []);
  });

  it('a sidecar with bad JSON and a corrupt sidecar entry are named; their photos are backed up with their own dates', async () => {
    const dir = tempDir();
    const library = path.join(tempDir(), 'lib');
    const zip = path.join(dir, 'takeout.zip');
    writeZip(zip, [
      { name: `${G}/a.jpg`, data: await jpeg('a') }, { name: `${G}/a.jpg.json`, data: Buffer.from('{"title": "a.jpg", "photoTakenTime": {') },
      { name: `${G}/b.jpg`, data: await jpeg('b') }, { name: `${G}/b.jpg.json`, data: sidecar('b.jpg', 1_546_300_800) },
    ]);
    // Damage b.jpg.json's bytes inside the archive (same length: its CRC-32 no longer matches).
    const bytes = fs.readFileSync(zip);
    const at = bytes.indexOf('"photoTakenTime"', bytes.indexOf('b.jpg.json'));
    bytes.write('X', at + 1, 'latin1');
    fs.writeFileSync(zip, bytes);
    const r = await runCli(['upload', zip], { library });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /a\.jpg\.json: a\.jpg\.json is not valid JSON \(.*\); a\.jpg was backed up without its Takeout metadata/);
    assert.match(r.stderr, /b\.jpg\.json: b\.jpg\.json could not be read: its CRC-32 does not match/);
    const rows = parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout);
    assert.deepEqual(rows.map((x) => x.name).sort(), ['a.jpg', 'b.jpg']);
    assert.ok(rows.every((x) => x.metadata === undefined));
    assert.deepEqual(verifyLibrary(library).problems, []);
  });

  it('a ZIP left out of the upload: its photos\' sidecars are reported unmatched by name, and the photos come in with the ZIP later', async () => {
    const dir = tempDir();
    const library = path.join(tempDir(), 'lib');
    writeZip(path.join(dir, 'takeout-001.zip'), [{ name: `${G}/a.jpg.supplemental-metadata.json`, data: sidecar('a.jpg', 1_546_300_800) }]);
    writeZip(path.join(dir, 'takeout-002.zip'), [{ name: `${G}/a.jpg`, data: await jpeg('a') }]);
    const first = await runCli(['upload', path.join(dir, 'takeout-001.zip')], { library });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /a\.jpg\.supplemental-metadata\.json: no photo or video of its name is in the export \(is a ZIP of the export missing from the upload\?\) \[SIDECAR_UNMATCHED\]/);
    const both = await runCli(['--json', 'upload', path.join(dir, 'takeout-001.zip'), path.join(dir, 'takeout-002.zip')], { library });
    assert.equal((JSON.parse(both.stdout) as { import: { matched: number } }).import.matched, 1);
    const a = parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout).find((x) => x.name === 'a.jpg')!;
    assert.equal(a.metadata?.takenAt?.instant, 1_546_300_800_000);
  });
});
