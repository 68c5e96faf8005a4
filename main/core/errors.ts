import fs from 'node:fs';

/** Every failure the engine reports to a person has one of these codes. */
export type ShoeboxErrorCode =
  | 'USAGE'
  | 'INVALID_ARGUMENT'
  | 'PATH_NOT_FOUND'
  | 'PATH_UNREADABLE'
  | 'NOT_A_FOLDER'
  | 'DESTINATION_NOT_WRITABLE'
  | 'PATH_INSIDE_LIBRARY'
  | 'LIBRARY_NOT_WRITABLE'
  | 'LIBRARY_TOO_NEW'
  | 'LIBRARY_LOCKED'
  | 'LIBRARY_MOVED'
  | 'LIBRARY_CORRUPT'
  /** A library file's stored bytes are missing or damaged (the catalog itself is sound). */
  | 'BYTES_DAMAGED'
  | 'DISK_FULL'
  /** An offsite copy's remote could not be reached, did not answer, or failed (the local library is fine). */
  | 'REMOTE_UNAVAILABLE'
  | 'IO_ERROR'
  | 'RESOURCE_LIMIT'
  | 'FILE_TOO_LARGE'
  | 'FILE_EMPTY'
  | 'SOURCE_CHANGED'
  | 'SOURCE_UNREADABLE'
  | 'ZIP_INVALID'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'NATIVE_BUILD_MISSING'
  | 'MALFORMED'
  | 'FORBIDDEN'
  | 'TOO_LARGE'
  | 'INTERNAL';

/**
 * An error meant for a person: `userMessage` says what happened to which thing and what to do,
 * in words that fit the window as well as the terminal; `hint` adds what to type on the command
 * line (the CLI prints it, the window never sees it); `cause` keeps the underlying error for the
 * log. Only `{ code, userMessage }` crosses IPC.
 */
export class ShoeboxError extends Error {
  override readonly name = 'ShoeboxError';
  /** A command-line hint (`shoebox watch ls` lists them), printed by the CLI only. */
  readonly hint: string | undefined;
  constructor(
    readonly code: ShoeboxErrorCode,
    readonly userMessage: string,
    options?: { cause?: unknown; hint?: string },
  ) {
    super(userMessage, options);
    this.hint = options?.hint;
  }

  /** The part of the error that may leave the engine. */
  toJSON(): { code: ShoeboxErrorCode; userMessage: string } {
    return { code: this.code, userMessage: this.userMessage };
  }
}

/** The message for people of any error: a ShoeboxError's userMessage, else the error's own message (logs, per-item reports). */
export function errorMessage(err: unknown): string {
  if (err instanceof ShoeboxError) return err.userMessage;
  return err instanceof Error ? err.message : String(err);
}

/** True for a Node system error with the given errno code (ENOENT, ENOSPC, ...). */
export function isErrno(err: unknown, ...codes: string[]): err is NodeJS.ErrnoException {
  return typeof err === 'object' && err !== null && codes.includes((err as NodeJS.ErrnoException).code ?? '');
}

/** True when the error means the disk (or SQLite's file) is full. */
export function isDiskFull(err: unknown): boolean {
  return isErrno(err, 'ENOSPC', 'EDQUOT', 'SQLITE_FULL');
}

/** True for an I/O error from SQLite, plain or extended (SQLITE_IOERR_WRITE, SQLITE_IOERR_SHMSIZE, …). */
function isSqliteIoError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_IOERR');
}

/**
 * True when the file system holding `p` has no room left (under 64 KiB for this user). SQLite
 * reports a full disk met while growing its shared-memory file as an I/O error
 * (SQLITE_IOERR_SHMSIZE): opening a catalog on a full disk fails that way.
 */
function noSpaceLeft(p: string): boolean {
  try {
    const s = fs.statfsSync(p);
    return s.bavail * s.bsize < 64 * 1024;
  } catch {
    return false; // the path is gone or not a file system we can ask: not evidence of a full disk
  }
}

/**
 * Turns a low-level error from writing into the library into a ShoeboxError that names the
 * library and says what to do. Errors that are already ShoeboxErrors pass through.
 */
export function libraryWriteError(err: unknown, libraryDir: string): ShoeboxError {
  if (err instanceof ShoeboxError) return err;
  if (isDiskFull(err) || ((isErrno(err, 'EIO') || isSqliteIoError(err)) && noSpaceLeft(libraryDir))) {
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
        'Check that the folder is writable by you and not on a read-only disk, or choose another library location.' +
        (isErrno(err, 'EROFS') ? ' Shoebox opens a library only where it can write (its catalog keeps a journal): to get photos out of a library on a read-only disk, copy the library folder to a writable disk and open the copy (--library).' : ''),
      { cause: err, hint: '(--library DIR or SHOEBOX_LIBRARY chooses it.)' },
    );
  }
  if (isErrno(err, 'EIO') || isSqliteIoError(err)) {
    return new ShoeboxError(
      'IO_ERROR',
      `The disk holding the library (${libraryDir}) reported an I/O error. Nothing already backed up was changed; check the disk (dmesg, SMART) and run again.`,
      { cause: err },
    );
  }
  if (isErrno(err, 'SQLITE_READONLY', 'SQLITE_CANTOPEN')) {
    return new ShoeboxError(
      'LIBRARY_NOT_WRITABLE',
      `Shoebox cannot write the catalog in ${libraryDir}. Check the folder's permissions or choose another library location.`,
      { cause: err, hint: '(--library DIR or SHOEBOX_LIBRARY chooses it.)' },
    );
  }
  return new ShoeboxError(
    'IO_ERROR',
    `Writing to the library at ${libraryDir} failed: ${(err as Error)?.message ?? String(err)}. Nothing already backed up was changed.`,
    { cause: err },
  );
}

/**
 * Wraps anything thrown into a ShoeboxError. An unknown error becomes INTERNAL with a message
 * that carries no raw exception text (that goes to the log with its stack, through `cause`).
 */
export function toShoeboxError(err: unknown): ShoeboxError {
  if (err instanceof ShoeboxError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) {
    // A query hit a damaged page of the catalog (see [Note: A damaged catalog]).
    return new ShoeboxError(
      'LIBRARY_CORRUPT',
      "The library catalog is damaged (SQLite reports \"database disk image is malformed\"). Your photos' bytes are safe in the library's objects folder; " +
        'recovering restores the catalog from its newest good snapshot and keeps the damaged file.',
      { cause: err, hint: 'Run `shoebox check --recover`.' },
    );
  }
  return new ShoeboxError('INTERNAL', 'Something went wrong inside Shoebox; nothing was changed by the failed step, and the details are in its log.', { cause: err });
}
