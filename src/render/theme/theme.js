// folio built-in theme: the dark mode toggle in the header. Served at /_folio/theme.js.
// Pressed means dark. The choice is kept in localStorage (read before first paint by a
// line in base.html's <head>); a choice that matches the system setting is forgotten,
// so the site follows the system again.
(() => {
  const root = document.documentElement;
  const button = document.getElementById("theme-toggle");
  if (!button) return;
  const system = matchMedia("(prefers-color-scheme: dark)");
  const isDark = () => (root.dataset.theme ? root.dataset.theme === "dark" : system.matches);
  const show = () => button.setAttribute("aria-pressed", String(isDark()));
  button.addEventListener("click", () => {
    const wanted = isDark() ? "light" : "dark";
    root.dataset.theme = wanted;
    try {
      if ((wanted === "dark") === system.matches) localStorage.removeItem("folio-theme");
      else localStorage.setItem("folio-theme", wanted);
    } catch (e) {
      // Storage may be off (private windows): the choice then lasts for this page.
    }
    show();
  });
  system.addEventListener("change", show);
  show();
  button.hidden = false;
})();
