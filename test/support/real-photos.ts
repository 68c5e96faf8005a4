import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SYSTEM = '/usr/lib/python3/dist-packages/skimage/data';
const CACHE = path.join(os.tmpdir(), 'shoebox-real-photos');

/**
 * Real photographs for tests: scikit-image's sample images (astronaut, cat, coffee, rocket, a
 * stereo pair of a motorcycle, textures…), taken from Debian's python3-skimage package (fetched
 * with `apt-get download` and unpacked — nothing is installed, nothing is committed).
 * Returns the folder, or undefined (with the reason) when they can't be had here.
 */
export function realPhotosDir(): { dir: string } | { missing: string } {
  if (fs.existsSync(path.join(SYSTEM, 'chelsea.png'))) return { dir: SYSTEM };
  const cached = path.join(CACHE, 'usr/lib/python3/dist-packages/skimage/data');
  if (fs.existsSync(path.join(cached, 'chelsea.png'))) return { dir: cached };
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    execFileSync('sh', ['-c', 'cd "$1" && apt-get download -q python3-skimage >/dev/null 2>&1 && dpkg -x python3-skimage_*.deb . && rm -f python3-skimage_*.deb', 'sh', CACHE], { stdio: 'ignore', timeout: 120_000 });
  } catch (err) {
    return { missing: `could not fetch Debian's python3-skimage sample photos (${(err as Error).message.split('\n')[0]})` };
  }
  return fs.existsSync(path.join(cached, 'chelsea.png')) ? { dir: cached } : { missing: 'python3-skimage did not contain the sample photos' };
}

/** The distinct photos used for similarity fixtures (colour and grey; the textures are hard negatives). */
export const PHOTOS = ['astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg', 'motorcycle_left.png', 'hubble_deep_field.jpg', 'retina.jpg', 'ihc.png', 'camera.png', 'coins.png', 'moon.png', 'grass.png', 'gravel.png', 'brick.png'];
