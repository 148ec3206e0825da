/* The library in the page: "keep on this phone" for a document or a collection (a kind or a
   tag), kept copies brought up to date when there is signal, and searching the kept index
   without signal. Everything is kept in one cache of its own, which the worker answers from
   when a page is asked for offline. Pages are fetched without the session cookie, so a kept
   copy holds nothing personal and survives logging out. What is kept, in which version and
   language, is a small JSON record in the same cache: if the browser clears the cache, the
   record goes with it. Only the library's own pages load it (not the shared bundle).
   Without JavaScript or the Cache API the buttons stay hidden. */
(function () {
  "use strict";
  var CACHE = "peerm-library";
  var RECORD = "/__peerm/library-kept";
  var MATCH = {ignoreVary: true};
  var W = window.PeermWork;
  // This script, kept with the documents so that their pages work without signal.
  var SELF = new URL(document.currentScript.src).pathname;

  function lang() { return document.documentElement.lang; }
  function indexUrl() { return "/library/index." + lang() + ".json"; }
  function $(selector, within) { return (within || document).querySelector(selector); }

  function labels() {
    try { return JSON.parse($("[data-labels]").dataset.labels); } catch (e) { return {}; }
  }

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) { return values[name]; });
  }

  /* Work that tests (and the page) wait for: see PeermWork in app.js. */
  function working(promise) {
    W.begin();
    return promise.then(function (value) { W.end(); return value; },
                        function (error) { W.end(); throw error; });
  }

  function open() { return caches.open(CACHE); }

  function readRecord(cache) {
    return cache.match(RECORD).then(function (r) { return r && r.json(); })
      .catch(function () { return null; }).then(function (record) {
        return record || {docs: {}, collections: {}};
      });
  }

  function writeRecord(cache, record) {
    return cache.put(RECORD, new Response(JSON.stringify(record))).then(function () { return record; });
  }

  /* A page as any visitor sees it, in the page's language, one after the other (a cheap phone
     on a slow line should not open ten requests at once). */
  function putAll(cache, urls) {
    return urls.reduce(function (done, url) {
      return done.then(function () {
        return fetch(url, {credentials: "omit", cache: "no-cache",
                           headers: {"Accept-Language": lang()}}).then(function (response) {
          if (!response.ok) throw new Error(url);
          return cache.put(url, response);
        });
      });
    }, Promise.resolve());
  }

  function remember(record, doc) {
    record.docs[doc.id] = {revision: doc.revision, urls: doc.urls, lang: lang()};
  }

  /* Keep documents ({id, revision, urls}) and the search index; with `collection`, also the
     collection's page, remembered so that documents new in it are kept later. A full phone
     refuses (QuotaExceededError) and the page says so. */
  function keep(docs, collection) {
    return working(open().then(function (cache) {
      var urls = [indexUrl(), "/library", SELF];
      docs.forEach(function (doc) { urls = urls.concat(doc.urls); });
      if (collection) urls.push(collection.page);
      return putAll(cache, urls).then(function () { return readRecord(cache); }).then(function (record) {
        docs.forEach(function (doc) { remember(record, doc); });
        if (collection) record.collections[collection.name] = collection.page;
        return writeRecord(cache, record);
      });
    }));
  }

  function forget(id) {
    return working(open().then(function (cache) {
      return readRecord(cache).then(function (record) {
        var urls = record.docs[id] ? record.docs[id].urls : [];
        delete record.docs[id];
        return Promise.all(urls.map(function (url) { return cache.delete(url); }))
          .then(function () { return writeRecord(cache, record); });
      });
    }));
  }

  function keptIndex() {
    return open().then(function (cache) { return cache.match(indexUrl(), MATCH); })
      .then(function (r) { return r && r.json(); }).catch(function () { return null; });
  }

  /* With signal: compare what is kept with a fresh index; keep newer versions, documents new
     in a kept collection, and everything anew after a change of language; forget what is no
     longer published. Resolves with {record, index, refreshed: [ids]}. */
  function refresh() {
    return working(open().then(function (cache) {
      return readRecord(cache).then(function (record) {
        if (!Object.keys(record.docs).length) return {record: record, refreshed: []};
        return fetch(indexUrl(), {cache: "no-cache", credentials: "omit"}).then(function (response) {
          return cache.put(indexUrl(), response.clone()).then(function () { return response.json(); });
        }).then(function (index) {
          var fresh = [];
          var listed = {};
          var pages = Object.keys(record.collections).map(function (name) { return record.collections[name]; });
          index.documents.forEach(function (entry) {
            var kept = record.docs[entry.id];
            listed[entry.id] = true;
            var inCollection = Object.keys(record.collections).some(function (name) {
              var part = name.split(":");
              return part[0] === "kind" ? entry.kind === part[1] : entry.tags.indexOf(part[1]) >= 0;
            });
            if (kept ? kept.revision !== entry.revision || kept.lang !== lang() : inCollection) {
              fresh.push(entry);
            }
          });
          Object.keys(record.docs).forEach(function (id) { if (!listed[id]) delete record.docs[id]; });
          var urls = fresh.length ? ["/library"].concat(pages) : [];
          fresh.forEach(function (entry) { urls = urls.concat(entry.urls); });
          return putAll(cache, urls).then(function () {
            fresh.forEach(function (entry) { remember(record, entry); });
            return writeRecord(cache, record);
          }).then(function () {
            return {record: record, index: index, refreshed: fresh.map(function (e) { return e.id; })};
          });
        });
      });
    }));
  }

  /* --- a document's page and the collections ---------------------------------------------- */

  function say(box, text, warn) {
    $(".keep__status", box).textContent = text;
    box.classList.toggle("keep--stale", Boolean(warn));
  }

  function failed(box) {
    return function (error) {
      var words = labels();
      say(box, error && error.name === "QuotaExceededError" ? words.full : words.failed, true);
    };
  }

  function showDocument(box, record, index) {
    var words = labels();
    var doc = JSON.parse(box.dataset.keepDoc);
    var kept = record.docs[doc.id];
    $("[data-action=forget-doc]", box).hidden = !kept;
    $("[data-action=keep-doc]", box).hidden = Boolean(kept);
    if (!kept) return;
    var newest = doc.revision;
    ((index && index.documents) || []).forEach(function (e) {
      if (e.id === doc.id) newest = Math.max(newest, e.revision);
    });
    if (kept.revision < newest) {
      say(box, fill(navigator.onLine ? words.stale : words.staleOffline,
                    {kept: kept.revision, current: newest}), true);
    } else {
      say(box, fill(words.kept, {revision: kept.revision}));
    }
  }

  function setUpDocument(box) {
    var words = labels();
    var doc = JSON.parse(box.dataset.keepDoc);
    var show = function (record) { showDocument(box, record); };
    box.hidden = false;
    $("[data-action=keep-doc]", box).onclick = function () {
      say(box, words.keeping);
      keep([doc]).then(show, failed(box));
    };
    $("[data-action=forget-doc]", box).onclick = function () {
      forget(doc.id).then(function (record) { show(record); say(box, words.removed); }, failed(box));
    };
    setUpCollection(box, show);
    open().then(readRecord).then(function (record) {
      return keptIndex().then(function (index) { showDocument(box, record, index); });
    }).then(function () {
      if (!navigator.onLine) return;
      return refresh().then(function (result) {
        showDocument(box, result.record, result.index);
        if (result.refreshed.indexOf(doc.id) >= 0) {
          say(box, fill(words.refreshed, {revision: result.record.docs[doc.id].revision}));
        }
      });
    }).catch(function () { /* no signal: the page says what it knows */ });
  }

  function setUpCollection(box, after) {
    var button = $("[data-action=keep-collection]", box);
    if (!button || !box.dataset.keepCollection) return;
    var collection = JSON.parse(box.dataset.keepCollection);
    box.hidden = false;
    button.onclick = function () {
      say(box, labels().keeping);
      keep(collection.docs, collection).then(function (record) {
        say(box, fill(labels().keptCollection, {count: collection.docs.length}));
        markCards(record);
        if (after) after(record);
      }, failed(box));
    };
  }

  function markCards(record) {
    var cards = document.querySelectorAll("[data-document]");
    for (var i = 0; i < cards.length; i++) {
      var mark = $(".kept-mark", cards[i]);
      if (mark) mark.hidden = !record.docs[cards[i].dataset.document];
    }
  }

  function setUpList() {
    var box = $("#library-list [data-keep-collection]");
    if (box) setUpCollection(box);
    open().then(readRecord).then(markCards);
  }

  /* --- searching without signal ----------------------------------------------------------- */

  function element(tag, className, text, language) {
    var node = document.createElement(tag);
    node.className = className;
    node.textContent = text;
    if (language && language !== lang()) node.lang = language;
    return node;
  }

  function searchOffline(form) {
    var list = $("#library-list");
    var words = labels();
    var kind = form.elements.kind.value;
    var tag = form.elements.tag.value;
    var needles = form.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    return working(Promise.all([keptIndex(), open().then(readRecord)]).then(function (found) {
      var index = found[0];
      list.textContent = "";
      list.appendChild(element("p", "note", index ? words.offlineSearch : words.noIndex));
      if (!index) return;
      var hits = index.documents.filter(function (e) {
        var text = [e.title, e.summary, e.kindLabel, e.tags.join(" "), e.tagLabels.join(" "),
                    e.words].join(" ").toLowerCase();
        return (!kind || e.kind === kind) && (!tag || e.tags.indexOf(tag) >= 0) &&
          needles.every(function (needle) { return text.indexOf(needle) >= 0; });
      });
      var count = element("p", "count", hits.length === 1 ? words.foundOne : fill(words.found, {count: hits.length}));
      count.setAttribute("role", "status");
      list.appendChild(count);
      if (!hits.length) list.appendChild(element("p", "", words.none));
      var cards = element("ul", "cards library-cards", "");
      hits.forEach(function (e) {
        var kept = found[1].docs[e.id];
        var card = element("li", "card", "");
        var title = card.appendChild(element("h2", "card__title", ""));
        title.appendChild(element("a", "", e.title, e.lang)).href = e.url;
        card.appendChild(element("p", "meta", e.kindLabel));
        card.appendChild(element("p", "", e.summary, e.lang));
        card.appendChild(element("p", kept ? "kept-mark" : "kept-mark kept-mark--missing",
                                 kept ? words.onPhone : words.notOnPhone));
        cards.appendChild(card);
      });
      list.appendChild(cards);
    }));
  }

  /* Without signal the search form asks nothing of the server: htmx's request and the plain
     submit both become a search of the kept index. */
  function offline(form) {
    return function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      searchOffline(form);
    };
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "library-list") setUpList();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var print = $("[data-action=print]");
    if (print) {
      print.hidden = false;
      print.onclick = function () { window.print(); };
    }
    var list = $("#library-list");
    var box = $("[data-keep-doc]");
    if (!window.caches || !(list || box)) return;
    if (box) setUpDocument(box);
    if (!list) return;
    setUpList();
    var form = $("#library-search");
    form.addEventListener("htmx:beforeRequest", offline(form));
    form.addEventListener("submit", offline(form), true);
    if (navigator.onLine) refresh().then(function (result) { markCards(result.record); }).catch(function () {});
  });
})();
