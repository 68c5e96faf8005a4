/**
 * DESIGN §3, exactly: same album + same name + same hash → skip; same name + hash elsewhere →
 * add a membership (no bytes move); otherwise a new library file (the blob store still keeps
 * the bytes once). Same hash under a different name is deliberately a new file.
 */
export function decideUpload(ctx) {
    if (ctx.inTargetAlbum !== undefined)
        return { action: 'skip', fileId: ctx.inTargetAlbum };
    // Uncategorized holds only files in no other album, so a copy that is in some album is
    // already "in" Uncategorized's sense of backed up: nothing to add.
    if (ctx.elsewhere !== undefined)
        return ctx.targetIsUncategorized ? { action: 'skip', fileId: ctx.elsewhere } : { action: 'addMembership', fileId: ctx.elsewhere };
    return { action: 'create' };
}
//# sourceMappingURL=decide-upload.js.map