/* The library in the page: "keep on this phone" for a document or a collection (a kind or a
   tag), kept copies brought up to date when there is signal, and searching the kept index
   without signal. Everything is kept in one cache of its own (the worker answers from it
   when a page is asked for offline); the pages are fetched without the session cookie, so a
   kept copy holds nothing personal and survives logging out. What is kept, and in which
   version, is a small JSON entry in the same cache: if the browser clears the cache, the
   record goes with it. Without JavaScript or the Cache API the buttons stay hidden. */
(function () {
  "use strict";
  var CACHE = "peerm-library";
  var RECORD = "/__peerm/library-kept";
  // Keeping stops with this much room (bytes) left on the phone, for the app's own data.
  var RESERVE_BYTES = 5 * 1024 * 1024;
  var MATCH = {ignoreVary: true};

  function lang() { return document.documentElement.lang || "nl"; }
  function indexUrl() { return "/library/index." + lang() + ".json"; }

  function labelsOf(element) {
    var holder = (element && element.closest("[data-labels]")) || document.querySelector("[data-labels]");
    try { return JSON.parse(holder.dataset.labels); } catch (e) { return {}; }
  }

  function fill(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  /* Work the tests (and the page) can wait for: see PeermWork in app.js. */
  function working(promise) {
    if (window.PeermWork) window.PeermWork.begin();
    return promise.then(function (value) {
      if (window.PeermWork) window.PeermWork.end();
      return value;
    }, function (error) {
      if (window.PeermWork) window.PeermWork.end();
      throw error;
    });
  }

  /* --- the record of what is kept -------------------------------------------------------- */

  function readRecord(cache) {
    return cache.match(RECORD).then(function (response) {
      return response ? response.json() : null;
    }).catch(function () { return null; }).then(function (record) {
      record = record || {};
      record.docs = record.docs || {};
      record.collections = record.collections || {};
      return record;
    });
  }

  function writeRecord(cache, record) {
    return cache.put(RECORD, new Response(JSON.stringify(record),
      {headers: {"Content-Type": "application/json"}}));
  }

  /* A page as any visitor sees it, in the page's language: nothing personal is kept. */
  function fetchPlain(url) {
    return fetch(url, {credentials: "omit", cache: "no-cache",
                       headers: {"Accept-Language": lang()}}).then(function (response) {
      if (!response.ok) throw new Error("not kept: " + url + " " + response.status);
      return response;
    });
  }

  function putAll(cache, urls) {
    // One by one: a cheap phone on a slow line should not open ten requests at once.
    return urls.reduce(function (done, url) {
      return done.then(function () {
        return fetchPlain(url).then(function (response) { return cache.put(url, response); });
      });
    }, Promise.resolve());
  }

  function enoughRoom() {
    if (!(navigator.storage && navigator.storage.estimate)) return Promise.resolve(true);
    return navigator.storage.estimate().then(function (estimate) {
      return !estimate.quota || estimate.quota - (estimate.usage || 0) > RESERVE_BYTES;
    }).catch(function () { return true; });
  }

  /* Keep documents ({id, revision, urls}) and the search index; with `collection`, also the
     collection's own page, remembered so that new documents in it are kept later. */
  function keep(docs, collection) {
    return working(enoughRoom().then(function (room) {
      if (!room) throw new DOMException("full", "QuotaExceededError");
      return caches.open(CACHE);
    }).then(function (cache) {
      var urls = [indexUrl(), "/library"];
      docs.forEach(function (doc) { urls = urls.concat(doc.urls); });
      if (collection) urls.push(collection.page);
      return putAll(cache, urls).then(function () {
        return readRecord(cache);
      }).then(function (record) {
        var now = Date.now();
        docs.forEach(function (doc) {
          record.docs[doc.id] = {revision: doc.revision, urls: doc.urls, lang: lang(), at: now};
        });
        if (collection) {
          record.collections[collection.name] = {page: collection.page, lang: lang(),
            ids: docs.map(function (doc) { return doc.id; })};
        }
        record.lang = lang();
        return writeRecord(cache, record).then(function () { return record; });
      });
    }));
  }

  function forget(id) {
    return working(caches.open(CACHE).then(function (cache) {
      return readRecord(cache).then(function (record) {
        var doc = record.docs[id];
        delete record.docs[id];
        Object.keys(record.collections).forEach(function (name) {
          var ids = record.collections[name].ids.filter(function (other) { return other !== id; });
          if (ids.length) record.collections[name].ids = ids;
          else delete record.collections[name];
        });
        var gone = doc ? doc.urls.map(function (url) { return cache.delete(url); }) : [];
        return Promise.all(gone).then(function () { return writeRecord(cache, record); })
          .then(function () { return record; });
      });
    }));
  }

  function keptIndex() {
    return caches.open(CACHE).then(function (cache) { return cache.match(indexUrl(), MATCH); })
      .then(function (response) { return response ? response.json() : null; })
      .catch(function () { return null; });
  }

  /* With signal: compare what is kept with the index; keep newer versions (and documents
     new in a kept collection, and everything anew after a change of language); forget what
     is no longer published. Returns {record, index, refreshed: [ids]}. */
  function refresh() {
    return working(caches.open(CACHE).then(function (cache) {
      return readRecord(cache).then(function (record) {
        if (!Object.keys(record.docs).length) return {record: record, index: null, refreshed: []};
        return fetch(indexUrl(), {cache: "no-cache", credentials: "omit"}).then(function (response) {
          if (!response.ok) throw new Error("no index");
          return response.clone().json().then(function (index) {
            return cache.put(indexUrl(), response).then(function () { return index; });
          });
        }).then(function (index) {
          var byId = {};
          index.documents.forEach(function (entry) { byId[entry.id] = entry; });
          var stale = [];
          var gone = [];
          Object.keys(record.docs).forEach(function (id) {
            var entry = byId[id];
            var kept = record.docs[id];
            if (!entry) gone.push(id);
            else if (entry.revision !== kept.revision || kept.lang !== lang()) stale.push(entry);
          });
          Object.keys(record.collections).forEach(function (name) {
            var parts = name.split(":");
            index.documents.forEach(function (entry) {
              var member = parts[0] === "kind" ? entry.kind === parts[1] : entry.tags.indexOf(parts[1]) >= 0;
              if (member && !record.docs[entry.id] && stale.indexOf(entry) < 0) stale.push(entry);
            });
          });
          var pages = Object.keys(record.collections).map(function (name) { return record.collections[name].page; });
          var urls = ["/library"].concat(pages);
          stale.forEach(function (entry) { urls = urls.concat(entry.urls); });
          var work = stale.length ? putAll(cache, urls) : Promise.resolve();
          return work.then(function () {
            stale.forEach(function (entry) {
              record.docs[entry.id] = {revision: entry.revision, urls: entry.urls, lang: lang(), at: Date.now()};
            });
            gone.forEach(function (id) { delete record.docs[id]; });
            record.lang = lang();
            return writeRecord(cache, record);
          }).then(function () {
            return {record: record, index: index, refreshed: stale.map(function (entry) { return entry.id; })};
          });
        });
      });
    }));
  }

  /* --- a document's page ------------------------------------------------------------------ */

  function say(box, text, stale) {
    var status = box.querySelector(".keep__status");
    if (status) status.textContent = text;
    box.classList.toggle("keep--stale", Boolean(stale));
  }

  function failed(box, labels, error) {
    say(box, error && error.name === "QuotaExceededError" ? labels.full : labels.failed, true);
  }

  function showDocument(box, record, index) {
    var labels = labelsOf(box);
    var doc = JSON.parse(box.dataset.keepDoc);
    var kept = record.docs[doc.id];
    box.querySelector("[data-action=forget-doc]").hidden = !kept;
    box.querySelector("[data-action=keep-doc]").hidden = Boolean(kept);
    if (!kept) return;
    var entry = index && index.documents.filter(function (e) { return e.id === doc.id; })[0];
    var newest = Math.max(doc.revision, entry ? entry.revision : 0);
    if (kept.revision < newest) {
      say(box, fill(navigator.onLine ? labels.stale : labels.staleOffline,
                    {kept: kept.revision, current: newest}), true);
    } else {
      say(box, fill(labels.kept, {revision: kept.revision}), false);
    }
  }

  function setUpDocument(box) {
    var labels = labelsOf(box);
    var doc = JSON.parse(box.dataset.keepDoc);
    box.hidden = false;
    box.querySelector("[data-action=keep-doc]").addEventListener("click", function () {
      say(box, labels.keeping);
      keep([doc]).then(function (record) { showDocument(box, record, null); })
        .catch(function (error) { failed(box, labels, error); });
    });
    box.querySelector("[data-action=forget-doc]").addEventListener("click", function () {
      forget(doc.id).then(function (record) {
        showDocument(box, record, null);
        say(box, labels.removed);
      }).catch(function (error) { failed(box, labels, error); });
    });
    var whole = box.querySelector("[data-action=keep-collection]");
    if (whole) setUpCollectionButton(box, whole, function (record) { showDocument(box, record, null); });
    var shown = caches.open(CACHE).then(readRecord);
    shown.then(function (record) {
      return keptIndex().then(function (index) { showDocument(box, record, index); });
    }).then(function () {
      if (!navigator.onLine) return;
      return refresh().then(function (result) {
        showDocument(box, result.record, result.index);
        if (result.refreshed.indexOf(doc.id) >= 0) {
          say(box, fill(labels.refreshed, {revision: result.record.docs[doc.id].revision}));
        }
      });
    }).catch(function () { /* nothing kept, or no signal: the page says what it knows */ });
  }

  /* --- collections ------------------------------------------------------------------------ */

  function setUpCollectionButton(box, button, after) {
    var labels = labelsOf(box);
    var collection = JSON.parse(box.dataset.keepCollection);
    button.addEventListener("click", function () {
      say(box, labels.keeping);
      keep(collection.docs, collection).then(function (record) {
        say(box, fill(labels.keptCollection, {count: collection.docs.length}));
        markCards(record);
        if (after) after(record);
      }).catch(function (error) { failed(box, labels, error); });
    });
  }

  function markCards(record) {
    var cards = document.querySelectorAll("[data-document]");
    for (var i = 0; i < cards.length; i++) {
      var mark = cards[i].querySelector(".kept-mark");
      if (mark) mark.hidden = !record.docs[cards[i].dataset.document];
    }
  }

  function setUpList() {
    var box = document.querySelector("#library-list [data-keep-collection]");
    if (box) {
      box.hidden = false;
      setUpCollectionButton(box, box.querySelector("[data-action=keep-collection]"));
    }
    if (!document.getElementById("library-list")) return;
    caches.open(CACHE).then(readRecord).then(markCards).catch(function () { /* nothing kept */ });
  }

  /* --- searching without signal ----------------------------------------------------------- */

  function matches(entry, kind, tag, words) {
    if (kind && entry.kind !== kind) return false;
    if (tag && entry.tags.indexOf(tag) < 0) return false;
    var text = [entry.title, entry.summary, entry.kindLabel, entry.tags.join(" "),
                entry.tagLabels.join(" "), entry.words].join(" ").toLowerCase();
    return words.every(function (word) { return text.indexOf(word) >= 0; });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function searchOffline(form) {
    var list = document.getElementById("library-list");
    var labels = labelsOf(list);
    var kind = form.elements.kind.value;
    var tag = form.elements.tag.value;
    var words = form.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    return working(Promise.all([keptIndex(), caches.open(CACHE).then(readRecord)]).then(function (found) {
      var index = found[0];
      var record = found[1];
      list.textContent = "";
      list.appendChild(element("p", "note", index ? labels.offlineSearch : labels.noIndex));
      if (!index) return;
      var hits = index.documents.filter(function (entry) { return matches(entry, kind, tag, words); });
      var count = element("p", "count", hits.length === 1 ? labels.foundOne : fill(labels.found, {count: hits.length}));
      count.setAttribute("role", "status");
      list.appendChild(count);
      if (!hits.length) {
        list.appendChild(element("p", "", labels.none));
        return;
      }
      var cards = element("ul", "cards library-cards");
      hits.forEach(function (entry) {
        var card = element("li", "card");
        card.dataset.document = entry.id;
        var title = element("h2", "card__title");
        var link = element("a", "", entry.title);
        link.href = entry.url;
        if (entry.lang !== lang()) link.lang = entry.lang;
        title.appendChild(link);
        card.appendChild(title);
        card.appendChild(element("p", "meta", entry.kindLabel));
        var summary = element("p", "", entry.summary);
        if (entry.lang !== lang()) summary.lang = entry.lang;
        card.appendChild(summary);
        var kept = Boolean(record.docs[entry.id]);
        card.appendChild(element("p", "kept-mark" + (kept ? "" : " kept-mark--missing"),
                                 kept ? labels.onPhone : labels.notOnPhone));
        cards.appendChild(card);
      });
      list.appendChild(cards);
    }));
  }

  function setUpSearch() {
    var form = document.getElementById("library-search");
    if (!form) return;
    // Without signal the form asks nothing of the server: htmx's request and the plain
    // submit both become a search of the kept index.
    form.addEventListener("htmx:beforeRequest", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      searchOffline(form);
    });
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      event.stopPropagation();
      searchOffline(form);
    }, true);
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "library-list") setUpList();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var printButton = document.querySelector("[data-action=print]");
    if (printButton) {
      printButton.hidden = false;
      printButton.addEventListener("click", function () { window.print(); });
    }
    if (!window.caches || !window.fetch) return;
    var box = document.querySelector("[data-keep-doc]");
    if (box) setUpDocument(box);
    setUpList();
    setUpSearch();
    if (!box && navigator.onLine && document.getElementById("library-list")) {
      refresh().then(function (result) { markCards(result.record); }).catch(function () { /* offline */ });
    }
  });
})();
