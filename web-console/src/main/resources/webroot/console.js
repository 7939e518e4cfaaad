// ptorrent console: reads /api/grid and /api/nodes every 2 s and renders them.
// Node names come from contributors, who are not trusted: text goes in with textContent, never innerHTML.
(function () {
  'use strict';

  var REFRESH_MS = 2000;
  var TIMEOUT_MS = 5000;

  function $(id) { return document.getElementById(id); }

  function fetchJson(path) {
    var ctrl = new AbortController();
    var timer = setTimeout(function () { ctrl.abort(); }, TIMEOUT_MS);
    return fetch(path, { cache: 'no-store', signal: ctrl.signal })
      .then(function (res) {
        return res.json().catch(function () { return null; }).then(function (body) {
          if (!res.ok) {
            var e = body && body.error;
            throw new Error(e ? e.code + ': ' + e.message : 'HTTP ' + res.status + ' from ' + path);
          }
          return body;
        });
      })
      .finally(function () { clearTimeout(timer); });
  }

  function fmtPu(v) {
    return typeof v === 'number' ? v.toLocaleString(undefined, { maximumFractionDigits: 2 }) : '–';
  }

  function setText(id, v) { $(id).textContent = v; }

  function renderGrid(g) {
    setText('harbor-name', g.harbor);
    setText('harbors', g.harbors);
    setText('contributors', g.contributors);
    setText('capacity-pu', fmtPu(g.capacityPu));
    setText('free-pu', fmtPu(g.freePu));
    setText('queued', g.queuedFragments);
    setText('running', g.runningFragments);
    setText('updated', new Date(g.updated).toLocaleTimeString());
  }

  function cell(row, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  function renderNodes(nodes) {
    var body = $('node-rows');
    var rows = document.createDocumentFragment();
    nodes.forEach(function (n) {
      var tr = document.createElement('tr');
      tr.className = 'node ' + n.role;
      tr.title = n.id;
      cell(tr, n.name);
      var badge = document.createElement('span');
      badge.className = 'role ' + (n.role === 'harbor' ? 'harbor' : 'contributor');
      badge.textContent = n.role;
      cell(tr, '').appendChild(badge);
      cell(tr, n.harbor);
      cell(tr, n.cores, 'num');
      cell(tr, n.sharedCores, 'num');
      // The harbor's measurement; a contributor has none until its first speed probe is back.
      var unmeasured = n.role !== 'harbor' && !(n.puPerCore > 0);
      cell(tr, unmeasured ? 'measuring…' : fmtPu(n.puPerCore), 'num');
      cell(tr, unmeasured ? '–' : fmtPu(n.puScore), 'num');
      cell(tr, fmtPu(n.claimedPuPerCore), 'num');
      cell(tr, n.runningFragments, 'num');
      rows.appendChild(tr);
    });
    if (nodes.length === 0) {
      var tr = document.createElement('tr');
      tr.className = 'empty';
      cell(tr, 'No nodes yet.').colSpan = 9;
      rows.appendChild(tr);
    }
    body.replaceChildren(rows);
    setText('node-count', '(' + nodes.length + ')');
  }

  function showBanner(message) {
    var b = $('banner');
    b.textContent = 'The console cannot reach the grid API: ' + message + '. Showing the last known state; retrying every 2 s.';
    b.hidden = false;
    document.querySelector('main').classList.add('stale');
  }

  function hideBanner() {
    $('banner').hidden = true;
    document.querySelector('main').classList.remove('stale');
  }

  function refresh() {
    Promise.all([fetchJson('api/grid'), fetchJson('api/nodes')])
      .then(function (r) {
        renderGrid(r[0]);
        renderNodes(r[1]);
        hideBanner();
      })
      .catch(function (e) {
        showBanner(e && e.name === 'AbortError' ? 'no answer within ' + TIMEOUT_MS / 1000 + ' s' : (e && e.message) || String(e));
      })
      // Chained rather than setInterval, so that a slow answer never piles requests up.
      .finally(function () { setTimeout(refresh, REFRESH_MS); });
  }

  refresh();
}());
