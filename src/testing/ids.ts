// The default world's ids, for tests that read or change the default world.
export const IDS = {
  john: '922f8476-bdda-4ebd-b283-be23602c658d',
  jane: '922f8476-c5f4-4024-8ba2-1a0d1cd22d71',
  jairo: '922f8476-dfb5-45d5-8a76-ab6422e10e5d',
  johnJairo: '92316158-d218-4b23-b90b-a708fb354685',
  johnJane: '923135d4-bcaa-4aa7-83a9-cc9765866b19',
  testParty: '92313cf7-b356-4d74-944c-c799fcfc3b1e',
  janesCall: '923142e6-88bd-48c6-a253-94f1fd587686',
  inviteZ: '92315b42-d57e-461a-91fb-e5eb9f1f2ca9',
  invite7: '92315aa0-c44b-4da8-8b7f-5d5529412874',
  johnJairoFriendship: '92313e08-3966-415b-ad71-e6776c813a70',
} as const
