#!/usr/bin/env node
// Package bin (`npx messenger-conformance`): the suite as bundled at pack time (prepack), so an
// installed package runs without TypeScript. In this repository, `npm run conformance` runs the sources.
await import('../dist/conformance.mjs')
