export {};
//# sourceMappingURL=engine-context.js.map