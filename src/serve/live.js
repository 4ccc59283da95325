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

  function showErrors(text) {
    let box = document.getElementById("folio-errors");
    if (!text) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "folio-errors";
      box.setAttribute("role", "alert");
      box.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,20,.94);color:#f5f5f5;font:14px/1.5 monospace";
      const title = document.createElement("strong");
      title.textContent = "The site does not build. Showing the last good version.";
      title.style.cssText = "display:block;color:#ff8080;font-size:16px;margin-bottom:1rem";
      box.append(title, document.createElement("pre"));
      document.body.append(box);
    }
    box.querySelector("pre").textContent = text;
  }

  if (script && script.dataset.errors) showErrors(script.dataset.errors);

  const events = new EventSource("/_folio/live");
  events.addEventListener("reload", (event) => {
    const changed = JSON.parse(event.data);
    showErrors("");
    if (changed === "*" || changed.includes(here)) reload();
  });
  events.addEventListener("build-error", (event) => showErrors(JSON.parse(event.data)));
})();
