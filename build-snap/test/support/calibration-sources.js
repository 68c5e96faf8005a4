import fs from 'node:fs';
import path from 'node:path';
import { debianPackageRoot, PHOTOS, realPhotosDir } from './real-photos.js';
import { readRcc } from './qt-rcc.js';
/** The packages the set draws on (the `.debs` `.ci/setup test` fetches), with licences. */
export const CALIBRATION_PACKAGES = {
    'python3-skimage': 'BSD-3-Clause (scikit-image); sample photos public domain, CC0 or CC-BY as listed in skimage/data/README',
    'gcompris-qt-data': 'GPL-3+ (debian/copyright, Files: *)',
    'lomiri-wallpapers-16.04': 'CC-BY-4.0 or CC-BY-SA-4.0 per photo (debian/copyright)',
    'mate-backgrounds': 'GPL-2+ (debian/copyright)',
};
/**
 * GCompris activities whose pictures are photographs, each a subject of like scenes: windmills,
 * solar panels and dams (renewable), monuments (two activities), fish, household tools,
 * animals, musicians, planets.
 */
const GCOMPRIS = [
    { rcc: 'categorization', under: 'categorization/resource/images/', subject: (p) => p.split('/').at(-2), skip: /\/(alphabets|numbers)\// },
    { rcc: 'erase', under: 'erase/resource/', subject: () => 'animals-erase' },
    { rcc: 'explore_farm_animals', under: 'explore_farm_animals/resource/animals/', subject: () => 'farm-animals' },
    { rcc: 'explore_world_animals', under: 'explore_world_animals/resource/animals/', subject: () => 'world-animals' },
    { rcc: 'explore_monuments', under: 'explore_monuments/resource/', subject: () => 'monuments' },
    { rcc: 'explore_world_music', under: 'explore_world_music/resource/', subject: () => 'music' },
    { rcc: 'solar_system', under: 'solar_system/resource/', subject: () => 'planets' },
];
const GCOMPRIS_RCC = 'usr/share/gcompris-qt/rcc';
const LOMIRI = 'usr/share/backgrounds';
const MATE = 'usr/share/backgrounds/mate';
/**
 * The same photograph shipped twice (found by looking at every original pair the model scores
 * above 0.85 and judging it by eye): the later id joins the earlier one's scene.
 */
export const SAME_PHOTO = [
    ['gcompris-qt-data:categorization/resource/images/monuments/brandenburgGate.webp', 'gcompris-qt-data:explore_monuments/resource/germany/brandenburgGate.webp'],
    ['gcompris-qt-data:categorization/resource/images/monuments/colosseum.webp', 'gcompris-qt-data:explore_monuments/resource/wonders/colosseum.webp'],
    ['gcompris-qt-data:categorization/resource/images/monuments/greatPyramid.webp', 'gcompris-qt-data:explore_monuments/resource/egypt/greatPyramidOfGiza.webp'],
];
/**
 * Every source photo, in a stable order, with its package and licence. `extractDir` receives
 * the photos unpacked from GCompris's resource bundles. Throws with the reason when a package
 * can't be had (callers skip with it).
 */
export function calibrationSources(extractDir) {
    const out = [];
    const need = (pkg, probe) => {
        const r = debianPackageRoot(pkg, probe);
        if ('missing' in r)
            throw new Error(r.missing);
        return r.root;
    };
    const add = (pkg, rel, file, subject, relation = 'original', scene) => {
        const id = `${pkg}:${rel}`;
        out.push({ id, file, package: pkg, licence: CALIBRATION_PACKAGES[pkg], subject, scene: scene ?? id, relation });
    };
    const sk = realPhotosDir();
    if ('missing' in sk)
        throw new Error(sk.missing);
    const textures = new Set(['grass.png', 'gravel.png', 'brick.png']);
    for (const p of PHOTOS)
        add('python3-skimage', p, path.join(sk.dir, p), textures.has(p) ? 'textures' : 'skimage');
    add('python3-skimage', 'motorcycle_right.png', path.join(sk.dir, 'motorcycle_right.png'), 'skimage', 'burst', 'python3-skimage:motorcycle_left.png');
    const gRoot = need('gcompris-qt-data', path.join(GCOMPRIS_RCC, 'categorization.rcc'));
    for (const g of GCOMPRIS) {
        for (const f of readRcc(path.join(gRoot, GCOMPRIS_RCC, `${g.rcc}.rcc`)).sort((a, b) => (a.path < b.path ? -1 : 1))) {
            const at = f.path.indexOf(g.under);
            // the photos are WebP/JPEG; the PNGs there are drawings and icons
            if (at < 0 || !/\.(webp|jpe?g)$/i.test(f.path) || g.skip?.test(f.path))
                continue;
            const rel = f.path.slice(at);
            const file = path.join(extractDir, 'gcompris', rel.replaceAll('/', '__'));
            if (!fs.existsSync(file)) {
                fs.mkdirSync(path.dirname(file), { recursive: true });
                fs.writeFileSync(file, f.bytes);
            }
            add('gcompris-qt-data', rel, file, g.subject(rel));
        }
    }
    const lRoot = need('lomiri-wallpapers-16.04', path.join(LOMIRI, 'Bridge_by_Sander_Klootwijk.jpg'));
    for (const f of fs.readdirSync(path.join(lRoot, LOMIRI)).filter((n) => /_by_.*\.jpg$/.test(n)).sort())
        add('lomiri-wallpapers-16.04', f, path.join(lRoot, LOMIRI, f), 'wallpapers');
    const mRoot = need('mate-backgrounds', path.join(MATE, 'nature/Garden.jpg'));
    for (const f of fs.readdirSync(path.join(mRoot, MATE, 'nature')).filter((n) => n.endsWith('.jpg')).sort())
        add('mate-backgrounds', `nature/${f}`, path.join(mRoot, MATE, 'nature', f), 'flowers-and-nature');
    add('mate-backgrounds', 'abstract/Elephants.jpg', path.join(mRoot, MATE, 'abstract/Elephants.jpg'), 'paintings');
    for (const big of ['Elephants_3840x2160.jpg', 'Elephants_5640x3172.jpg'])
        add('mate-backgrounds', `abstract/${big}`, path.join(mRoot, MATE, 'abstract', big), 'paintings', 'real-resize', 'mate-backgrounds:abstract/Elephants.jpg');
    const scene = new Map(SAME_PHOTO.map(([a, b]) => [b, a]));
    return out.map((s) => (scene.has(s.id) ? { ...s, scene: scene.get(s.id), relation: 'same-photo' } : s));
}
//# sourceMappingURL=calibration-sources.js.map