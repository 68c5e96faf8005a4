import { cameraName } from './image-facts.js';
import { wallClockOf } from './file-name-date.js';
/**
 * Reads capture dates of what sharp can't (HEIC, RAW, QuickTime/MP4 videos and live photos) with
 * ExifTool, through exiftool-vendored: one long-lived `exiftool -stay_open` process, started on
 * first use and ended by `close()` or after a minute idle. Never throws for a bad file: a file
 * ExifTool can't read has no facts. See [Note: Two metadata readers].
 */
export class ExifToolReader {
    tool;
    /** The facts ExifTool finds in a file (nothing for an unreadable one). */
    async read(file, isVideo) {
        this.tool ??= await newExifTool({ maxProcs: 1, maxTasksPerProcess: 5000, taskTimeoutMillis: 30_000 });
        let tags;
        try {
            tags = await this.tool.read(file);
        }
        catch {
            return { takenAt: null, source: null, camera: null, width: null, height: null };
        }
        return factsFromTags(tags, isVideo, (await exiftoolModule()).ExifDateTime);
    }
    /** Ends the ExifTool process. */
    async close() {
        const t = this.tool;
        this.tool = undefined;
        await t?.end();
    }
}
/** The capture date, camera and size in ExifTool's tags (pure, so it is tested without ExifTool). */
export function factsFromTags(tags, isVideo, ExifDateTime) {
    const width = num(tags.ImageWidth);
    const height = num(tags.ImageHeight);
    const swap = /90|270/.test(String(tags.Rotation ?? '')) || (typeof tags.Orientation === 'number' && tags.Orientation >= 5);
    const facts = { takenAt: null, source: null, camera: cameraName(tags.Make, tags.Model), width: swap ? height : width, height: swap ? width : height };
    // Apple's CreationDate carries the zone: its fields are the wall clock. QuickTime's CreateDate and
    // MediaCreateDate are UTC by the spec: turned into this machine's wall clock.
    const candidates = isVideo
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
function toMillis(value, kind) {
    if (value.year < 1900 || value.year > 2200 || value.month < 1)
        return null; // 0000:00:00 and the like
    const wall = Date.UTC(value.year, value.month - 1, value.day, value.hour, value.minute, value.second, value.millisecond ?? 0);
    // A UTC date that names a real zone (not the UTC exiftool-vendored assumes for videos) is wall clock already.
    if (kind === 'wall' || (value.hasZone && value.tzoffsetMinutes !== 0 && value.tzoffsetMinutes !== undefined))
        return wall;
    return wallClockOf(wall);
}
function num(v) {
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}
/**
 * exiftool-vendored, loaded on first use: it is a large module (a third of a command's start-up
 * time under load), and most commands never read metadata.
 */
export function exiftoolModule() {
    return import('exiftool-vendored');
}
/** A new ExifTool (the module loaded on first use). */
export async function newExifTool(opts) {
    return new (await exiftoolModule()).ExifTool(opts);
}
//# sourceMappingURL=exiftool-reader.js.map