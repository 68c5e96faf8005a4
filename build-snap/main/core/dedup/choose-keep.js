/**
 * The copy kept by default (DESIGN §4, issue #5): the one in the most albums; then the oldest
 * (earliest source modification time, else earliest added to the library); then the shortest
 * source path (a copy at `Photos/x.jpg` over `Photos/Backup/old/x.jpg`; the name when no path
 * is known); then the lowest id, so the choice is stable.
 */
export function chooseKeep(copies) {
    const age = (c) => c.modifiedAt ?? c.createdAt;
    const pathLen = (c) => (c.sourcePath ?? c.name).length;
    return [...copies].sort((a, b) => b.albums.length - a.albums.length || age(a) - age(b) || pathLen(a) - pathLen(b) || a.fileId - b.fileId)[0];
}
//# sourceMappingURL=choose-keep.js.map