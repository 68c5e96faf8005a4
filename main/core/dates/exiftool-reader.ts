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
  private tool: ExifTool | undefined;

  /** The facts ExifTool finds in a file (nothing for an unreadable one). */
  async read(file: string, isVideo: boolean): Promise<MediaFacts> {
    this.tool ??= await newExifTool({ maxProcs: 1, maxTasksPerProcess: 5000, taskTimeoutMillis: 30_000 });
    let tags: Tags;
    try {
      tags = await this.tool.read(file);
    } catch {
      return { takenAt: null, source: null, camera: null, width: null, height: null };
    }
    return factsFromTags(tags, isVideo, (await exiftoolModule()).ExifDateTime);
  }

  /** Ends the ExifTool process. */
  async close(): Promise<void> {
    const t = this.tool;
    this.tool = undefined;
    await t?.end();
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

/** A new ExifTool (the module loaded on first use). */
export async function newExifTool(opts: ConstructorParameters<typeof ExifTool>[0]): Promise<ExifTool> {
  return new (await exiftoolModule()).ExifTool(opts);
}
