#!/usr/bin/env node
// Package bin: starts the mock server through tsx's loader.
import { register } from 'tsx/esm/api'

register()
await import('./main.ts')
