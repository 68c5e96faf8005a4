// Piscina worker: sniff, hash and store one source file. Parses nothing itself beyond the task
// shape; all logic is in the engine's ingestFile so it is tested under plain Node.
import { ingestFile, type IngestTask, type IngestResult } from '../main/core/upload/ingest-file.js';

/** Piscina calls the default export once per task. */
export default function ingest(task: IngestTask): Promise<IngestResult> {
  return ingestFile(task);
}
