// The contract for humans and tools: /docs (Swagger UI from the swagger-ui-dist package, served
// locally, no CDN, with the sandbox and control-token box of page.ts), and the specs at
// /openapi.yaml, /openapi.json, /mock/openapi.yaml, /mock/openapi.json and /asyncapi.yaml (the
// broadcasts; its `./openapi.yaml` references resolve beside it).
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Hono } from 'hono'
import type { AppEnv } from '../http/env.ts'
import { DOCS_CSP, DOCS_PAGE, PAGE_SCRIPT, PAGE_SCRIPT_PATH } from './page.ts'
import { readOnce, SPECS, specObject } from './specs.ts'

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
}

function assetPath(file: string): string {
  const pkg = createRequire(import.meta.url).resolve('swagger-ui-dist/package.json')
  return join(dirname(pkg), file)
}

export function docsRoutes() {
  const router = new Hono<AppEnv>()
  // The server's root is where a newcomer lands first.
  router.get('/', (c) => c.redirect('/docs', 302))
  router.get('/docs', (c) => {
    c.header('Content-Security-Policy', DOCS_CSP)
    return c.html(DOCS_PAGE)
  })
  router.get(PAGE_SCRIPT_PATH, (c) =>
    c.body(PAGE_SCRIPT, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
    })
  )
  router.get('/docs/assets/:file', (c) => {
    const file = c.req.param('file')
    const type = ASSETS[file]
    if (type === undefined) {
      return c.json({ message: '' }, 404)
    }
    c.header('Cache-Control', 'public, max-age=3600')
    return c.body(new Uint8Array(readOnce(assetPath(file))), 200, { 'Content-Type': type })
  })
  const serveYaml = (which: keyof typeof SPECS, yamlPath: string) => {
    router.get(yamlPath, (c) =>
      c.body(readOnce(fileURLToPath(SPECS[which])).toString('utf8'), 200, {
        'Content-Type': 'application/yaml; charset=utf-8',
      })
    )
  }
  const serve = (which: 'messenger' | 'control', yamlPath: string, jsonPath: string) => {
    serveYaml(which, yamlPath)
    // "Try it out" in the docs should call this server, wherever it runs.
    router.get(jsonPath, async (c) =>
      c.json({
        ...(await specObject(which)),
        servers: [{ url: new URL(c.req.url).origin, description: 'This mock server' }],
      })
    )
  }
  serve('messenger', '/openapi.yaml', '/openapi.json')
  serve('control', '/mock/openapi.yaml', '/mock/openapi.json')
  serveYaml('broadcasts', '/asyncapi.yaml')
  return router
}
