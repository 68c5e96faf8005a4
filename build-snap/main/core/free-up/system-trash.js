import fs from 'node:fs/promises';
import { isErrno } from '../errors.js';
import { fsPath } from '../media/raw-names.js';
/** True if a regular file (or anything) is at `p`. */
export async function present(p) {
    try {
        await fs.lstat(fsPath(p));
        return true;
    }
    catch (err) {
        if (isErrno(err, 'ENOENT', 'ENOTDIR'))
            return false;
        throw err;
    }
}
/**
 * The Trash of a desktop shell that moves a file in one call and says nothing of where
 * (Electron's `shell.trashItem`, which uses the Finder / the Recycle Bin). Injected by the app,
 * so the engine never imports Electron.
 */
export class ShellTrash {
    trashItem;
    label;
    constructor(trashItem, label = 'the Trash') {
        this.trashItem = trashItem;
        this.label = label;
    }
    refusal() {
        return Promise.resolve(null);
    }
    async moveToTrash(file, hooks) {
        const place = { trashDir: null, name: null };
        hooks.planned(place);
        await hooks.beforeMove();
        await this.trashItem(file);
        return place;
    }
    async settle(file) {
        // The shell's Trash is opaque: a file no longer in place went there (its move was the last step).
        return (await present(file)) ? 'untouched' : 'trashed';
    }
}
//# sourceMappingURL=system-trash.js.map