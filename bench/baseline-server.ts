// The ceiling for the benchmark: bare node:http answering prebuilt buffers (the mock's own answers,
// byte for byte, chosen by the benchmark's X-Bench-Op header), so the comparison isolates what the
// mock spends per request.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const bodies = new Map<string, Buffer>()
const input = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>
for (const [key, body] of Object.entries(input)) {
  bodies.set(key, Buffer.from(body))
}

const server = createServer((req, res) => {
  const key = req.headers['x-bench-op']
  const body = typeof key === 'string' ? bodies.get(key) : undefined
  req.resume()
  if (!body) {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length })
  res.end(body)
})
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`)
})
process.on('SIGTERM', () => {
  server.close(() => process.exit(0))
})
