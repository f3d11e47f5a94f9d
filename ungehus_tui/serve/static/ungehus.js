// Ungehus in the browser: point textual.js at this server's WebSocket (same origin, ws or
// wss as the page itself, under whatever path a reverse proxy serves it) and wire the
// "Start igen" button. No inline script: the Content-Security-Policy forbids it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var url = new URL("ws", window.location.href);
  url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
  url.search = "";
  url.hash = "";
  document.querySelectorAll(".textual-terminal").forEach(function (element) {
    element.dataset.sessionWebsocketUrl = url.href;
  });
  // Keys go to the app at once: focus the terminal as soon as textual.js has made it.
  var tries = 0;
  var focusTimer = window.setInterval(function () {
    var input = document.querySelector(".xterm-helper-textarea");
    tries += 1;
    if (input) {
      input.focus();
    }
    if (input || tries > 100) {
      window.clearInterval(focusTimer);
    }
  }, 50);
  document.querySelectorAll("button.restart").forEach(function (button) {
    button.addEventListener("click", function () {
      window.location.replace(new URL(".", window.location.href).href);
    });
  });
});
