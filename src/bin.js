#!/usr/bin/env node
// Package bin (`npx messenger-mock`): the mock as bundled at pack time (prepack), so an installed
// package runs without TypeScript. In this repository, `npm start` builds and runs the same bundle.
await import('../dist/main.mjs')
