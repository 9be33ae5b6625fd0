// npm scripts run under the Node 22 that `npm install` puts into node_modules/.bin: the optional
// dependency node-<os>-<cpu> in package.json matching this machine (npm puts node_modules/.bin first
// on PATH for `npm run`, so `#!/usr/bin/env node` finds it). Where no such package exists for the
// platform, or a script is started outside npm, the machine's own Node runs it and must be 22.12+.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `task-api: this needs Node 22.12+, but it is running on Node ${process.version}. Start it through npm ` +
      `(npm run dev, npm test), which uses the Node 22 that npm install puts in node_modules; if npm had ` +
      `none for ${process.platform}-${process.arch}, install Node 22.12+ (e.g. \`nvm install 22\`).`,
  );
  process.exit(1);
}
