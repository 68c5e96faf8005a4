import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
/** Where `.ci/setup` (and, failing that, the tests themselves) unpack the photo packages. */
export const PHOTO_CACHE = path.join(os.tmpdir(), 'shoebox-real-photos');
/**
 * The root a Debian package's files are under: `/` where it is installed, else the cache it was
 * unpacked into (`apt-get download` + `dpkg -x`, nothing installed, nothing committed — as
 * `.ci/setup test` does; done here too when missing). `probe` is a path the package contains,
 * relative to the root. Returns the root, or why it can't be had here.
 */
export function debianPackageRoot(pkg, probe) {
    if (fs.existsSync(path.join('/', probe)))
        return { root: '/' };
    if (fs.existsSync(path.join(PHOTO_CACHE, probe)))
        return { root: PHOTO_CACHE };
    try {
        fs.mkdirSync(PHOTO_CACHE, { recursive: true });
        execFileSync('sh', ['-c', 'cd "$1" && apt-get download -q "$2" >/dev/null 2>&1 && dpkg -x "$2"_*.deb . && rm -f "$2"_*.deb && touch ".fetched-$2"', 'sh', PHOTO_CACHE, pkg], { stdio: 'ignore', timeout: 300_000 });
    }
    catch (err) {
        return { missing: `could not fetch Debian's ${pkg} (sample photos; \`.ci/setup test\` fetches them): ${err.message.split('\n')[0]}` };
    }
    return fs.existsSync(path.join(PHOTO_CACHE, probe)) ? { root: PHOTO_CACHE } : { missing: `Debian's ${pkg} did not contain ${probe}` };
}
const SKIMAGE_DATA = 'usr/lib/python3/dist-packages/skimage/data';
/**
 * Real photographs for tests: scikit-image's sample images (astronaut, cat, coffee, rocket, a
 * stereo pair of a motorcycle, textures…), from Debian's python3-skimage.
 * Returns the folder, or undefined (with the reason) when they can't be had here.
 */
export function realPhotosDir() {
    const r = debianPackageRoot('python3-skimage', path.join(SKIMAGE_DATA, 'chelsea.png'));
    return 'root' in r ? { dir: path.join(r.root, SKIMAGE_DATA) } : r;
}
/** The distinct photos used for similarity fixtures (colour and grey; the textures are hard negatives). */
export const PHOTOS = ['astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg', 'motorcycle_left.png', 'hubble_deep_field.jpg', 'retina.jpg', 'ihc.png', 'camera.png', 'coins.png', 'moon.png', 'grass.png', 'gravel.png', 'brick.png'];
//# sourceMappingURL=real-photos.js.map