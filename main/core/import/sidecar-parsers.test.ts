import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wallClockOf } from '../dates/file-name-date.js';
import { parseTakeoutJson } from './takeout-sidecar.js';
import { gpsCoordinate, parseXmp, xmpDate } from './xmp-sidecar.js';

const SIDECAR = {
  title: 'IMG_20200920_131207.jpg',
  description: 'Birthday cake',
  imageViews: '9',
  creationTime: { timestamp: '1600598769', formatted: 'Sep 20, 2020, 10:46:09 AM UTC' },
  photoTakenTime: { timestamp: '1600596727', formatted: 'Sep 20, 2020, 10:12:07 AM UTC' },
  geoData: { latitude: 55.269423, longitude: 37.665591, altitude: 214.492, latitudeSpan: 0, longitudeSpan: 0 },
  geoDataExif: { latitude: 55.1, longitude: 37.1, altitude: 0, latitudeSpan: 0, longitudeSpan: 0 },
  favorited: true,
};

describe('Takeout JSON sidecars', () => {
  it('the date is photoTakenTime, kept as the instant and as this machine\'s wall clock', () => {
    const r = parseTakeoutJson(JSON.stringify(SIDECAR), 'a.zip!/x.json');
    assert.equal(r.kind, 'media');
    if (r.kind !== 'media') return;
    assert.equal(r.metadata.takenInstant, 1600596727000);
    assert.equal(r.metadata.takenAt, wallClockOf(1600596727000));
    assert.deepEqual(r.metadata.location, { latitude: 55.269423, longitude: 37.665591, altitude: 214.492 });
    assert.equal(r.metadata.description, 'Birthday cake');
    assert.equal(r.metadata.favorite, true);
    assert.equal(r.metadata.sidecar, 'a.zip!/x.json');
    assert.equal(r.title, 'IMG_20200920_131207.jpg');
  });

  it('without photoTakenTime the date is creationTime; numbers are read as well as strings', () => {
    const r = parseTakeoutJson(JSON.stringify({ title: 'a.jpg', creationTime: { timestamp: 1500000000 } }), 's');
    assert.equal(r.kind === 'media' && r.metadata.takenInstant, 1500000000000);
  });

  it('a location of 0,0 means none: geoDataExif is used, else no location', () => {
    const zero = { latitude: 0, longitude: 0, altitude: 0 };
    const a = parseTakeoutJson(JSON.stringify({ ...SIDECAR, geoData: zero }), 's');
    assert.deepEqual(a.kind === 'media' && a.metadata.location, { latitude: 55.1, longitude: 37.1, altitude: null });
    const b = parseTakeoutJson(JSON.stringify({ ...SIDECAR, geoData: zero, geoDataExif: zero }), 's');
    assert.equal(b.kind === 'media' && b.metadata.location, null);
  });

  it('an empty description, a missing favourite and a zero timestamp say nothing', () => {
    const r = parseTakeoutJson(JSON.stringify({ title: 'a.jpg', description: '', photoTakenTime: { timestamp: '0' }, creationTime: { timestamp: '1600000000' } }), 's');
    assert.ok(r.kind === 'media');
    assert.equal(r.metadata.description, null);
    assert.equal(r.metadata.favorite, null);
    assert.equal(r.metadata.takenInstant, 1600000000000);
  });

  it('bad JSON is reported with what is wrong; a sidecar with a nonsense date is invalid', () => {
    const bad = parseTakeoutJson('{"title": "a.jpg", "photoTakenTime": {', 's');
    assert.equal(bad.kind, 'invalid');
    assert.match(bad.kind === 'invalid' ? bad.message : '', /not valid JSON/);
    const date = parseTakeoutJson(JSON.stringify({ title: 'a.jpg', photoTakenTime: { timestamp: 'yesterday' } }), 's');
    assert.equal(date.kind, 'invalid');
  });

  it('an album\'s metadata.json gives the album title; other JSON is not a sidecar', () => {
    assert.deepEqual(parseTakeoutJson(JSON.stringify({ title: 'Trip: Paris / Rome', description: '', access: 'protected', date: { timestamp: '1672477816' } }), 's'), { kind: 'album', title: 'Trip: Paris / Rome' });
    assert.deepEqual(parseTakeoutJson(JSON.stringify({ albumData: { title: 'Old album', date: '2012' } }), 's'), { kind: 'album', title: 'Old album' });
    assert.deepEqual(parseTakeoutJson(JSON.stringify({ title: 'Only a title' }), '/t/Takeout/Google Photos/Only a title/metadata.json'), { kind: 'album', title: 'Only a title' });
    assert.deepEqual(parseTakeoutJson(JSON.stringify({ title: 'Only a title' }), 'a.zip!/Takeout/Google Photos/x/METADATA.JSON'), { kind: 'album', title: 'Only a title' });
    assert.deepEqual(parseTakeoutJson(JSON.stringify({ title: 'Only a title' }), '/t/notes.json'), { kind: 'other' }, 'a title alone, under another name, is not an album');
    assert.deepEqual(parseTakeoutJson('[1,2,3]', 's'), { kind: 'other' });
    assert.deepEqual(parseTakeoutJson(JSON.stringify({ orders: [] }), 's'), { kind: 'other' });
  });
});

const LIGHTROOM = `<?xpacket begin="﻿" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
   xmp:Rating="4"
   xmp:CreateDate="2019-05-03T14:05:01.25"
   exif:DateTimeOriginal="2019-05-03T14:05:01.25+02:00"
   exif:GPSLatitude="48,51.5N"
   exif:GPSLongitude="2,17.4E">
   <dc:description>
    <rdf:Alt>
     <rdf:li xml:lang="de">Der Eiffelturm</rdf:li>
     <rdf:li xml:lang="x-default">The Eiffel Tower &amp; friends</rdf:li>
    </rdf:Alt>
   </dc:description>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;

const DARKTABLE = `<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:e="http://ns.adobe.com/exif/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="-1">
   <e:DateTimeOriginal>2021:12:24 18:30:00</e:DateTimeOriginal>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>`;

describe('XMP sidecars', () => {
  it('reads date (wall clock and instant), rating, description and position from attributes and elements', () => {
    const r = parseXmp(LIGHTROOM, 'IMG_1.xmp');
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    assert.equal(r.metadata.takenAt, Date.UTC(2019, 4, 3, 14, 5, 1, 250));
    assert.equal(r.metadata.takenInstant, Date.UTC(2019, 4, 3, 12, 5, 1, 250));
    assert.equal(r.metadata.rating, 4);
    assert.equal(r.metadata.description, 'The Eiffel Tower & friends');
    assert.ok(r.metadata.location && Math.abs(r.metadata.location.latitude - 48.858333) < 1e-5 && Math.abs(r.metadata.location.longitude - 2.29) < 1e-5);
    assert.equal(r.metadata.source, 'xmp');
  });

  it('finds properties by namespace whatever the prefix, and EXIF-style dates as wall clock', () => {
    const r = parseXmp(DARKTABLE, 'IMG_1.CR2.xmp');
    assert.ok(r.kind === 'ok');
    assert.equal(r.metadata.takenAt, Date.UTC(2021, 11, 24, 18, 30));
    assert.equal(r.metadata.takenInstant, null);
    assert.equal(r.metadata.rating, -1);
    assert.equal(r.metadata.description, null);
  });

  it('a file that is not XMP, or broken XML, is reported as invalid', () => {
    assert.equal(parseXmp('<html><body>hello</body></html>', 's').kind, 'invalid');
    assert.equal(parseXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF', 's').kind, 'invalid');
  });

  it('dates: to the day, with zones, and nonsense refused', () => {
    assert.deepEqual(xmpDate('2019-05-03'), { takenAt: Date.UTC(2019, 4, 3), takenInstant: null });
    assert.deepEqual(xmpDate('2019-05-03T10:00Z'), { takenAt: Date.UTC(2019, 4, 3, 10), takenInstant: Date.UTC(2019, 4, 3, 10) });
    assert.deepEqual(xmpDate('2019-05-03T10:00:00-0530'), { takenAt: Date.UTC(2019, 4, 3, 10), takenInstant: Date.UTC(2019, 4, 3, 15, 30) });
    assert.equal(xmpDate('2019-02-31T10:00:00'), undefined);
    assert.equal(xmpDate('0000:00:00 00:00:00'), undefined);
    assert.equal(gpsCoordinate('33,52,10.5S'), -(33 + 52 / 60 + 10.5 / 3600));
  });
});
