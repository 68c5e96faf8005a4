// Shared by the engine (which makes display copies) and the window (which asks for full size
// beyond them); imports nothing, so the renderer bundle and the worker threads can both load it.

/**
 * Longest side, in pixels, of an image's display copy (media kind `display`: HEIC and TIFF
 * decoded once, made with the thumbnail): a photo fitted to a large window (a 2560-wide screen
 * shows a 4:3 photo at about 1900×1440). The viewer asks for full size when more pixels than
 * that are on screen.
 */
export const DISPLAY_SIZE = 2048;
