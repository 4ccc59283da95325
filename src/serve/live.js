// folio serve: live reload, patching the page in place, and the build error overlay. The
// server injects this into the HTML pages it serves; it is never part of the built site.
(() => {
  const script = document.currentScript;
  // As the server names pages: percent-encoded, as the browser keeps the path.
  const here = location.pathname.replace(/index\.html$/, "");
  const scrollKey = "folio-scroll:" + here;

  // A reload started by this script keeps the reader where they were.
  const savedScroll = sessionStorage.getItem(scrollKey);
  if (savedScroll !== null) {
    sessionStorage.removeItem(scrollKey);
    const restore = () => window.scrollTo(0, Number(savedScroll));
    restore();
    window.addEventListener("load", restore);
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  // The overlay: a dialog over the page with the errors and a close button (Escape closes
  // it too). Its look is live.css, which the server injects beside this script.
  let focusBefore = null;

  function closeErrors() {
    const box = document.getElementById("folio-errors");
    if (!box) return;
    box.remove();
    if (focusBefore && focusBefore.isConnected) focusBefore.focus();
    focusBefore = null;
  }

  function buildErrors() {
    const box = document.createElement("div");
    box.id = "folio-errors";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "folio-errors-title");
    const panel = document.createElement("div");
    panel.className = "folio-errors-panel";
    const head = document.createElement("div");
    head.className = "folio-errors-head";
    const title = document.createElement("h2");
    title.id = "folio-errors-title";
    title.className = "folio-errors-title";
    title.textContent = "The site does not build. Showing the last good version.";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "folio-errors-close";
    close.textContent = "Close";
    close.addEventListener("click", closeErrors);
    head.append(title, close);
    panel.append(head, document.createElement("pre"));
    box.append(panel);
    box.addEventListener("click", (event) => {
      if (event.target === box) closeErrors();
    });
    return box;
  }

  function showErrors(text) {
    if (!text) {
      closeErrors();
      return;
    }
    let box = document.getElementById("folio-errors");
    if (!box) {
      box = buildErrors();
      focusBefore = document.activeElement;
      document.body.append(box);
      box.querySelector(".folio-errors-close").focus();
    }
    box.querySelector("pre").textContent = text;
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeErrors();
  });

  if (script && script.dataset.errors) showErrors(script.dataset.errors);

  // Patching: the server sends the HTML this page was served with and its new HTML. Only
  // what differs between the two is changed here, in place, so the scroll position, open
  // <details> and menus, focus, and what scripts added (copy buttons) stay wherever the
  // server's HTML did not change. A change of <head> beyond the title reloads.
  const OWN = new Set(["folio-live", "folio-live-style", "folio-errors", "folio-live-again"]);
  const own = (node) => node.nodeType === Node.ELEMENT_NODE && OWN.has(node.id);
  const sameKind = (a, b) => a.nodeType === b.nodeType && a.nodeName === b.nodeName;

  function morphAttributes(live, was, now) {
    for (const { name, value } of now.attributes) {
      if (was.getAttribute(name) !== value) live.setAttribute(name, value);
    }
    for (const { name } of was.attributes) {
      if (!now.hasAttribute(name)) live.removeAttribute(name);
    }
  }

  function morph(live, was, now) {
    if (was.isEqualNode(now)) return;
    if (!sameKind(live, was) || !sameKind(was, now)) {
      live.replaceWith(document.importNode(now, true));
    } else if (now.nodeType !== Node.ELEMENT_NODE) {
      live.nodeValue = now.nodeValue;
    } else {
      morphAttributes(live, was, now);
      morphChildren(live, was, now);
    }
  }

  // The server puts its tags before </body>, which splits the blank text after them from
  // the blank text before: blank text at the end of <body> is left out of the pairing.
  const blank = (node) => node.nodeType === Node.TEXT_NODE && !node.nodeValue.trim();
  function kids(parent) {
    const list = [...parent.childNodes].filter((n) => !own(n));
    if (parent.nodeName === "BODY") while (list.length && blank(list.at(-1))) list.pop();
    return list;
  }

  function morphChildren(live, was, now) {
    const liveKids = kids(live);
    const wasKids = kids(was);
    const nowKids = kids(now);
    const end = live.querySelector(":scope > #folio-live-style, :scope > #folio-live");
    const add = (node) => live.insertBefore(document.importNode(node, true), end);
    if (liveKids.length !== wasKids.length) {
      liveKids.forEach((n) => n.remove());
      nowKids.forEach(add);
      return;
    }
    const shared = Math.min(wasKids.length, nowKids.length);
    for (let i = 0; i < shared; i++) morph(liveKids[i], wasKids[i], nowKids[i]);
    liveKids.slice(shared).forEach((n) => n.remove());
    nowKids.slice(shared).forEach(add);
  }

  function headWithoutTitle(doc) {
    const head = doc.head.cloneNode(true);
    head.querySelectorAll("title").forEach((t) => t.remove());
    return head;
  }

  // The built-in theme's code.js gives new code blocks their copy button (it skips
  // blocks that have one): run it again after a patch.
  function enhanceAgain() {
    const code = document.querySelector('script[src$="_folio/code.js"]');
    if (!code) return;
    const again = document.createElement("script");
    again.id = "folio-live-again";
    again.src = code.src;
    again.onload = () => again.remove();
    document.body.append(again);
  }

  function patch(data) {
    if (data.old === null) return false;
    const parser = new DOMParser();
    const was = parser.parseFromString(data.old, "text/html");
    const now = parser.parseFromString(data.new, "text/html");
    if (!headWithoutTitle(was).isEqualNode(headWithoutTitle(now))) return false;
    try {
      morphAttributes(document.documentElement, was.documentElement, now.documentElement);
      morph(document.body, was.body, now.body);
    } catch (error) {
      return false;
    }
    if (document.title !== now.title) document.title = now.title;
    enhanceAgain();
    return true;
  }

  // Whether the last `patch` event brought this page up to date: the `reload` event of
  // the same rebuild follows it, and then needs no reload here. A page whose stream was
  // cut (and opened again) may have missed a patch, so it no longer patches: it reloads.
  let patched = false;
  let opened = 0;
  const events = new EventSource("/_folio/live?page=" + encodeURIComponent(here));
  events.addEventListener("open", () => {
    opened += 1;
  });
  events.addEventListener("patch", (event) => {
    patched = opened === 1 && patch(JSON.parse(event.data));
  });
  events.addEventListener("reload", (event) => {
    const changed = JSON.parse(event.data);
    showErrors("");
    const mine = changed === "*" || changed.includes(here);
    if (mine && !patched) reload();
    patched = false;
  });
  events.addEventListener("build-error", (event) => showErrors(JSON.parse(event.data)));
})();
