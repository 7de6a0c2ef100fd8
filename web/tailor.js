/**
 * tailor.js: the browser client of Tailor's HTTP API (served by tailor-server at /tailor.js).
 * A dependency-free ES module; every call goes to the server it was loaded from unless
 * `baseUrl` says otherwise.
 *
 *   import { createTailor } from '/tailor.js';
 *   const tailor = createTailor();              // or new Tailor({baseUrl: 'https://shop.example'})
 *   const page = await tailor.search({q: 'parka', size: 'M', limit: 24});
 *   tailor.click(page.hits[0].id, {requestId: page.request_id, position: 0, query: 'parka'});
 *   const typeahead = tailor.searchAsYouType((answer, params) => render(answer));
 *   input.oninput = () => typeahead.update({q: input.value});
 *
 * Visitor: a random id kept in first-party storage (localStorage, else a cookie), sent with
 * every search, event and recommendation so the server can personalize. `setVisitor(id)`
 * switches it (the demo's visitor switcher); `forgetMe()` deletes the profile on the server
 * and starts a new id.
 *
 * Events (`view`, `click`, `addToCart`, `removeFromCart`, `purchase`) are queued with their
 * time and sent in batches to POST /events as `{"events": [...]}`: on a timer, when the
 * queue is full, before any read that should see them (search, suggest, recommendations,
 * profile wait for queued events, since the server applies an event before it answers 202),
 * and by `navigator.sendBeacon` when the page is hidden or unloaded.
 *
 * Errors: calls reject with a `TailorError` carrying the HTTP `status` and the server's
 * error `code` and `message`; an aborted call rejects with the browser's AbortError.
 */

const VISITOR_KEY = 'tailor_visitor';

/** A failed call: `status` is the HTTP status (0 for a network failure). */
export class TailorError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'TailorError';
    this.status = status;
    this.code = code;
  }
}

function newVisitorId() {
  if (globalThis.crypto?.randomUUID) return 'v-' + crypto.randomUUID();
  return 'v-' + Math.random().toString(36).slice(2) + Date.now().toString(36);
}

// localStorage can be disabled or throw (private modes, storage blocked): the cookie keeps
// the id first-party then.
const visitorStore = {
  get() {
    try {
      const id = localStorage.getItem(VISITOR_KEY);
      if (id) return id;
    } catch { /* fall through to the cookie */ }
    const match = document.cookie.match(new RegExp('(?:^|; )' + VISITOR_KEY + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : null;
  },
  set(id) {
    try {
      localStorage.setItem(VISITOR_KEY, id);
      return;
    } catch { /* fall back to the cookie */ }
    document.cookie = `${VISITOR_KEY}=${encodeURIComponent(id)}; max-age=31536000; path=/; ` +
        'SameSite=Lax';
  },
};

/** Repeats array values (`brand=A&brand=B`) and leaves out undefined, null and ''. */
function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null && one !== '') search.append(key, String(one));
    }
  }
  return search.toString();
}

export class Tailor {
  /**
   * @param {object} [options]
   * @param {string} [options.baseUrl] the server, '' (default) for the page's own origin
   * @param {number} [options.flushIntervalMs] how long an event waits for its batch (1000)
   * @param {number} [options.maxBatch] events per POST /events (50)
   * @param {(error: Error) => void} [options.onError] events the server refused or that
   *   could not be sent (default: console.warn)
   */
  constructor({baseUrl = '', flushIntervalMs = 1000, maxBatch = 50, onError} = {}) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.flushIntervalMs = flushIntervalMs;
    this.maxBatch = maxBatch;
    this.onError = onError || ((error) => console.warn('tailor:', error.message));
    this.queue = [];
    this.sending = Promise.resolve();  // the batches in flight, in order
    this.timer = null;
    this.visitor = visitorStore.get();
    if (!this.visitor) this.setVisitor(newVisitorId());
    const sendOnExit = () => this.flushWithBeacon();
    addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') sendOnExit();
    });
    addEventListener('pagehide', sendOnExit);
  }

  /** Switches to visitor `id` (kept in storage); queued events go out as the old visitor. */
  setVisitor(id) {
    this.visitor = id;
    visitorStore.set(id);
  }

  /** Starts a new anonymous visitor and returns its id. */
  newVisitor() {
    this.setVisitor(newVisitorId());
    return this.visitor;
  }

  async request(method, path, {params = {}, body, signal} = {}) {
    const qs = queryString(params);
    let response;
    try {
      response = await fetch(this.baseUrl + path + (qs ? '?' + qs : ''), {
        method,
        signal,
        headers: body === undefined ? {} : {'Content-Type': 'application/json'},
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (error.name === 'AbortError') throw error;
      throw new TailorError(0, 'network', `${method} ${path}: ${error.message}`);
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new TailorError(response.status, answer.error?.code || 'http',
                            answer.error?.message || `${method} ${path}: ${response.status}`);
    }
    return answer;
  }

  /**
   * GET /search for this visitor. `params` are the API's: q, limit, offset, brand, category,
   * color, size (strings or arrays), price_min, price_max, in_stock, explain, facets, ...
   * Resolves to the server's answer (request_id, total, hits, facets, ...).
   */
  async search(params = {}, {signal} = {}) {
    await this.flush();
    return this.request('GET', '/search', {params: {visitor: this.visitor, ...params}, signal});
  }

  /** GET /suggest: completions of `q` ({query, suggestions: [{text, kind, results}]}). */
  async suggest(q, {limit = 8, signal} = {}) {
    await this.flush();
    return this.request('GET', '/suggest', {params: {q, limit, visitor: this.visitor}, signal});
  }

  /**
   * Search as you type: returns {update(params), now(params), cancel()}. `update` waits
   * `debounceMs` after the last call (`now` does not wait), aborts the request still running
   * and calls onResult(answer, params) only for the newest request, so an older answer never
   * replaces a newer one.
   * `call` defaults to search; pass (params, {signal}) => tailor.suggest(params.q, {signal})
   * for suggestions.
   */
  searchAsYouType(onResult, {debounceMs = 120, onError = this.onError,
                             call = (params, options) => this.search(params, options)} = {}) {
    let timer = null;
    let controller = null;
    let latest = 0;
    const run = async (params) => {
      controller?.abort();
      controller = new AbortController();
      const mine = ++latest;
      try {
        const answer = await call(params, {signal: controller.signal});
        if (mine === latest) onResult(answer, params);
      } catch (error) {
        if (error.name !== 'AbortError' && mine === latest) onError(error);
      }
    };
    return {
      update(params) {
        clearTimeout(timer);
        timer = setTimeout(() => run(params), debounceMs);
      },
      now(params) {
        clearTimeout(timer);
        return run(params);
      },
      cancel() {
        clearTimeout(timer);
        controller?.abort();
        latest++;
      },
    };
  }

  /**
   * GET /recommendations: type is also_bought, complements, reduced or similar; `item` the
   * product page's item (absent: the visitor's cart or recent views).
   */
  async recommendations(type, {item, limit = 10, explain, signal} = {}) {
    await this.flush();
    return this.request('GET', '/recommendations',
                        {params: {type, item, limit, explain, visitor: this.visitor}, signal});
  }

  /** GET /profiles/{visitor}: what Tailor learned, or null when it knows nothing yet. */
  async profile({signal} = {}) {
    await this.flush();
    try {
      return await this.request('GET', '/profiles/' + encodeURIComponent(this.visitor), {signal});
    } catch (error) {
      if (error.status === 404) return null;
      throw error;
    }
  }

  /**
   * Forgets this visitor: drops unsent events, DELETE /profiles/{visitor} (the profile and
   * its events everywhere on the server), then starts a new visitor id. Resolves to it.
   */
  async forgetMe() {
    this.queue = [];
    await this.sending;
    try {
      await this.request('DELETE', '/profiles/' + encodeURIComponent(this.visitor));
    } catch (error) {
      if (error.status !== 404) throw error;  // 404: nothing was known
    }
    return this.newVisitor();
  }

  /** The visitor looked at the item's page. */
  view(item) {
    this.track({type: 'view', item});
  }

  /** The visitor clicked a result: requestId of the search that showed it, 0-based position. */
  click(item, {requestId, position, query} = {}) {
    this.track({type: 'click', item, request_id: requestId, position, query});
  }

  addToCart(item, {size, quantity = 1, requestId} = {}) {
    this.track({type: 'add_to_cart', item, size, quantity, request_id: requestId});
  }

  removeFromCart(item, {size, quantity = 1} = {}) {
    this.track({type: 'remove_from_cart', item, size, quantity});
  }

  /** A purchase of `items`: ids, or {item, size, quantity}; one event per item. */
  purchase(items) {
    for (const one of items) {
      const {item, size, quantity = 1} = typeof one === 'string' ? {item: one} : one;
      this.track({type: 'purchase', item, size, quantity});
    }
  }

  track(fields) {
    const event = {visitor: this.visitor, timestamp: Date.now()};
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && value !== null && value !== '') event[key] = value;
    }
    this.queue.push(event);
    if (this.queue.length >= this.maxBatch) {
      this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushIntervalMs);
    }
  }

  /** Sends the queued events now; resolves once the server has applied them (or refused). */
  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length) {
      const events = this.queue.splice(0, this.maxBatch);
      this.sending = this.sending.then(() => this.request('POST', '/events', {body: {events}}))
                         .catch((error) => this.onError(error));
    }
    return this.sending;
  }

  // The page may be gone before a fetch completes, so the last events leave by beacon. A
  // beacon cannot carry Content-Type application/json without a CORS preflight (Chromium
  // refuses such a Blob), but the server parses the body as JSON whatever its type, so the
  // beacon sends text/plain. When the browser refuses the beacon (too large, no API),
  // fetch with keepalive outlives the page the same way.
  flushWithBeacon() {
    clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length) {
      const body = JSON.stringify({events: this.queue.splice(0, this.maxBatch)});
      const url = this.baseUrl + '/events';
      if (!navigator.sendBeacon?.(url, new Blob([body], {type: 'text/plain;charset=UTF-8'}))) {
        fetch(url, {method: 'POST', body, keepalive: true,
                    headers: {'Content-Type': 'application/json'}}).catch(() => {});
      }
    }
  }
}

/** Same as `new Tailor(options)`. */
export function createTailor(options) {
  return new Tailor(options);
}
