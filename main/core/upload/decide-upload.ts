/** What the catalog already holds for a source file named N with hash H going to album A. */
export interface UploadContext {
  /** A live file named N with hash H that is already in A. */
  inTargetAlbum: number | undefined;
  /** A live file named N with hash H in any other album (Uncategorized included). */
  elsewhere: number | undefined;
  /** True when A is Uncategorized itself (a loose file uploaded without an album). */
  targetIsUncategorized?: boolean;
}

/** The outcome of DESIGN §3's three rules. */
export type UploadDecision =
  | { action: 'skip'; fileId: number }
  | { action: 'addMembership'; fileId: number }
  | { action: 'create' };

/**
 * DESIGN §3, exactly: same album + same name + same hash → skip; same name + hash elsewhere →
 * add a membership (no bytes move); otherwise a new library file (the blob store still keeps
 * the bytes once). Same hash under a different name is deliberately a new file.
 */
export function decideUpload(ctx: UploadContext): UploadDecision {
  if (ctx.inTargetAlbum !== undefined) return { action: 'skip', fileId: ctx.inTargetAlbum };
  // Uncategorized holds only files in no other album, so a copy that is in some album is
  // already "in" Uncategorized's sense of backed up: nothing to add.
  if (ctx.elsewhere !== undefined) return ctx.targetIsUncategorized ? { action: 'skip', fileId: ctx.elsewhere } : { action: 'addMembership', fileId: ctx.elsewhere };
  return { action: 'create' };
}
