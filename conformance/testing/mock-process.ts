// Starts the mock server as a real child process on a free port (the suite stays black-box: it
// never imports the server), and stops it.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface RunningMock {
  url: string
  stop(): Promise<void>
}

/** Stops `child` with SIGTERM; resolves once it has exited (at once if it already has). */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) {
      resolve()
      return
    }
    child.once('exit', () => {
      resolve()
    })
    child.kill('SIGTERM')
  })
}

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url))

/**
 * `npm start -- --port 0 --db :memory: --quiet`, resolved once it prints where it listens.
 * `entry` is how node starts the mock (the sources through tsx unless told, e.g. a packed bin).
 */
export function startMock(
  extraArgs: string[] = [],
  entry: string[] = ['--import', 'tsx', MAIN]
): Promise<RunningMock> {
  const child = spawn(
    process.execPath,
    [...entry, '--port', '0', '--db', ':memory:', '--quiet', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let output = ''
  const stop = () => stopChild(child)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the mock did not start in 20 s:\n${output}`))
    }, 20_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve({ url: match[1], stop })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the mock exited with ${String(code)}:\n${output}`))
    })
  })
}
