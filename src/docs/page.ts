// The /docs page: Swagger UI (from swagger-ui-dist, served locally) for the Messenger API and the
// control API, under a box that drives the mock from the browser. Its sandbox (kept in
// localStorage) goes as X-Mock-Sandbox with every "Try it out" request that does not set the header
// itself; its control token goes as X-Mock-Token with every request to the control API (/mock/*),
// which needs one when the mock listens on a non-loopback address. The page loads scripts only from
// this server (its CSP says so), so the box's script is a file too, not inline.

/** The page's policy: everything from this server; Swagger UI sets inline styles. */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

export const PAGE_SCRIPT_PATH = '/docs/page.js'

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Messenger API — messenger-contract mock</title>
  <link rel="icon" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <style>
    #mock-box { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: center;
      padding: 10px 20px; background: #f3f6f8; border-bottom: 1px solid #d8dde1;
      font: 14px sans-serif; color: #3b4151; }
    #mock-box input { font: 14px monospace; padding: 4px 6px; width: 16em; }
    #mock-box small { color: #6b7280; }
  </style>
</head>
<body>
  <form id="mock-box" autocomplete="off">
    <label>Sandbox (<code>X-Mock-Sandbox</code>)
      <input id="mock-sandbox" name="sandbox" placeholder="none: the main world"
        pattern="[A-Za-z0-9._\\-]{1,64}" spellcheck="false"></label>
    <label>Control token (<code>X-Mock-Token</code>)
      <input id="mock-token" name="token" placeholder="only off loopback" spellcheck="false"></label>
    <small>Sent with every "Try it out" request (the token only to <code>/mock/*</code>);
      kept in this browser.</small>
  </form>
  <div id="docs"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="${PAGE_SCRIPT_PATH}"></script>
</body>
</html>
`

// Plain browser JavaScript, served as a file. The box's values are read at each request, so a
// change applies to the next "Try it out" without reloading.
export const PAGE_SCRIPT = `'use strict'
;(function () {
  var fields = {
    sandbox: { input: document.getElementById('mock-sandbox'), key: 'messenger-mock:sandbox' },
    token: { input: document.getElementById('mock-token'), key: 'messenger-mock:control-token' },
  }
  Object.keys(fields).forEach(function (name) {
    var field = fields[name]
    try {
      field.input.value = localStorage.getItem(field.key) || ''
    } catch (e) {
      // Storage can be off (private windows): the box still works for this page.
    }
    field.input.addEventListener('input', function () {
      try {
        localStorage.setItem(field.key, field.input.value.trim())
      } catch (e) {}
    })
  })
  document.getElementById('mock-box').addEventListener('submit', function (event) {
    event.preventDefault()
  })

  function hasHeader(headers, name) {
    return Object.keys(headers).some(function (key) {
      return key.toLowerCase() === name.toLowerCase() && headers[key] !== ''
    })
  }

  function addMockHeaders(request) {
    // Loading a spec is not a try: it stays in no sandbox.
    if (request.loadSpec) {
      return request
    }
    request.headers = request.headers || {}
    var sandbox = fields.sandbox.input.value.trim()
    if (sandbox !== '' && !hasHeader(request.headers, 'X-Mock-Sandbox')) {
      request.headers['X-Mock-Sandbox'] = sandbox
    }
    var token = fields.token.input.value.trim()
    var path = new URL(request.url, location.href).pathname
    if (token !== '' && /^\\/mock(\\/|$)/.test(path) && !hasHeader(request.headers, 'X-Mock-Token')) {
      request.headers['X-Mock-Token'] = token
    }
    return request
  }

  window.ui = SwaggerUIBundle({
    dom_id: '#docs',
    urls: [
      { url: '/openapi.json', name: 'Messenger API' },
      { url: '/mock/openapi.json', name: 'Mock control API' },
    ],
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    persistAuthorization: true,
    tryItOutEnabled: true,
    // No badge from the public validator: this page asks nothing of other servers.
    validatorUrl: null,
    requestInterceptor: addMockHeaders,
  })
})()
`
