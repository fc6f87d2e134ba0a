/* berdaya offline reading: pages, photos and search files a reader opens are kept, and shown
   from the cache when the network fails or is slower than 4 s. Network first, so pages are
   fresh online. One cache, kept across versions (a reader's pages stay readable offline). */
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
  var r = e.request, nav = r.mode === 'navigate';
  if (r.method !== 'GET' || r.headers.has('range') || new URL(r.url).origin !== location.origin) return;
  /* Pages are kept without their query (?q=), so a search page reopens offline. */
  var kept = function () {
    return caches.match(r, { ignoreSearch: nav }).catch(function () { return undefined; });
  };
  var net = fetch(r).then(function (res) {
    if (res.status === 200 && res.type === 'basic') {
      var copy = res.clone();
      e.waitUntil(caches.open(C).then(function (c) { return c.put(r, copy); }).catch(function () {}));
    }
    return res;
  });
  e.respondWith(new Promise(function (done) {
    var slow = setTimeout(function () { kept().then(function (m) { if (m) done(m); }); }, 4000);
    net.then(function (res) {
      clearTimeout(slow);
      if (res.ok) return done(res);
      kept().then(function (m) { done(m || res); });
    }, function () {
      clearTimeout(slow);
      kept().then(function (m) {
        if (m || !nav) return m;
        return caches.match(new URL('./', self.registration.scope).href).catch(function () {});
      }).then(function (m) { done(m || Response.error()); });
    });
  }));
});
