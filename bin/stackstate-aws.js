#!/usr/bin/env node
// The CLI runs the TypeScript sources directly: transpile-only keeps start-up fast, and
// `npm run typecheck` is where types are checked.
const path = require("path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
require("../cli/main").main(process.argv);
