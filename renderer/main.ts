// The Shoebox window. Runs unchanged in Electron (API through the preload) and in a browser
// (API through `shoebox serve`'s WebSocket).
import './api/zod-jitless.js'; // first: before any schema is built
import './components/sb-app.js';
