// My Garage's service worker, written by the build (tools/site) from this template:
// offline reading of the articles a reader has opened. Plain JavaScript, no framework.
//
// - The app's code and styles (hashed files) are cached when the worker installs, and the
//   article page shell (articles/404.html) once the reader has opened a second page: a
//   reader who reads one article never downloads it.
// - Pages, article data and comments are fetched from the network first, so a reader online
//   always gets the newest; each article page opened is kept, with its data and comments
//   (the publisher's file, or the comment service's thread), for when the network is gone.
//   Photographs' variants (media/v/) are kept as the reader sees them: the one the browser
//   chose for this screen, from the browser's cache (no second download) when the page is
//   kept, and each one the page fetches once the worker runs; PHOTO_MAX_BYTES at most a
//   file and PHOTOS_MAX_BYTES in all, the oldest dropped first. Nothing else is kept (other
//   images, the feed).
// - Kept: the last ARTICLES_KEPT articles opened (an older one is dropped with its data and
//   comments), and a comments file only up to COMMENTS_MAX_BYTES.
// - A page is kept only if every hashed file it names is this build's: a page from another
//   build (the browser's cache can hold one from before a deploy) would open offline without
//   its code and styles.
// - Offline, a page never opened gets the article page shell, which the app turns into the
//   page for its address: an article then says the reader is offline and offers Retry.
// - Each build has its own cache (its name carries the build's version). A new build's
//   worker takes over at once and deletes the old caches, so old and new files never mix.

const VERSION = "__VERSION__";
const BASE = "__BASE__";
const SHELL = __SHELL__;
const SHELL_PAGE = `${BASE}/articles/404.html`;
const ARTICLES_KEPT = __ARTICLES_KEPT__;
const COMMENTS_MAX_BYTES = __COMMENTS_MAX_BYTES__;
const PHOTO_MAX_BYTES = __PHOTO_MAX_BYTES__;
const PHOTOS_MAX_BYTES = __PHOTOS_MAX_BYTES__;
// A kept photograph's size, for the bound (a kept response has no Content-Length).
const KEPT_BYTES = "x-kept-bytes";
const CACHE = `my-garage-${VERSION}`;
const HASHED = /-[0-9a-f]{10,16}(_bg)?\.(js|wasm|css)$/;
// The hashed files a page names (its stylesheet; the app's code, in its loader's meta).
const NAMED = /([^"\s]*-[0-9a-f]{10,16}(?:_bg)?\.(?:js|wasm|css))(?=["\s])/g;
// One copy of each file is kept, whatever encoding it came in: the server's
// `Vary: Accept-Encoding` must not hide it (Firefox records the header it sent).
const MATCH = { ignoreVary: true };
// What the app asks to keep it has just shown: the copy in the browser's cache will do, so
// keeping costs no download (anything not there comes from the network).
const KEEP = { cache: "force-cache" };
// A page in the browser's cache that is not this build's is asked for again.
const FRESH = { cache: "no-cache" };
const escaped = BASE.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const ARTICLE = new RegExp(`^${escaped}/articles/([a-z0-9-]+)/?$`);
const DATA = new RegExp(`^${escaped}/api/articles/([a-z0-9-]+)\\.json$`);
const COMMENTS = new RegExp(`^${escaped}/api/comments/([a-z0-9-]+)\\.json$`);
const INDEX = `${BASE}/api/articles/index.json`;
// A photograph's variant (core::media::variant_path).
const PHOTO = new RegExp(`^${escaped}/media/v/[A-Za-z0-9_/-]+-[0-9]+\\.(avif|webp|jpg)$`);
// The variants a page names, in its srcset and src attributes.
const PHOTOS_NAMED = new RegExp(`${escaped}/media/v/[A-Za-z0-9_/-]+-[0-9]+\\.(?:avif|webp|jpg)`, "g");
// Only what the browser already has: the variant it chose, never the others.
const ALREADY_FETCHED = { cache: "only-if-cached", mode: "same-origin" };
// The comment service's address ("" without one): its threads are kept like comment files.
const SERVICE = "__SERVICE__";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("my-garage-") && name !== CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method === "GET" && serviceThread(url)) {
    event.respondWith(networkFirst(event, url.href));
    return;
  }
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith(`${BASE}/`)) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request, url.pathname));
  } else if (url.pathname === INDEX || articleOf(url.pathname)) {
    event.respondWith(networkFirst(event, url.pathname));
  } else if (PHOTO.test(url.pathname)) {
    event.respondWith(photo(event, url.pathname));
  }
  // Anything else goes to the network, as if there were no worker.
});

// The app asks to keep a page it shows (the first page the reader opened, before this
// worker was running, and every page reached within the app, which the browser never
// requests as a page): kept as a page request would keep it.
self.addEventListener("message", (event) => {
  if (typeof event.data === "string" && event.data.startsWith(`${BASE}/`)) {
    event.waitUntil(keepPage(event.data));
  }
});

// A page of an article's thread at the comment service (`GET {SERVICE}?uri=/articles/…`).
function serviceThread(url) {
  return SERVICE !== "" && url.href.startsWith(`${SERVICE}?`) && url.searchParams.has("uri");
}

// The slug of the article a page, data or comments path (or a thread's address at the
// comment service) belongs to.
function articleOf(path) {
  if (SERVICE !== "" && path.startsWith(SERVICE)) {
    const uri = new URL(path).searchParams.get("uri");
    return uri && articleOf(uri);
  }
  const found = ARTICLE.exec(path) || DATA.exec(path) || COMMENTS.exec(path);
  return found && found[1];
}

// Whether a key holds comments (a file, or a service's thread): kept up to a size.
function commentsKey(key) {
  return COMMENTS.test(key) || (SERVICE !== "" && key.startsWith(SERVICE));
}

// Where a page is kept: an article under one address, with or without the trailing slash
// some hosts redirect to.
function pageKey(path) {
  const slug = ARTICLE.exec(path);
  return slug ? `${BASE}/articles/${slug[1]}` : path;
}

// A response's body whole, or null past `limit` bytes (the rest is not downloaded).
async function readUpTo(response, limit) {
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new Blob(chunks);
}

// Keeps a response whole: its body is read to the end first, so a download cut short (the
// network going as it arrives) never replaces what was kept with a part of it. `accept`
// may refuse the body's text. True when kept.
async function store(cache, key, response, accept) {
  try {
    const photo = PHOTO.test(key);
    const limit = commentsKey(key) ? COMMENTS_MAX_BYTES : photo ? PHOTO_MAX_BYTES : Infinity;
    const body = response.body ? await readUpTo(response, limit) : new Blob([]);
    // No page or data file of the site is empty: an empty body is a download that went
    // wrong (seen in Firefox, for a file requested twice at once), not one to keep.
    if (!body || (response.ok && body.size === 0)) return false;
    if (accept && !accept(await body.text())) return false;
    const headers = new Headers(response.headers);
    // The body is already decoded: these described the bytes on the wire.
    headers.delete("content-encoding");
    headers.delete("content-length");
    if (photo) headers.set(KEPT_BYTES, String(body.size));
    await cache.put(key, new Response(body, { status: response.status, headers }));
    if (ARTICLE.test(key)) await keepRecent(cache);
    if (photo) await keepPhotosWithin(cache);
    return true;
  } catch (offline) {
    // Cut short: what was kept before stays.
    return false;
  }
}

// Whether every hashed file a page names is one this build caches.
function ofThisBuild(html) {
  return [...html.matchAll(NAMED)].every((named) =>
    SHELL.includes(new URL(named[1], self.location.href).pathname),
  );
}

// The shell page, once two pages are kept (fetched, not added, so that a host's redirect
// to its address without `.html` is not kept with it: a redirected response cannot answer
// a page request). Not kept now is kept with the next page.
async function keepShellPage(cache) {
  if (await cache.match(SHELL_PAGE, MATCH)) return;
  const paths = (await cache.keys()).map((request) => new URL(request.url).pathname);
  if (paths.filter((path) => ARTICLE.test(path) || path === `${BASE}/`).length < 2) return;
  const response = await fetch(SHELL_PAGE, FRESH);
  if (response.ok) await store(cache, SHELL_PAGE, response, ofThisBuild);
}

// Keeps the ARTICLES_KEPT articles whose pages were kept last, and drops every file of any
// other. The cache lists its entries oldest first (an entry put again moves last).
async function keepRecent(cache) {
  const requests = await cache.keys();
  const slugOf = (request) => {
    const url = new URL(request.url);
    return articleOf(url.origin === self.location.origin ? url.pathname : url.href);
  };
  const pages = requests.filter((request) => ARTICLE.test(new URL(request.url).pathname));
  const recent = pages.slice(-ARTICLES_KEPT).map(slugOf);
  await Promise.all(
    requests
      .filter((request) => slugOf(request) && !recent.includes(slugOf(request)))
      .map((request) => cache.delete(request)),
  );
}

// Drops the photographs kept first until the rest are within PHOTOS_MAX_BYTES.
async function keepPhotosWithin(cache) {
  const photos = (await cache.keys()).filter((request) => PHOTO.test(new URL(request.url).pathname));
  const sizes = await Promise.all(
    photos.map(async (request) => Number((await cache.match(request, MATCH))?.headers.get(KEPT_BYTES)) || 0),
  );
  let total = sizes.reduce((sum, size) => sum + size, 0);
  for (let i = 0; total > PHOTOS_MAX_BYTES && i < photos.length; i++) {
    await cache.delete(photos[i]);
    total -= sizes[i];
  }
}

// The photographs of a kept page that the browser has shown (in its cache): the variants
// the reader saw, kept without a second download.
async function keepPhotosShown(cache, path) {
  const page = await cache.match(pageKey(path), MATCH);
  if (!page) return;
  const named = new Set((await page.text()).match(PHOTOS_NAMED) || []);
  for (const photo of named) {
    try {
      const response = await fetch(photo, ALREADY_FETCHED);
      if (response.ok) await store(cache, photo, response);
    } catch (notShown) {
      // Not in the browser's cache: a variant for another screen, or not seen yet.
    }
  }
}

async function keepPage(path) {
  const cache = await caches.open(CACHE);
  try {
    const kept =
      (await keepPageFrom(cache, path, await fetch(path, KEEP))) ||
      (await keepPageFrom(cache, path, await fetch(path, FRESH)));
    const article = ARTICLE.exec(path);
    if (kept && article) await keepArticleData(cache, article[1]);
    if (kept) await keepPhotosShown(cache, path);
  } catch (offline) {
    // Gone already: kept the next time.
  }
}

// Only the front page and articles are kept.
async function keepPageFrom(cache, path, response) {
  const page = response.ok && (ARTICLE.test(path) || path === `${BASE}/`);
  const kept = page && (await store(cache, pageKey(path), response, ofThisBuild));
  if (kept) await keepShellPage(cache).catch(() => {});
  return kept;
}

// A page: the network's answer (kept, with the article's data and comments, when it is an
// article), or offline the kept one, or the page shell.
async function page(event, url) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(event.request);
    if (response.ok) {
      const article = ARTICLE.exec(url.pathname);
      event.waitUntil(
        keepPageFrom(cache, url.pathname, response.clone()).then(
          (kept) => kept && article && keepArticleData(cache, article[1]),
        ),
      );
    }
    return response;
  } catch (offline) {
    const kept = await cache.match(pageKey(url.pathname), MATCH);
    if (kept) return kept;
    return (await cache.match(SHELL_PAGE, MATCH)) || Response.error();
  }
}

// An article's data and published comments, kept for reading offline. A missing comments
// file is kept too (its 404 means "no comments yet").
async function keepArticleData(cache, slug) {
  for (const path of [`${BASE}/api/articles/${slug}.json`, `${BASE}/api/comments/${slug}.json`]) {
    try {
      const response = await fetch(path, KEEP);
      if (keepable(path, response)) await store(cache, path, response);
    } catch (offline) {
      // Gone already: the page is kept, and the app says what it cannot load.
    }
  }
}

function keepable(path, response) {
  return response.ok || (response.status === 404 && COMMENTS.test(path));
}

// Data: the network's answer, kept (after it is handed over, so the page never waits for
// the keeping) when its article's page is kept, or offline the kept one. (The app fetches
// articles it may show next: those are not kept until they are opened.)
async function networkFirst(event, path) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(event.request);
    if (keepable(path, response)) {
      const slug = articleOf(path);
      const page = slug && cache.match(`${BASE}/articles/${slug}`, MATCH);
      const copy = response.clone();
      event.waitUntil(
        Promise.resolve(page).then((kept) =>
          kept || !slug ? store(cache, path, copy) : copy.body && copy.body.cancel(),
        ),
      );
    }
    return response;
  } catch (offline) {
    return (await cache.match(path, MATCH)) || Response.error();
  }
}

// A photograph: the network's answer, kept (within the bound); offline, the kept one.
async function photo(event, path) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(event.request);
    if (response.ok) event.waitUntil(store(cache, path, response.clone()));
    return response;
  } catch (offline) {
    return (await cache.match(path, MATCH)) || Response.error();
  }
}

// This build's code and styles from the cache; another build's straight from the network,
// not kept.
async function cacheFirst(request, path) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, MATCH);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && SHELL.includes(path)) await store(cache, path, response.clone());
  return response;
}
