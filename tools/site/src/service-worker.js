// My Garage's service worker, written by the build (tools/site) from this template:
// offline reading of the articles a reader has opened. Plain JavaScript, no framework.
//
// - The app's code and styles (hashed files) and the article page shell are cached when the
//   worker installs: what is already in the browser's cache is taken from there.
// - Pages, article data and comments are fetched from the network first, so a reader online
//   always gets the newest; each article page opened is kept, with its data and comments,
//   for when the network is gone.
// - Offline, a page never opened gets the article page shell, which the app turns into the
//   page for its address: an article then says the reader is offline and offers Retry.
// - Each build has its own cache (its name carries the build's version). A new build's
//   worker takes over at once and deletes the old caches, so old and new files never mix.

const VERSION = "__VERSION__";
const BASE = "__BASE__";
const SHELL = __SHELL__;
const SHELL_PAGE = `${BASE}/articles/404.html`;
const CACHE = `my-garage-${VERSION}`;
const HASHED = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/;
// One copy of each file is kept, whatever encoding it came in: the server's
// `Vary: Accept-Encoding` must not hide it (Firefox records the header it sent).
const MATCH = { ignoreVary: true };
// What the app asks to keep it has just shown: the copy in the browser's cache will do, so
// keeping costs no download (anything not there comes from the network).
const KEEP = { cache: "force-cache" };
const ARTICLE = new RegExp(`^${BASE.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/articles/([a-z0-9-]+)/?$`);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()),
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
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith(`${BASE}/`)) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(event));
  }
});

// The app asks to keep a page it shows (the first page the reader opened, before this
// worker was running, and every page reached within the app, which the browser never
// requests as a page): kept as a page request would keep it.
self.addEventListener("message", (event) => {
  if (typeof event.data === "string" && event.data.startsWith(`${BASE}/`)) {
    event.waitUntil(keepPage(event.data));
  }
});

// Keeps a response whole: its body is read to the end first, so a download cut short (the
// network going as it arrives) never replaces what was kept with a part of it.
async function store(cache, key, response) {
  try {
    const body = await response.arrayBuffer();
    // No page or data file of the site is empty: an empty body is a download that went
    // wrong (seen in Firefox, for a file requested twice at once), not one to keep.
    if (response.ok && body.byteLength === 0) return;
    const headers = new Headers(response.headers);
    // The body is already decoded: these described the bytes on the wire.
    headers.delete("content-encoding");
    headers.delete("content-length");
    await cache.put(key, new Response(body, { status: response.status, headers }));
  } catch (offline) {
    // Cut short: what was kept before stays.
  }
}

async function keepPage(path) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(path, KEEP);
    if (!response.ok) return;
    await store(cache, path, response);
    const article = ARTICLE.exec(path);
    if (article) await keepArticleData(cache, article[1]);
  } catch (offline) {
    // Gone already: kept the next time.
  }
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
        store(cache, url.pathname, response.clone()).then(
          () => article && keepArticleData(cache, article[1]),
        ),
      );
    }
    return response;
  } catch (offline) {
    const kept = await cache.match(url.pathname, MATCH);
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
      if (response.ok || response.status === 404) await store(cache, path, response);
    } catch (offline) {
      // Gone already: the page is kept, and the app says what it cannot load.
    }
  }
}

// Data: the network's answer, kept (after it is handed over, so the page never waits for
// the keeping), or offline the kept one.
async function networkFirst(event) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(event.request);
    if (response.ok || response.status === 404) {
      event.waitUntil(store(cache, event.request, response.clone()));
    }
    return response;
  } catch (offline) {
    return (await cache.match(event.request, MATCH)) || Response.error();
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, MATCH);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await store(cache, request, response.clone());
  return response;
}
