import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchTakeoutSidecars, type MatchRule, type SidecarCandidate } from './takeout-match.js';

const D = 'Google Photos/Photos from 2021';

/**
 * Real-world name cases, each a folder's media and sidecars and what must match. Names are the
 * forms Google Takeout writes (the clipped ones counted: Google clips the sidecar's name before
 * `(n).json` to 46 characters, sometimes 47).
 */
const cases: Array<{ rule: string; media: string[]; sidecars: Array<string | SidecarCandidate>; expect: Record<string, [string, MatchRule] | null> }> = [
  {
    rule: 'the newer full form: NAME.supplemental-metadata.json',
    media: ['IMG_20200920_131207.jpg', 'VID_20200930_155021.mp4'],
    sidecars: ['IMG_20200920_131207.jpg.supplemental-metadata.json', 'VID_20200930_155021.mp4.supplemental-metadata.json'],
    expect: { 'IMG_20200920_131207.jpg': ['IMG_20200920_131207.jpg.supplemental-metadata.json', 'name'], 'VID_20200930_155021.mp4': ['VID_20200930_155021.mp4.supplemental-metadata.json', 'name'] },
  },
  {
    rule: 'the older form: NAME.json',
    media: ['IMG_1234.JPG'],
    sidecars: ['IMG_1234.JPG.json'],
    expect: { 'IMG_1234.JPG': ['IMG_1234.JPG.json', 'name'] },
  },
  {
    rule: '.supplemental-metadata clipped to 46 characters (.supplemental-, .suppleme, .supplemental-metada)',
    media: ['PXL_20230615_184512345.NIGHT.jpg', 'Screenshot_20220101-120000_Chrome.jpg', 'IMG_20210704_203512_MP.jpg'],
    sidecars: ['PXL_20230615_184512345.NIGHT.jpg.supplemental-.json', 'Screenshot_20220101-120000_Chrome.jpg.suppleme.json', 'IMG_20210704_203512_MP.jpg.supplemental-metada.json'],
    expect: {
      'PXL_20230615_184512345.NIGHT.jpg': ['PXL_20230615_184512345.NIGHT.jpg.supplemental-.json', 'name-clipped'],
      'Screenshot_20220101-120000_Chrome.jpg': ['Screenshot_20220101-120000_Chrome.jpg.suppleme.json', 'name-clipped'],
      'IMG_20210704_203512_MP.jpg': ['IMG_20210704_203512_MP.jpg.supplemental-metada.json', 'name-clipped'],
    },
  },
  {
    rule: 'clipped to 47 characters: the common .supplemental-metadat.json',
    media: ['IMG_20210704_203512_MP.jpg'],
    sidecars: ['IMG_20210704_203512_MP.jpg.supplemental-metadat.json'],
    expect: { 'IMG_20210704_203512_MP.jpg': ['IMG_20210704_203512_MP.jpg.supplemental-metadat.json', 'name-clipped'] },
  },
  {
    rule: 'a 45-character name keeps only the dot: NAME..json',
    media: ['Screenshot_20220315-093045_Samsung_Intern.jpg'],
    sidecars: ['Screenshot_20220315-093045_Samsung_Intern.jpg..json'],
    expect: { 'Screenshot_20220315-093045_Samsung_Intern.jpg': ['Screenshot_20220315-093045_Samsung_Intern.jpg..json', 'name-clipped'] },
  },
  {
    rule: 'a long name is clipped itself, extension and all',
    media: ['Screenshot_2024-01-14-14-13-33-16_948cd9899890cbd5c2798760b2b95377.jpg', 'Фотография с дня рождения бабушки в деревне 2019.jpg'],
    sidecars: ['Screenshot_2024-01-14-14-13-33-16_948cd9899890.json', 'Фотография с дня рождения бабушки в деревне 20.json'],
    expect: {
      'Screenshot_2024-01-14-14-13-33-16_948cd9899890cbd5c2798760b2b95377.jpg': ['Screenshot_2024-01-14-14-13-33-16_948cd9899890.json', 'name-clipped'],
      'Фотография с дня рождения бабушки в деревне 2019.jpg': ['Фотография с дня рождения бабушки в деревне 20.json', 'name-clipped'],
    },
  },
  {
    rule: '(n) moves from the name to before .json, after the (clipped) suffix',
    media: ['image.png', 'image(1).png', 'image(2).png', 'IMG_1234(1).JPG', 'MVIMG_20190615_101530(1).jpg', 'IMG_20191224_183012_Bokeh(1).jpg'],
    sidecars: ['image.png.supplemental-metadata.json', 'image.png.supplemental-metadata(1).json', 'image.png.supplemental-metadata(2).json', 'IMG_1234.JPG(1).json', 'MVIMG_20190615_101530.jpg.supplemental-metadat(1).json', 'IMG_20191224_183012_Bokeh.jpg.supplemental-met(1).json'],
    expect: {
      'image.png': ['image.png.supplemental-metadata.json', 'name'],
      'image(1).png': ['image.png.supplemental-metadata(1).json', 'name'],
      'image(2).png': ['image.png.supplemental-metadata(2).json', 'name'],
      'IMG_1234(1).JPG': ['IMG_1234.JPG(1).json', 'name'],
      'MVIMG_20190615_101530(1).jpg': ['MVIMG_20190615_101530.jpg.supplemental-metadat(1).json', 'name-clipped'],
      'IMG_20191224_183012_Bokeh(1).jpg': ['IMG_20191224_183012_Bokeh.jpg.supplemental-met(1).json', 'name-clipped'],
    },
  },
  {
    rule: '(n) kept in the name by some exports',
    media: ['IMG_5555(1).jpg'],
    sidecars: ['IMG_5555(1).jpg.supplemental-metadata.json'],
    expect: { 'IMG_5555(1).jpg': ['IMG_5555(1).jpg.supplemental-metadata.json', 'numbered'] },
  },
  {
    rule: 'a number never takes another number\'s sidecar',
    media: ['IMG_7(2).jpg'],
    sidecars: ['IMG_7.jpg.supplemental-metadata(1).json', 'IMG_7.jpg.supplemental-metadata.json'],
    expect: { 'IMG_7(2).jpg': null },
  },
  {
    rule: 'edited copies share their original\'s sidecar, in several languages',
    media: ['IMG_20200920_131207.jpg', 'IMG_20200920_131207-edited.jpg', 'DSC_0042-bearbeitet.JPG', 'IMG_9(1)-edited.jpg', 'IMG_9-edited(1).jpg', 'IMG_9(1).jpg'],
    sidecars: ['IMG_20200920_131207.jpg.supplemental-metadata.json', 'DSC_0042.JPG.json', 'IMG_9.jpg.supplemental-metadata(1).json'],
    expect: {
      'IMG_20200920_131207.jpg': ['IMG_20200920_131207.jpg.supplemental-metadata.json', 'name'],
      'IMG_20200920_131207-edited.jpg': ['IMG_20200920_131207.jpg.supplemental-metadata.json', 'edited'],
      'DSC_0042-bearbeitet.JPG': ['DSC_0042.JPG.json', 'edited'],
      'IMG_9(1).jpg': ['IMG_9.jpg.supplemental-metadata(1).json', 'name'],
      'IMG_9(1)-edited.jpg': ['IMG_9.jpg.supplemental-metadata(1).json', 'edited'],
      'IMG_9-edited(1).jpg': ['IMG_9.jpg.supplemental-metadata(1).json', 'edited'],
    },
  },
  {
    rule: 'the oldest form without the photo\'s extension, unless two files could claim it',
    media: ['DSC01234.JPG', 'MOV_0007.jpg', 'MOV_0007.mp4'],
    sidecars: ['DSC01234.json', 'MOV_0007.json'],
    expect: { 'DSC01234.JPG': ['DSC01234.json', 'no-extension'], 'MOV_0007.jpg': null, 'MOV_0007.mp4': null },
  },
  {
    rule: 'a stronger rule wins over the extension-less form',
    media: ['IMG_3.HEIC', 'IMG_3.MOV'],
    sidecars: ['IMG_3.HEIC.json', 'IMG_3.json'],
    expect: { 'IMG_3.HEIC': ['IMG_3.HEIC.json', 'name'], 'IMG_3.MOV': ['IMG_3.json', 'no-extension'] },
  },
  {
    rule: 'tilde duplicates have sidecars of their own; a missing one is not borrowed from the first',
    media: ['IMG20240221145914.jpg', 'IMG20240221145914~2.jpg', 'IMG20240221145914~3.jpg'],
    sidecars: ['IMG20240221145914.jpg.supplemental-metadata.json', 'IMG20240221145914~2.jpg.supplemental-metadata.json'],
    expect: { 'IMG20240221145914.jpg': ['IMG20240221145914.jpg.supplemental-metadata.json', 'name'], 'IMG20240221145914~2.jpg': ['IMG20240221145914~2.jpg.supplemental-metadata.json', 'name'], 'IMG20240221145914~3.jpg': null },
  },
  {
    rule: 'a clipped file name finds the sidecar whose title says it is the same file',
    media: ['Screenshot_2022-04-21_abb9c8060a0a1(1).jpg'],
    sidecars: [{ path: 'Screenshot_2022-04-21_abb9c8060a0a(1).json', title: 'Screenshot_2022-04-21_abb9c8060a0a12c5ac89e934e52a2f4f.jpg' }],
    expect: { 'Screenshot_2022-04-21_abb9c8060a0a1(1).jpg': ['Screenshot_2022-04-21_abb9c8060a0a(1).json', 'title'] },
  },
  {
    rule: 'a file name clipped to 47 characters finds its 46-character sidecar',
    media: ['20230101_000000_a_long_description_of_the_p.jpg'],
    sidecars: ['20230101_000000_a_long_description_of_the_photo.json'],
    expect: { '20230101_000000_a_long_description_of_the_p.jpg': ['20230101_000000_a_long_description_of_the_photo.json', 'title'] },
  },
  {
    rule: 'a sidecar renamed beyond the rules is found only by its title',
    media: ['holiday.jpg', 'holiday(1).jpg'],
    sidecars: [{ path: 'something else.json', title: 'holiday.jpg' }],
    expect: { 'holiday.jpg': ['something else.json', 'title'], 'holiday(1).jpg': null },
  },
  {
    rule: 'two long names clipped to the same sidecar name: the titles tell the sidecars apart (Google numbers the second)',
    media: ['Screenshot_2024-01-14-14-13-33-16_948cd9899890cbd5c2798760b2b95377.jpg', 'Screenshot_2024-01-14-14-13-33-16_948cd9899890ffff0000ffff0000ffff.jpg'],
    sidecars: [
      { path: 'Screenshot_2024-01-14-14-13-33-16_948cd9899890(1).json', title: 'Screenshot_2024-01-14-14-13-33-16_948cd9899890ffff0000ffff0000ffff.jpg' },
      { path: 'Screenshot_2024-01-14-14-13-33-16_948cd9899890.json', title: 'Screenshot_2024-01-14-14-13-33-16_948cd9899890cbd5c2798760b2b95377.jpg' },
    ],
    expect: {
      'Screenshot_2024-01-14-14-13-33-16_948cd9899890cbd5c2798760b2b95377.jpg': ['Screenshot_2024-01-14-14-13-33-16_948cd9899890.json', 'title'],
      'Screenshot_2024-01-14-14-13-33-16_948cd9899890ffff0000ffff0000ffff.jpg': ['Screenshot_2024-01-14-14-13-33-16_948cd9899890(1).json', 'title'],
    },
  },
  {
    rule: 'a numbered sidecar is not taken by the unnumbered file of its title when the name was not clipped',
    media: ['IMG_7.jpg'],
    sidecars: [{ path: 'IMG_7.jpg(1).json', title: 'IMG_7.jpg' }],
    expect: { 'IMG_7.jpg': null },
  },
  {
    rule: 'a short name with an unclaimed sidecar of a similar name is not guessed',
    media: ['IMG_12.jpg'],
    sidecars: ['IMG_1.jpg.json'],
    expect: { 'IMG_12.jpg': null },
  },
];

describe('Takeout sidecar matching (real-world names)', () => {
  for (const c of cases) {
    it(c.rule, () => {
      const media = c.media.map((m) => `${D}/${m}`);
      const sidecars = c.sidecars.map((s) => (typeof s === 'string' ? { path: `${D}/${s}` } : { ...s, path: `${D}/${s.path}` }));
      const r = matchTakeoutSidecars(media, sidecars);
      for (const [m, want] of Object.entries(c.expect)) {
        const got = r.matched.get(`${D}/${m}`);
        assert.deepEqual(got ? [got.sidecar.slice(D.length + 1), got.rule] : null, want, m);
      }
      const claimed = new Set([...r.matched.values()].map((v) => v.sidecar));
      assert.deepEqual(r.unmatchedSidecars, sidecars.map((s) => s.path).filter((p) => !claimed.has(p)));
      assert.deepEqual(r.unmatchedMedia, media.filter((m) => !r.matched.has(m)));
    });
  }

  it('matches within a folder: the same name in two albums takes each album\'s sidecar', () => {
    const r = matchTakeoutSidecars(['Google Photos/A/x.jpg', 'Google Photos/B/x.jpg'], [{ path: 'Google Photos/B/x.jpg.json' }, { path: 'Google Photos/A/x.jpg.json' }]);
    assert.equal(r.matched.get('Google Photos/A/x.jpg')?.sidecar, 'Google Photos/A/x.jpg.json');
    assert.equal(r.matched.get('Google Photos/B/x.jpg')?.sidecar, 'Google Photos/B/x.jpg.json');
  });

  it('reports a sidecar two files claim as ambiguous and gives it to neither', () => {
    const r = matchTakeoutSidecars([`${D}/MOV_0007.jpg`, `${D}/MOV_0007.mp4`], [{ path: `${D}/MOV_0007.json` }]);
    assert.deepEqual(r.ambiguous, [{ sidecar: `${D}/MOV_0007.json`, media: [`${D}/MOV_0007.jpg`, `${D}/MOV_0007.mp4`] }]);
    assert.deepEqual(r.unmatchedSidecars, [`${D}/MOV_0007.json`]);
  });

  it('a sidecar without its photo (in a ZIP not given) is reported, and so is a photo without one', () => {
    const r = matchTakeoutSidecars([`${D}/a.jpg`], [{ path: `${D}/b.jpg.supplemental-metadata.json` }]);
    assert.deepEqual(r.unmatchedMedia, [`${D}/a.jpg`]);
    assert.deepEqual(r.unmatchedSidecars, [`${D}/b.jpg.supplemental-metadata.json`]);
  });
});

describe('Takeout sidecar matching (generated names)', () => {
  it('every file finds the sidecar Google writes for it, whatever its length, language or number', async () => {
    const fc = (await import('fast-check')).default;
    const word = fc.string({ unit: fc.constantFrom(...'abcXYZ_-019 éжß'.split('')), minLength: 0, maxLength: 70 });
    const file = fc.record({ tail: word, ext: fc.constantFrom('.jpg', '.JPG', '.heic', '.mp4', '.png'), number: fc.integer({ min: 0, max: 3 }), modern: fc.boolean(), clip: fc.constantFrom(46, 47) });
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 8 }), (files) => {
        // Distinct titles (a unique prefix each), each written by Google's rule for sidecar names.
        const media: string[] = [];
        const sidecars: SidecarCandidate[] = [];
        const want = new Map<string, string>();
        files.forEach((f, i) => {
          const title = `P${i}x${f.tail}${f.ext}`;
          const n = f.number === 0 ? '' : `(${f.number})`;
          const m = `${D}/${title.slice(0, title.length - f.ext.length)}${n}${f.ext}`;
          const s = `${D}/${`${title}${f.modern ? '.supplemental-metadata' : ''}`.slice(0, f.clip)}${n}.json`;
          media.push(m);
          sidecars.push({ path: s, title });
          want.set(m, s);
        });
        const r = matchTakeoutSidecars(media, sidecars);
        for (const [m, s] of want) assert.equal(r.matched.get(m)?.sidecar, s, m);
        assert.deepEqual(r.unmatchedSidecars, []);
      }),
      { numRuns: 500, seed: 21 },
    );
  });
});
