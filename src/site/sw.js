/* berdaya offline reading: every page, photo and search file the reader opens is kept, and
   shown from the cache when there is no signal. Network first, so pages are fresh online. */
var C = 'berdaya', V = '{version}';
self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (e) {
  e.waitUntil(self.clients.claim().then(function () {
    return self.clients.matchAll();
  }).then(function (cs) {
    return caches.open(C).then(function (c) {
      return Promise.all(cs.map(function (x) { return c.add(x.url).catch(function () {}); }));
    });
  }));
});
self.addEventListener('fetch', function (e) {
  var r = e.request;
  if (r.method !== 'GET' || new URL(r.url).origin !== location.origin) return;
  e.respondWith(fetch(r).then(function (res) {
    if (res.ok && res.type === 'basic') {
      var copy = res.clone();
      caches.open(C).then(function (c) { c.put(r, copy); });
    }
    return res;
  }).catch(function () {
    return caches.match(r, { ignoreSearch: true }).then(function (m) {
      return m || caches.match(new URL('./', self.registration.scope).href) || Response.error();
    });
  }));
});
