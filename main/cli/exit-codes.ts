import type { ShoeboxErrorCode } from '../core/errors.js';

/**
 * Exit codes of the `shoebox` command (documented in the README). Scripts can tell a partial
 * backup (3) from a library problem (5), a full disk (6) or an unreachable remote (9).
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  partial: 3,
  locked: 4,
  library: 5,
  diskFull: 6,
  input: 7,
  resources: 8,
  remote: 9,
  interrupted: 130,
} as const;

/** The exit code for an error code. */
export function exitCodeFor(code: ShoeboxErrorCode): number {
  switch (code) {
    case 'USAGE':
    case 'INVALID_ARGUMENT':
      return ExitCode.usage;
    case 'LIBRARY_LOCKED':
      return ExitCode.locked;
    case 'LIBRARY_NOT_WRITABLE':
    case 'LIBRARY_TOO_NEW':
    case 'LIBRARY_MOVED':
    case 'LIBRARY_CORRUPT':
    case 'BYTES_DAMAGED':
    case 'IO_ERROR':
      return ExitCode.library;
    case 'DISK_FULL':
      return ExitCode.diskFull;
    case 'RESOURCE_LIMIT':
      return ExitCode.resources;
    case 'REMOTE_UNAVAILABLE':
      return ExitCode.remote;
    case 'PATH_NOT_FOUND':
    case 'PATH_UNREADABLE':
    case 'NOT_A_FOLDER':
    case 'DESTINATION_NOT_WRITABLE':
    case 'PATH_INSIDE_LIBRARY':
    case 'NOT_FOUND':
    case 'ZIP_INVALID':
    case 'CONFLICT':
      return ExitCode.input;
    default:
      return ExitCode.internal;
  }
}
