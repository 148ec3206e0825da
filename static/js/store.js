/* The outbox store: actions kept on this phone (IndexedDB) until the server has answered.
   Shared by the page and the service worker (it is part of both). Each record:
   {seq, id, type, at, data, person, state, result, queuedAt, shownAt}; `state` is
   "waiting", "login" (waits for the person to log in), "done" or "refused". */
(function (scope) {
  "use strict";
  var DB_NAME = "peerm";
  var STORE = "outbox";
  var VERSION = 1;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, VERSION);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, {keyPath: "seq", autoIncrement: true});
        store.createIndex("id", "id", {unique: true});
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  /* Run `work(store)` in one transaction; resolves with what `work` returns once committed.
     Nothing but IndexedDB may be awaited inside: the transaction would close. */
  function withStore(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () {
          db.close();
          resolve(result && "result" in result && result.readyState ? result.result : result);
        };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  scope.PeermStore = {
    add: function (record) {
      return withStore("readwrite", function (store) { return store.add(record); });
    },
    all: function () {
      return withStore("readonly", function (store) { return store.getAll(); });
    },
    put: function (record) {
      return withStore("readwrite", function (store) { return store.put(record); });
    },
    remove: function (seq) {
      return withStore("readwrite", function (store) { return store.delete(seq); });
    },
    pending: function (records) {
      return records.filter(function (r) { return r.state === "waiting" || r.state === "login"; });
    }
  };
})(self);
