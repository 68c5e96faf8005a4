import path from 'node:path';
import { showRawBytes } from '../format.js';
/**
 * The album a file goes to. `relDir` is the file's folder relative to the root ('' for files
 * directly in the root). Single: the root's name. Separate: the file's leaf folder name (only
 * the leaf: `2024/Summer` and `Backup/Summer` share "Summer"); files in the root go to the
 * root's album. Folders without files make no album because no file maps to them.
 */
export function albumNameFor(rootName, relDir, mode) {
    // Album names are for people: a folder name that is not valid UTF-8 shows its bytes as \xNN.
    if (mode === 'single' || relDir === '' || relDir === '.')
        return showRawBytes(rootName);
    return showRawBytes(path.basename(relDir));
}
//# sourceMappingURL=album-mapping.js.map