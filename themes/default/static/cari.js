/* berdaya search: progressive enhancement of the search page. Loads index shards only for the
   words typed (see the README's Search section for the format); no request before typing. */
(function () {
  var f = document.getElementById('cari-form');
  if (!f || !window.fetch || !window.TextEncoder || location.protocol === 'file:') return;
  f.hidden = false;
  var d = f.dataset, q = f.querySelector('input'), out = document.getElementById('cari-hasil');
  /* The search page's folder, wherever the site is served from (a sub-path, a portable copy). */
  var path = d.path, here = new URL(f.getAttribute('action'), location.href).pathname.replace(/index\.html$/, '');
  var prefix = here.slice(0, here.length - path.length);
  var base = here + 'indeks/', keys = d.shards ? d.shards.split(' ') : [];
  var per = +d.perChunk, id = d.lang === 'id' || d.lang.indexOf('id-') === 0;
  var memo = {}, timer, run = 0;
  var STOP = ' dan yang di ke dari untuk dengan ini itu atau pada dalam tidak akan juga ada bisa agar karena sudah the and of to in a is for on it that with as are be or ';

  function get(name) {
    return memo[name] || (memo[name] = fetch(base + name + '?v=' + d.version).then(function (r) {
      if (!r.ok) throw r.status;
      return r.json();
    }).catch(function (e) { delete memo[name]; throw e; }));
  }
  function hex(s) {
    return Array.prototype.map.call(new TextEncoder().encode(s), function (b) {
      return (b < 16 ? '0' : '') + b.toString(16);
    }).join('');
  }
  function cut(w, a, end) {
    var r = end ? (w.slice(-a.length) === a ? w.slice(0, -a.length) : null)
                : (w.indexOf(a) === 0 ? w.slice(a.length) : null);
    return r && Array.from(r).length >= 4 ? r : null;
  }
  /* The same stems as the index (src/search/mod.rs). */
  function stems(w) {
    var out = [w], i, r;
    if (!id) return out;
    function add(s) { if (out.indexOf(s) < 0) out.push(s); }
    var parts = ['lah', 'kah', 'pun', 'nya', 'ku', 'mu'];
    for (i = 0; i < parts.length; i++) if ((r = cut(w, parts[i], 1))) { w = r; break; }
    var forms = [w], suf = ['kan', 'an', 'i'];
    for (i = 0; i < suf.length; i++) if ((r = cut(w, suf[i], 1))) { forms.push(r); break; }
    var nasal = [['meny', 's'], ['meng', 'k'], ['mem', 'p'], ['men', 't'],
                 ['peny', 's'], ['peng', 'k'], ['pem', 'p'], ['pen', 't']];
    var pre = ['ber', 'ter', 'per', 'me', 'pe', 'di', 'ke', 'se', 'be'];
    forms.forEach(function (f) {
      add(f);
      for (var k = 0; k < nasal.length; k++) {
        if ((r = cut(f, nasal[k][0]))) {
          add(r);
          if (/^[aeiou]/.test(r)) add(nasal[k][1] + r);
          return;
        }
      }
      for (k = 0; k < pre.length; k++) if ((r = cut(f, pre[k]))) { add(r); return; }
    });
    return out;
  }
  /* The shards holding terms equal to s, or (when whole) starting with s. */
  function shardsFor(s, whole) {
    return keys.filter(function (k) { return s.indexOf(k) === 0 || (whole && k.indexOf(s) === 0); });
  }
  /* Documents holding one word: terms equal to one of its stems, and, for words of 3 letters or
     more, terms starting with it (a 2-letter word would fetch most of the index). */
  function word(w) {
    var st = stems(w), names = {}, prefix = Array.from(w).length >= 3;
    st.forEach(function (s) {
      shardsFor(s, prefix && s === w).forEach(function (k) { names['t-' + hex(k) + '.json'] = 1; });
    });
    return Promise.all(Object.keys(names).map(get)).then(function (shards) {
      var score = {};
      shards.forEach(function (sh) {
        for (var t in sh) {
          if (!(prefix && t.indexOf(w) === 0) && st.indexOf(t) < 0) continue;
          var l = sh[t];
          for (var i = 0; i < l.length; i += 2) score[l[i]] = (score[l[i]] || 0) + l[i + 1];
        }
      });
      return score;
    });
  }
  function esc(s) {
    return s.replace(/[&<>"]/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  function say(text) { out.innerHTML = '<p>' + esc(text) + '</p>'; }
  function search(text) {
    var mine = ++run;
    /* Split as the index does (Unicode Alphabetic and Numeric), then lower-case. */
    var words = (text.match(/[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]+/gu) || []).map(function (w) {
      return w.toLowerCase();
    }).filter(function (w) {
      var n = Array.from(w).length;
      return n >= 2 && n <= 40 && STOP.indexOf(' ' + w + ' ') < 0;
    });
    if (!words.length) { out.innerHTML = ''; return; }
    Promise.all(words.map(word)).then(function (scores) {
      var total = {};
      Object.keys(scores[0]).forEach(function (doc) {
        var sum = 0;
        for (var i = 0; i < scores.length; i++) {
          if (!scores[i][doc]) return;
          sum += scores[i][doc];
        }
        total[doc] = sum;
      });
      var docs = Object.keys(total).sort(function (a, b) { return total[b] - total[a] || a - b; });
      var top = docs.slice(0, 20), chunks = {};
      top.forEach(function (n) { chunks[Math.floor(n / per)] = 1; });
      return Promise.all(Object.keys(chunks).map(function (c) {
        return get('d-' + c + '.json').then(function (rows) { chunks[c] = rows; });
      })).then(function () {
        if (mine !== run) return;
        if (!docs.length) return say(d.none);
        out.innerHTML = '<p>' + esc(d.count.replace('{n}', docs.length)) + '</p><ul class="cards">' +
          top.map(function (n) {
            var r = chunks[Math.floor(n / per)][n % per];
            return '<li><h2><a href="' + esc(prefix + r[0]) + '">' + esc(r[1]) + '</a></h2><p>' + esc(r[2]) + '</p></li>';
          }).join('') + '</ul>';
      });
    }).catch(function () { if (mine === run) say(d.failed); });
  }
  q.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(q.value); }, 150);
  });
  f.addEventListener('submit', function (e) { e.preventDefault(); search(q.value); });
  var start = new URLSearchParams(location.search).get('q');
  if (start) { q.value = start; search(start); }
})();
