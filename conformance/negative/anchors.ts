// Where generated checks point: for each path parameter, a real thing of the target (by the
// profile's id names, as `{{name}}` variables), and the member who may see it. A generated case
// changes exactly one thing (the actor, an id, the method, a body field) from this valid request.
import type { ContractOperation } from '../contract.ts'

export interface Anchor {
  /** A participant of the thread the path names (or any user when there is none). */
  member: string
  /** A valid value for each path parameter. */
  params: Record<string, string>
}

/** The group "Test Party!" (John is its admin) holds the invites and the group picture. */
const GROUP = { member: 'john', thread: '{{threads.test_party}}' }
/** John and Jane's private thread holds Jane's active call, with Jane in it. */
const CALLS = { member: 'jane', thread: '{{threads.john_jane}}' }

const FIXED: Record<string, string> = {
  call: '{{calls.janes_call}}',
  participant: '{{call_participants.janes_call_jane}}',
  invite: '{{invites.7eifrxxp}}',
  code: '{{invites.zajor26j_code}}',
  query: 'john',
  alias: 'user',
  id: '{{actors.john}}',
  size: 'sm',
  image: 'default.png',
}

export function anchorFor(operation: ContractOperation): Anchor {
  const group = /\/invites|\/avatar\//.test(operation.path)
  const place = group ? GROUP : CALLS
  const params: Record<string, string> = {}
  for (const { name } of operation.parameters) {
    params[name] = name === 'thread' ? place.thread : (FIXED[name] ?? `{{${name}}}`)
  }
  const threadScoped = operation.parameters.some((p) => p.name === 'thread')
  return { member: threadScoped ? place.member : 'john', params }
}

/** The operation's path with the anchor's values, one of them replaced if asked. */
export function fillPath(
  operation: ContractOperation,
  params: Record<string, string>,
  replace: Record<string, string> = {}
): string {
  return operation.path.replace(/\{(\w+)\}/g, (_whole, name: string) =>
    encodeURIComponent(replace[name] ?? '').length > 0
      ? encodeURIComponent(replace[name] ?? '')
      : (params[name] ?? `{{${name}}}`)
  )
}

/** Is this a thread's own operation (its path names a thread)? */
export const isThreadScoped = (operation: ContractOperation) =>
  operation.parameters.some((p) => p.name === 'thread')
