// Calls to this server's API with the signed-in token. The token lives in sessionStorage
// (gone when the tab closes) and travels only in the Authorization header, never in a URL.
const TOKEN_KEY = 'sluice.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** An answer that was not 2xx, with the problem-details body (RFC 9457) the server sent. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem ?? {};
    // { field: [message, …] } for validation problems
    this.errors = problem?.errors ?? {};
  }
}

function describe(status, problem) {
  if (!problem) {
    return `The server answered ${status}.`;
  }
  const title = problem.title ?? `The server answered ${status}`;
  return problem.detail ? `${title}: ${problem.detail}` : title;
}

/**
 * Sends one request; answers the parsed JSON (null for 204) or throws ApiError.
 * `body` is sent as JSON when it is an object, as is when a string.
 */
export async function api(method, path, body, { signal } = {}) {
  const headers = { Accept: 'application/json' };
  const current = token();
  if (current) {
    headers.Authorization = 'Bearer ' + current;
  }
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, cache: 'no-store', credentials: 'omit', signal });
  } catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }
    throw new ApiError(0, { title: 'The server could not be reached', detail: error.message });
  }
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, json);
  }
  return json;
}

/** A path segment, escaped. */
export const seg = value => encodeURIComponent(value);

/** A query string from an object, leaving out null and undefined values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') {
      search.set(name, String(value));
    }
  }
  const text = search.toString();
  return text ? '?' + text : '';
}
