// One GET over a kept-alive connection, timed from the request to the last byte of the answer.
import { Agent, request } from 'node:http'

const agent = new Agent({ keepAlive: true, maxSockets: 1 })

/** Milliseconds for one GET; throws on anything but a 2xx, so a timing is always of a success. */
export function timedGet(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume()
      res.once('end', () => {
        const status = res.statusCode ?? 0
        if (status < 200 || status > 299) {
          reject(new Error(`GET ${url}: ${status}`))
          return
        }
        resolve(performance.now() - started)
      })
    })
    req.once('error', reject)
    req.end()
  })
}
