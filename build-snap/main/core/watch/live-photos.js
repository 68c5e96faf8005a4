import path from 'node:path';
import { mediaTypeFromName } from '../media/media-type.js';
/** How far apart an image and its video may have been written to count as one live photo. */
export const LIVE_PHOTO_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Pairs live photos (DESIGN §2): an image and a video with the same stem (case-insensitive)
 * in the same folder, written within a day of each other, e.g. IMG_0001.HEIC + IMG_0001.MOV.
 * Returns video path → image path. A stem with several images or several videos is ambiguous
 * and left unpaired.
 */
export function pairLivePhotos(files) {
    const groups = new Map();
    for (const f of files) {
        const type = mediaTypeFromName(f.path);
        if (!type)
            continue;
        const key = path.join(path.dirname(f.path), path.basename(f.path, path.extname(f.path)).toLowerCase());
        const g = groups.get(key) ?? { images: [], videos: [] };
        (type.startsWith('video/') ? g.videos : g.images).push(f);
        groups.set(key, g);
    }
    const pairs = new Map();
    for (const { images, videos } of groups.values()) {
        if (images.length !== 1 || videos.length !== 1)
            continue;
        const [image, video] = [images[0], videos[0]];
        if (Math.abs(image.mtimeMs - video.mtimeMs) <= LIVE_PHOTO_WINDOW_MS)
            pairs.set(video.path, image.path);
    }
    return pairs;
}
//# sourceMappingURL=live-photos.js.map