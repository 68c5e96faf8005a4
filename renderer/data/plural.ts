// The window's counts: "1 file", "1,234 files" (shared with the tray: main/core/format.ts).
export { pluralGrouped as plural } from '../../main/core/format.js';
