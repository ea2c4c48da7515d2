// A mock process for the memory scripts: started as `npm start` runs it (the bundle), on a free
// port and a throw-away world, with its resident memory read from /proc.
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

export interface MockProcess {
  url: string
  pid: number
  /** Resident set size in MB. */
  rssMb(): number
  stop(): Promise<void>
}

export function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

/**
 * Builds the bundle, then starts it (or `bundle`, an older build to compare with) with `args`
 * (after --port 0 --quiet --db :memory:).
 */
export function startMock(
  args: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
  bundle = 'dist/main.mjs'
) {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
  const child = spawn(
    process.execPath,
    [bundle, '--port', '0', '--quiet', '--db', ':memory:', ...args],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] }
  )
  return new Promise<MockProcess>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1]
      // The served process (a relaunched child, if any) reports its own pid in the banner.
      const pid = Number(/pid (\d+)/.exec(out)?.[1] ?? child.pid)
      if (url !== undefined && out.includes('try:')) {
        child.stdout.removeAllListeners('data')
        child.stdout.resume()
        resolve({
          url,
          pid,
          rssMb: () => rssMbOf(pid),
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => {
                done()
              })
              child.kill('SIGTERM')
            }),
        })
      }
    })
    child.once('exit', (code) => {
      reject(new Error(`the mock exited with ${String(code)}: ${out}`))
    })
  })
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
