/* folio search: the header box and the search page, on Pagefind's search library
   (pagefind/pagefind.js, written by the build beside the index). Results keep to the
   reader's product and line, taken from the form, until "All versions and products" is
   ticked. Both UIs are plain GET forms to /search/ until this script takes them over. */
(function () {
  "use strict";

  // This file is ROOT/_folio/search.js, so the site root is one folder up.
  const siteRoot = new URL("..", document.currentScript.src);
  const DEBOUNCE_MS = 150;
  const BOX_RESULTS = 8;
  const PAGE_RESULTS = 50;
  const UNAVAILABLE = "Search is not available right now: its index could not be loaded.";
  let library = null;

  function pagefind() {
    if (library === null) {
      const index = new URL("pagefind/", siteRoot);
      library = import(new URL("pagefind.js", index).href).then(async (pf) => {
        await pf.options({ excerptLength: 24 });
        // A large site's index comes in parts (pagefind/part-N/), listed by the build.
        const parts = await fetch(new URL("folio-parts.json", index)).then((r) => (r.ok ? r.json() : []));
        for (const part of parts) {
          await pf.mergeIndex(new URL(part, index).href);
        }
        return pf;
      });
      library.catch(() => {
        library = null;
      });
    }
    return library;
  }

  // The scope a form asks for: its product and line, unless widened.
  function scopeOf(form) {
    const value = (name) => (form.elements[name] ? form.elements[name].value : "");
    const all = form.elements.all;
    return { product: value("product"), line: value("line"), all: Boolean(all && all.checked) };
  }

  function filtersOf(scope) {
    const filters = {};
    if (!scope.all && scope.product) {
      filters.product = scope.product;
      if (scope.line) filters.line = scope.line;
    }
    return filters;
  }

  async function find(query, scope, limit) {
    const pf = await pagefind();
    const response = await pf.search(query, { filters: filtersOf(scope) });
    const shown = response.results.slice(0, limit);
    return { total: response.results.length, items: await Promise.all(shown.map((r) => r.data())) };
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'" };

  // Pagefind marks the hits of an excerpt with <mark>; everything else is shown as text.
  function excerptNodes(excerpt) {
    return excerpt
      .split(/(<mark>[\s\S]*?<\/mark>)/)
      .filter((part) => part !== "")
      .map((part) => {
        const hit = /^<mark>([\s\S]*)<\/mark>$/.exec(part);
        const text = (hit ? hit[1] : part).replace(/&(amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITIES[e]);
        return hit ? element("mark", "", text) : document.createTextNode(text);
      });
  }

  function resultItem(data) {
    const meta = data.meta || {};
    const link = element("a", "search-result");
    link.href = data.url;
    link.append(element("span", "search-result-title", meta.title || data.url));
    if (meta.product_name) {
      const name = meta.line ? meta.product_name + " " + meta.line : meta.product_name;
      const version = element("span", "search-result-version", name);
      if (meta.status === "ended") version.append(" ", element("span", "search-result-ended", "ended"));
      if (meta.status === "preview") version.append(" ", element("span", "search-result-preview", "preview"));
      link.append(version);
    }
    const excerpt = element("span", "search-result-excerpt");
    excerpt.append(...excerptNodes(data.excerpt || ""));
    link.append(excerpt);
    const item = element("li", "search-result-item");
    item.append(link);
    return item;
  }

  function summary(total, query, scope) {
    const where = scope.all || !scope.product
      ? ""
      : " in " + scope.product + (scope.line ? " " + scope.line : "");
    if (total === 0) return "No results for \u201c" + query + "\u201d" + where + ".";
    return total + (total === 1 ? " result" : " results") + " for \u201c" + query + "\u201d" + where + ".";
  }

  // One search UI: runs the query as it is typed and shows the newest answer only.
  function searcher(form, status, list, limit, before) {
    let timer = 0;
    let sequence = 0;
    async function run() {
      const query = form.elements.q.value.trim();
      const scope = scopeOf(form);
      const mine = ++sequence;
      before(query, scope);
      if (!query) {
        list.replaceChildren();
        status.textContent = "";
        return;
      }
      try {
        const found = await find(query, scope, limit);
        if (mine !== sequence) return;
        // A reader may have arrowed into the results while this answer was on its way
        // (focusing the box runs the query again): keep the focus on the same place.
        const focused = Array.from(list.querySelectorAll("a")).indexOf(document.activeElement);
        list.replaceChildren(...found.items.map(resultItem));
        const links = list.querySelectorAll("a");
        if (focused >= 0 && links.length > 0) links[Math.min(focused, links.length - 1)].focus();
        status.textContent = summary(found.total, query, scope);
      } catch (error) {
        if (mine !== sequence) return;
        list.replaceChildren();
        status.textContent = UNAVAILABLE;
      }
    }
    form.elements.q.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    });
    if (form.elements.all) form.elements.all.addEventListener("change", run);
    return run;
  }

  // Arrow keys move between the input and the results; Escape closes.
  function arrowKeys(event, input, list, close) {
    const links = Array.from(list.querySelectorAll("a"));
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && links.length > 0) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : links[at - 1]).focus();
    } else if (event.key === "Escape" && close) {
      // The list closes and the words stay; a second Escape clears the box as usual.
      event.preventDefault();
      close();
      input.focus();
    }
  }

  function setupBox(form) {
    const input = form.elements.q;
    const panel = form.querySelector(".search-box-panel");
    const list = panel.querySelector(".search-results");
    const more = panel.querySelector(".search-more");
    function open(show) {
      panel.hidden = !show;
      input.setAttribute("aria-expanded", String(show));
    }
    const run = searcher(form, panel.querySelector(".search-status"), list, BOX_RESULTS, (query, scope) => {
      open(query !== "");
      more.href = addressOf(new URL(form.action).pathname, query, scope);
    });
    form.addEventListener("keydown", (event) => {
      // Down in the box opens the list again (after Escape, say), as a combobox does.
      if (event.key === "ArrowDown" && panel.hidden && input.value.trim() !== "") open(true);
      arrowKeys(event, input, list, panel.hidden ? null : () => open(false));
    });
    form.addEventListener("focusout", (event) => {
      // Focus that leaves the window (another window takes it), or goes with a result an
      // answer replaced, is not the reader leaving the box: the list stays.
      const away = !event.relatedTarget && (!document.hasFocus() || !event.target.isConnected);
      if (!away && !form.contains(event.relatedTarget)) open(false);
    });
    input.addEventListener("focus", () => {
      if (panel.hidden && input.value.trim() !== "") run();
    });
    input.addEventListener("focus", () => pagefind().catch(() => {}), { once: true });
  }

  function addressOf(path, query, scope) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (scope.product) params.set("product", scope.product);
    if (scope.line) params.set("line", scope.line);
    if (scope.all) params.set("all", "1");
    const search = params.toString();
    return search ? path + "?" + search : path;
  }

  function setupPage(root) {
    const form = root.querySelector("form");
    const params = new URLSearchParams(window.location.search);
    form.elements.q.value = params.get("q") || "";
    form.elements.product.value = params.get("product") || "";
    form.elements.line.value = params.get("line") || "";
    form.elements.all.checked = params.get("all") === "1";
    root.querySelector(".search-scope").hidden = form.elements.product.value === "";
    const list = root.querySelector(".search-results");
    const run = searcher(form, root.querySelector(".search-status"), list, PAGE_RESULTS, (query, scope) => {
      window.history.replaceState(null, "", addressOf(window.location.pathname, query, scope));
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      run();
    });
    form.addEventListener("keydown", (event) => arrowKeys(event, form.elements.q, list, null));
    if (form.elements.q.value.trim() !== "") run();
  }

  // "/" focuses the search (the page's own, else the header box) from anywhere but a field.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]")) return;
    const input = document.querySelector('[data-folio-search="page"] input[name="q"]')
      || document.querySelector('[data-folio-search="box"] input[name="q"]');
    if (input) {
      event.preventDefault();
      input.focus();
    }
  });

  document.querySelectorAll('form[data-folio-search="box"]').forEach(setupBox);
  document.querySelectorAll('[data-folio-search="page"]').forEach(setupPage);
})();
