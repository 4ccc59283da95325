// folio: a "Copy" button on every code block. The buttons are made here, so a reader
// without JavaScript sees none. Each is a real <button>: Tab reaches it, Enter and
// Space press it; it then says "Copied" (announced through aria-live) for two seconds.
(function () {
  "use strict";

  var RESET_MS = 2000;

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // The older copy command, on a selection of the code; on failure the code stays
  // selected, for the reader's own Ctrl+C.
  function copyBySelection(code) {
    selectText(code);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    if (!copied) {
      return Promise.reject(new Error("copy refused"));
    }
    window.getSelection().removeAllRanges();
    return Promise.resolve();
  }

  // The Clipboard API needs a secure context (https or localhost) and may be refused;
  // then the selection does the same.
  function copy(code) {
    var text = code.textContent.replace(/\n$/, "");
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return copyBySelection(code);
      });
    }
    return copyBySelection(code);
  }

  function say(button, words) {
    button.textContent = words;
    window.clearTimeout(button.folioReset);
    button.folioReset = window.setTimeout(function () {
      button.textContent = "Copy";
    }, RESET_MS);
  }

  function addButton(pre) {
    var code = pre.querySelector("code");
    if (!code || pre.parentNode.classList.contains("code-block")) {
      return;
    }
    var block = document.createElement("div");
    block.className = "code-block";
    pre.parentNode.insertBefore(block, pre);
    block.appendChild(pre);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = "Copy";
    button.setAttribute("aria-live", "polite");
    button.setAttribute("title", "Copy this code");
    button.addEventListener("click", function () {
      copy(code).then(
        function () { say(button, "Copied"); },
        function () { say(button, "Press Ctrl+C"); }
      );
    });
    block.appendChild(button);
  }

  function addButtons() {
    document.querySelectorAll("pre").forEach(addButton);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addButtons);
  } else {
    addButtons();
  }
})();
