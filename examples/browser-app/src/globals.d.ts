// Replaced at build time by esbuild's `define` (see ../build.ts).
declare const __API_URL__: string;
/** true only in the browser test's build: exposes window.testHooks. */
declare const __TEST_HOOKS__: boolean;
