"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// preload/index.ts
var index_exports = {};
__export(index_exports, {
  CALL_CHANNEL: () => CALL_CHANNEL,
  EVENT_CHANNEL: () => EVENT_CHANNEL,
  LISTEN_CHANNEL: () => LISTEN_CHANNEL
});
module.exports = __toCommonJS(index_exports);
var import_electron = require("electron");
var CALL_CHANNEL = "shoebox:call";
var EVENT_CHANNEL = "shoebox:event";
var LISTEN_CHANNEL = "shoebox:listening";
var listeners = /* @__PURE__ */ new Map();
var api = {
  call: (method, params) => import_electron.ipcRenderer.invoke(CALL_CHANNEL, method, params),
  on: (event, fn) => {
    const listener = (_e, name, data) => {
      if (name === event) fn(data);
    };
    import_electron.ipcRenderer.on(EVENT_CHANNEL, listener);
    const count = (listeners.get(event) ?? 0) + 1;
    listeners.set(event, count);
    if (count === 1) import_electron.ipcRenderer.send(LISTEN_CHANNEL, event, true);
    let off = false;
    return () => {
      if (off) return;
      off = true;
      import_electron.ipcRenderer.off(EVENT_CHANNEL, listener);
      const left = (listeners.get(event) ?? 1) - 1;
      listeners.set(event, left);
      if (left === 0) import_electron.ipcRenderer.send(LISTEN_CHANNEL, event, false);
    };
  },
  pathForFile: (file) => import_electron.webUtils.getPathForFile(file)
};
import_electron.contextBridge.exposeInMainWorld("shoebox", api);
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  CALL_CHANNEL,
  EVENT_CHANNEL,
  LISTEN_CHANNEL
});
