// folio serve: live reload and the build error overlay. The server injects this into the
// HTML pages it serves; it is never part of the built site.
(() => {
  const script = document.currentScript;
  const here = decodeURI(location.pathname).replace(/index\.html$/, "");
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

  const events = new EventSource("/_folio/live");
  events.addEventListener("reload", (event) => {
    const changed = JSON.parse(event.data);
    showErrors("");
    if (changed === "*" || changed.includes(here)) reload();
  });
  events.addEventListener("build-error", (event) => showErrors(JSON.parse(event.data)));
})();
