// Words for Free up space shown by the window and the CLI alike. Pure (no Node imports): the
// renderer bundles it.
import { printable } from '../format.js';

/** Where a review looked: "under /a, /b" for folders, "(the file /x.jpg)" for a file given, "under /a and the file /x.jpg" for both. */
export function whereLooked(r: { roots: string[]; fileRoots: string[] }): string {
  const folders = r.roots.filter((p) => !r.fileRoots.includes(p));
  const files = `the file${r.fileRoots.length === 1 ? '' : 's'} ${r.fileRoots.map(printable).join(', ')}`;
  const under = folders.length > 0 ? `under ${folders.map(printable).join(', ')}` : '';
  if (r.fileRoots.length === 0) return under;
  return under ? `${under} and ${files}` : `(${files})`;
}
