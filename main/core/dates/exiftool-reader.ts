import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { ExifDateTime as ExifDateTimeType, ExifTool, Tags } from 'exiftool-vendored';
import { cameraName, type MediaFacts } from './image-facts.js';
import { wallClockOf } from './file-name-date.js';

/**
 * Reads capture dates of what sharp can't (HEIC, RAW, QuickTime/MP4 videos and live photos) with
 * ExifTool, through exiftool-vendored: one long-lived `exiftool -stay_open` process, started on
 * first use and ended by `close()` or after a minute idle. Never throws for a bad file: a file
 * ExifTool can't read has no facts. See [Note: Two metadata readers].
 */
export class ExifToolReader {
  private readonly tool = new SharedExifTool({ maxProcs: 1, maxTasksPerProcess: 5000, taskTimeoutMillis: 30_000 });

  /** The facts ExifTool finds in a file (nothing for an unreadable one). */
  async read(file: string, isVideo: boolean): Promise<MediaFacts> {
    let tags: Tags;
    try {
      tags = await (await this.tool.get()).read(file);
    } catch {
      return { takenAt: null, source: null, camera: null, width: null, height: null };
    }
    return factsFromTags(tags, isVideo, (await exiftoolModule()).ExifDateTime);
  }

  /** Ends the ExifTool process. */
  close(): Promise<void> {
    return this.tool.end();
  }
}

/**
 * One ExifTool, made on first use (newExifTool) and shared by every call, those that start
 * together included: it is kept as a promise (awaiting it before assigning made one ExifTool,
 * and one process, per call started before the first was ready: 11 when \`similar\` dated a
 * group's HEICs, all but one never ended). A failure to start is not kept: the next call tries again.
 */
export class SharedExifTool {
  private tool: Promise<ExifTool> | undefined;

  constructor(private readonly opts: ConstructorParameters<typeof ExifTool>[0]) {}

  get(): Promise<ExifTool> {
    this.tool ??= newExifTool(this.opts).catch((err: unknown) => {
      this.tool = undefined;
      throw err;
    });
    return this.tool;
  }

  /** Ends ExifTool if it was started. */
  async end(): Promise<void> {
    const t = this.tool;
    this.tool = undefined;
    await (await t?.catch(() => undefined))?.end();
  }
}

/** The capture date, camera and size in ExifTool's tags (pure, so it is tested without ExifTool). */
export function factsFromTags(tags: Partial<Tags>, isVideo: boolean, ExifDateTime: typeof ExifDateTimeType): MediaFacts {
  const width = num(tags.ImageWidth);
  const height = num(tags.ImageHeight);
  const swap = /90|270/.test(String(tags.Rotation ?? '')) || (typeof tags.Orientation === 'number' && tags.Orientation >= 5);
  const facts: MediaFacts = { takenAt: null, source: null, camera: cameraName(tags.Make, tags.Model), width: swap ? height : width, height: swap ? width : height };
  // Apple's CreationDate carries the zone: its fields are the wall clock. QuickTime's CreateDate and
  // MediaCreateDate are UTC by the spec: turned into this machine's wall clock.
  const candidates: Array<[unknown, 'exif' | 'quicktime', 'wall' | 'utc']> = isVideo
    ? [[tags.CreationDate, 'quicktime', 'wall'], [tags.DateTimeOriginal, 'quicktime', 'wall'], [tags.CreateDate, 'quicktime', 'utc'], [tags.MediaCreateDate, 'quicktime', 'utc'], [tags.TrackCreateDate, 'quicktime', 'utc']]
    : [[tags.DateTimeOriginal, 'exif', 'wall'], [tags.SubSecDateTimeOriginal, 'exif', 'wall'], [tags.CreateDate, 'exif', 'wall'], [tags.CreationDate, 'exif', 'wall'], [tags.ModifyDate, 'exif', 'wall']];
  for (const [value, source, kind] of candidates) {
    const at = value instanceof ExifDateTime ? toMillis(value, kind) : null;
    if (at !== null) {
      facts.takenAt = at;
      facts.source = source;
      break;
    }
  }
  return facts;
}

function toMillis(value: ExifDateTimeType, kind: 'wall' | 'utc'): number | null {
  if (value.year < 1900 || value.year > 2200 || value.month < 1) return null; // 0000:00:00 and the like
  const wall = Date.UTC(value.year, value.month - 1, value.day, value.hour, value.minute, value.second, value.millisecond ?? 0);
  // A UTC date that names a real zone (not the UTC exiftool-vendored assumes for videos) is wall clock already.
  if (kind === 'wall' || (value.hasZone && value.tzoffsetMinutes !== 0 && value.tzoffsetMinutes !== undefined)) return wall;
  return wallClockOf(wall);
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

/**
 * exiftool-vendored, loaded on first use: it is a large module (a third of a command's start-up
 * time under load), and most commands never read metadata.
 */
export function exiftoolModule(): Promise<typeof import('exiftool-vendored')> {
  return import('exiftool-vendored');
}

/** A new ExifTool (the module loaded on first use), its process guarded ([Note: ExifTool outlives no one]). */
export async function newExifTool(opts: ConstructorParameters<typeof ExifTool>[0]): Promise<ExifTool> {
  const mod = await exiftoolModule();
  if (process.platform === 'win32') return new mod.ExifTool(opts);
  const script = mod.exiftoolPath();
  return new mod.ExifTool({ ...opts, processFactory: async () => guardedExifTool(await script) });
}

// [Note: ExifTool outlives no one]
// ExifTool runs as one long-lived `exiftool -stay_open True -@ -` process reading commands from
// its stdin. When Shoebox is killed (SIGKILL, a crash, the OOM killer) that pipe closes, and
// ExifTool takes the end of its input for "no command yet": it polls a hundred times a second,
// for ever, an orphan per killed run. So it is started through a small Perl guard: the guard
// forks a watcher and then becomes ExifTool itself (exec, same pid, so ending and killing it work
// as before). The watcher closes its copies of the pipes, and once a second looks whether Shoebox
// is still alive; when it is gone it ends ExifTool (its parent, so never another process), and
// when ExifTool ends first it leaves too.

/** The guard: `perl -e GUARD EXIFTOOL ARGS…` (see the note above). */
const GUARD = `
my $owner = getppid();
my $tool = $$;
my $watcher = fork();
if (defined $watcher && $watcher == 0) {
  open(STDIN, '<', '/dev/null'); open(STDOUT, '>', '/dev/null'); open(STDERR, '>', '/dev/null');
  while (getppid() == $tool) {
    if (!kill(0, $owner)) { kill('TERM', $tool); exit 0; }
    sleep 1;
  }
  exit 0;
}
exec { $^X } $^X, @ARGV or die "cannot run exiftool: $!\n";
`;

/** ExifTool started through the guard, with the arguments and environment exiftool-vendored would give it. */
function guardedExifTool(script: string): ChildProcess {
  const perl = fs.existsSync('/usr/bin/perl') ? '/usr/bin/perl' : 'perl';
  const env: NodeJS.ProcessEnv = { LANG: 'C' };
  if (process.env.EXIFTOOL_HOME) env.EXIFTOOL_HOME = process.env.EXIFTOOL_HOME;
  return spawn(perl, ['-e', GUARD, script, '-stay_open', 'True', '-@', '-'], { stdio: 'pipe', env });
}
