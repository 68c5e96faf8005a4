/** The last component of a path, on any platform (`/home/a/Pictures`, `C:\Users\a\Pictures`). */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts.at(-1) ?? p;
}

/**
 * The folder a person picked, from the full path of one file in it and that file's path inside
 * the pick (`webkitRelativePath`, always with '/'): `/a/Trip/x/1.jpg` + `Trip/x/1.jpg` → `/a/Trip`.
 */
export function pickedFolder(fullPath: string, relativePath: string): string | null {
  const rel = relativePath.split('/').filter(Boolean);
  const full = fullPath.split(/([\\/]+)/); // keeps the separators, so the result keeps the platform's
  const names = full.filter((_, i) => i % 2 === 0);
  if (rel.length < 2 || names.length < rel.length) return null;
  const tail = names.slice(-rel.length);
  if (tail.join('/') !== rel.join('/')) return null;
  // Drop the components below the top folder of the pick (rel.length - 1 of them, with their separators).
  return full.slice(0, full.length - 2 * (rel.length - 1)).join('');
}
