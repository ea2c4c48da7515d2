// Four parallel 200 MB uploads against the mock (the avatar route and a JSON route), while a GET
// is timed every 50 ms: prints the idle RSS, the peak RSS during the uploads, and the GET latency.
// Run: node --import tsx bench/uploads.ts
import { request } from 'node:http'
import { median, sleep, startMock } from './mock-process.ts'

const UPLOAD_MB = Number(process.env['BENCH_UPLOAD_MB'] ?? 200)
const PARALLEL = 4
const CHUNK = Buffer.alloc(64 * 1024, 0x61)

/** Streams `mb` MB to `path`; resolves with the status (or the socket error) and the time taken. */
function upload(base: string, path: string, type: string, mb: number, chunked: boolean) {
  const started = performance.now()
  return new Promise<{ status: string; ms: number }>((resolve) => {
    const url = new URL(path, base)
    const req = request(url, {
      method: path.endsWith('avatar') ? 'POST' : 'PUT',
      headers: {
        Authorization: 'Bearer john',
        'Content-Type': type,
        ...(chunked ? {} : { 'Content-Length': String(mb * 1024 * 1024) }),
      },
    })
    let sent = 0
    const total = mb * 1024 * 1024
    const write = () => {
      while (sent < total) {
        sent += CHUNK.length
        if (!req.write(CHUNK)) {
          req.once('drain', write)
          return
        }
      }
      req.end()
    }
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => {
        resolve({ status: String(res.statusCode), ms: performance.now() - started })
      })
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ status: error.code ?? error.message, ms: performance.now() - started })
    })
    write()
  })
}

async function timedGets(base: string, until: () => boolean) {
  const latencies: number[] = []
  while (!until()) {
    const started = performance.now()
    await fetch(`${base}/api/messenger/settings`, { headers: { Authorization: 'Bearer john' } })
    latencies.push(performance.now() - started)
    await sleep(50)
  }
  return latencies
}

async function scenario(name: string, path: string, type: string, chunked = false) {
  const mock = await startMock()
  try {
    await timedGets(mock.url, () => true)
    await fetch(`${mock.url}/api/messenger/settings`, { headers: { Authorization: 'Bearer john' } })
    await sleep(500)
    const idle = mock.rssMb()
    let peak = idle
    let done = false
    const sampler = setInterval(() => {
      peak = Math.max(peak, mock.rssMb())
    }, 20)
    const gets = timedGets(mock.url, () => done)
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, () => upload(mock.url, path, type, UPLOAD_MB, chunked))
    )
    done = true
    const latencies = await gets
    clearInterval(sampler)
    const sorted = [...latencies].sort((a, b) => a - b)
    console.log(
      `${name}: ${PARALLEL} × ${UPLOAD_MB} MB → ${results.map((r) => `${r.status} in ${Math.round(r.ms)} ms`).join(', ')}`
    )
    console.log(
      `  RSS idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (+${(peak - idle).toFixed(0)} MB); ` +
        `concurrent GET ×${latencies.length}: median ${median(latencies).toFixed(1)} ms, ` +
        `max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`
    )
  } finally {
    await mock.stop()
  }
}

await scenario('avatar upload', '/api/messenger/avatar', 'multipart/form-data; boundary=b')
await scenario(
  'avatar upload, chunked',
  '/api/messenger/avatar',
  'multipart/form-data; boundary=b',
  true
)
await scenario('JSON body', '/api/messenger/settings', 'application/json')
await scenario('JSON body, chunked', '/api/messenger/settings', 'application/json', true)
