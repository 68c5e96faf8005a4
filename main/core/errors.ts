/** Every failure the engine reports to a person has one of these codes. */
export type ShoeboxErrorCode =
  | 'USAGE'
  | 'INVALID_ARGUMENT'
  | 'PATH_NOT_FOUND'
  | 'PATH_UNREADABLE'
  | 'NOT_A_FOLDER'
  | 'PATH_INSIDE_LIBRARY'
  | 'LIBRARY_NOT_WRITABLE'
  | 'LIBRARY_TOO_NEW'
  | 'LIBRARY_LOCKED'
  | 'LIBRARY_MOVED'
  | 'LIBRARY_CORRUPT'
  | 'DISK_FULL'
  | 'IO_ERROR'
  | 'RESOURCE_LIMIT'
  | 'FILE_TOO_LARGE'
  | 'FILE_EMPTY'
  | 'SOURCE_CHANGED'
  | 'SOURCE_UNREADABLE'
  | 'ZIP_INVALID'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL';

/**
 * An error meant for a person: `userMessage` says what happened to which thing and what to do;
 * `cause` keeps the underlying error for the log. Only `{ code, userMessage }` crosses IPC.
 */
export class ShoeboxError extends Error {
  override readonly name = 'ShoeboxError';
  constructor(
    readonly code: ShoeboxErrorCode,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }

  /** The part of the error that may leave the engine. */
  toJSON(): { code: ShoeboxErrorCode; userMessage: string } {
    return { code: this.code, userMessage: this.userMessage };
  }
}

/** True for a Node system error with the given errno code (ENOENT, ENOSPC, ...). */
export function isErrno(err: unknown, ...codes: string[]): err is NodeJS.ErrnoException {
  return typeof err === 'object' && err !== null && codes.includes((err as NodeJS.ErrnoException).code ?? '');
}

/** True when the error means the disk (or SQLite's file) is full. */
export function isDiskFull(err: unknown): boolean {
  return isErrno(err, 'ENOSPC', 'EDQUOT', 'SQLITE_FULL');
}

/**
 * Turns a low-level error from writing into the library into a ShoeboxError that names the
 * library and says what to do. Errors that are already ShoeboxErrors pass through.
 */
export function libraryWriteError(err: unknown, libraryDir: string): ShoeboxError {
  if (err instanceof ShoeboxError) return err;
  if (isDiskFull(err)) {
    return new ShoeboxError(
      'DISK_FULL',
      `The disk holding the library (${libraryDir}) is full. Free some space and run again; ` +
        'everything already backed up is intact and finished files will not be copied again.',
      { cause: err },
    );
  }
  if (isErrno(err, 'EACCES', 'EPERM', 'EROFS')) {
    return new ShoeboxError(
      'LIBRARY_NOT_WRITABLE',
      `Shoebox cannot write to the library at ${libraryDir} (${(err).code}). ` +
        'Check that the folder is writable by you and not on a read-only disk, or choose another library with --library.',
      { cause: err },
    );
  }
  if (isErrno(err, 'EIO', 'SQLITE_IOERR')) {
    return new ShoeboxError(
      'IO_ERROR',
      `The disk holding the library (${libraryDir}) reported an I/O error. Nothing already backed up was changed; check the disk (dmesg, SMART) and run again.`,
      { cause: err },
    );
  }
  if (isErrno(err, 'SQLITE_READONLY', 'SQLITE_CANTOPEN')) {
    return new ShoeboxError(
      'LIBRARY_NOT_WRITABLE',
      `Shoebox cannot write the catalog in ${libraryDir}. Check the folder's permissions or choose another library with --library.`,
      { cause: err },
    );
  }
  return new ShoeboxError(
    'IO_ERROR',
    `Writing to the library at ${libraryDir} failed: ${(err as Error)?.message ?? String(err)}. Nothing already backed up was changed.`,
    { cause: err },
  );
}

/** Wraps anything thrown into a ShoeboxError (unknown errors become INTERNAL). */
export function toShoeboxError(err: unknown): ShoeboxError {
  if (err instanceof ShoeboxError) return err;
  return new ShoeboxError('INTERNAL', `Unexpected error: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
