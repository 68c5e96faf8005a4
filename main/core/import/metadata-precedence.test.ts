import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileMetadata } from '../catalog/metadata-catalog.js';
import { resolveMetadata } from './metadata-precedence.js';

const row = (source: FileMetadata['source'], o: Partial<FileMetadata> = {}): FileMetadata => ({ source, sidecar: source === 'embedded' ? null : `x.${source}`, takenAt: null, takenInstant: null, location: null, description: null, favorite: null, rating: null, ...o });

describe('metadata precedence (DESIGN §12)', () => {
  it('Takeout over XMP over the file\'s own, field by field', () => {
    const r = resolveMetadata(
      [row('embedded', { takenAt: 1 }), row('xmp', { takenAt: 2, description: 'xmp words', rating: 4, location: { latitude: 1, longitude: 2, altitude: null } }), row('takeout', { takenAt: 3, takenInstant: 30, description: 'takeout words', favorite: true })],
      { takenAt: 3, dateSource: 'takeout' },
    );
    assert.deepEqual(r.takenAt, { value: 3, source: 'takeout', instant: 30 });
    assert.deepEqual(r.description, { value: 'takeout words', source: 'takeout' });
    assert.deepEqual(r.location, { latitude: 1, longitude: 2, altitude: null, source: 'xmp' }); // Takeout had none
    assert.deepEqual(r.rating, { value: 4, source: 'xmp' });
    assert.deepEqual(r.favorite, { value: true, source: 'takeout' });
    assert.deepEqual(r.sources.map((s) => s.source), ['takeout', 'xmp', 'embedded']);
  });

  it('a sidecar date waiting for the back-fill is shown over the file\'s earlier date', () => {
    assert.deepEqual(resolveMetadata([row('takeout', { takenAt: 9, takenInstant: 90 })], { takenAt: 5, dateSource: null }).takenAt, { value: 9, source: 'takeout', instant: 90 });
    assert.deepEqual(resolveMetadata([row('xmp', { takenAt: 9 })], { takenAt: 5, dateSource: 'exif' }).takenAt, { value: 9, source: 'xmp', instant: null });
  });

  it('without sidecars the file\'s own date and source stand', () => {
    assert.deepEqual(resolveMetadata([], { takenAt: 5, dateSource: 'exif' }), { takenAt: { value: 5, source: 'exif', instant: null }, location: null, description: null, favorite: null, rating: null, sources: [] });
    assert.equal(resolveMetadata([], { takenAt: null, dateSource: null }).takenAt, null);
  });
});
