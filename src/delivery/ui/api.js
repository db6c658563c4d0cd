/** The page's one way to talk to the gateway: same-origin JSON, session cookie, CSRF header. */

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class Api {
  #csrfToken = '';
  /** @type {() => void} */
  #onSignedOut;

  /** @param {{ onSignedOut: () => void }} options */
  constructor(options) {
    this.#onSignedOut = options.onSignedOut;
  }

  /** @param {string | null} token */
  set csrfToken(token) {
    this.#csrfToken = token ?? '';
  }

  /**
   * @param {string} method
   * @param {string} path
   * @param {{ body?: unknown, background?: boolean }} [options]
   */
  async request(method, path, options = {}) {
    const headers = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['x-csrf-token'] = this.#csrfToken;
    // Polling is not the agent doing something: it must not keep an idle session alive.
    if (options.background) headers['x-tonewall-background'] = '1';
    const response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    if (response.status === 204) return {};
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new ApiError(
        response.status,
        body?.error?.code ?? 'unknown',
        body?.error?.message ?? 'request failed',
      );
      if (response.status === 401 && !path.startsWith('/v1/session')) this.#onSignedOut();
      throw error;
    }
    return body;
  }

  get(path, options) {
    return this.request('GET', path, options);
  }

  /** Every item of a paged list (`{<key>: [...], nextCursor?}`), following the cursor (200 a page). */
  async getAll(path, key, options) {
    const items = [];
    let cursor;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page = await this.get(
        `${path}${separator}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        options,
      );
      items.push(...page[key]);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  post(path, body) {
    return this.request('POST', path, { body });
  }
}
