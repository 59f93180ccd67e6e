// The names a token's "accounts" list can hold. The server checks that list against an
// AwsAccount's id, an artifact store's name or an AzureContainer's id, whichever the request
// names, so the token form offers all three.
import { api } from '../api.js';

/** The ids of this server's AwsAccounts (admin only). */
export async function awsAccountIds(signal) {
  const answer = await api('GET', '/AwsAccount/', undefined, { signal });
  return answer.items.map(account => account.id);
}

const SOURCES = [
  { kind: 'S3 accounts', load: awsAccountIds },
  { kind: 'Artifact stores', load: async signal => (await api('GET', '/artifacts/', undefined, { signal })).map(store => store.name) },
  { kind: 'Azure containers', load: async signal => (await api('GET', '/AzureContainer/', undefined, { signal })).items.map(container => container.id) },
];

/**
 * Every name a scope may pick, grouped by kind: { groups: [{ kind, ids }], failed: [{ kind, error }] }.
 * A source that cannot be read is reported, not fatal: the form still takes names typed by hand.
 * A name shared by two kinds is listed once, under the first.
 */
export async function scopeChoices(signal) {
  const results = await Promise.allSettled(SOURCES.map(source => source.load(signal)));
  signal?.throwIfAborted();
  const seen = new Set();
  const groups = [];
  const failed = [];
  results.forEach((result, index) => {
    const { kind } = SOURCES[index];
    if (result.status === 'rejected') {
      failed.push({ kind, error: result.reason });
      return;
    }
    const ids = result.value.filter(id => !seen.has(id));
    ids.forEach(id => seen.add(id));
    if (ids.length > 0) {
      groups.push({ kind, ids });
    }
  });
  return { groups, failed };
}
