// The page's two buttons (start after ?delay, restart after the session ended): a new
// session on the same address. No inline script, so the page's CSP allows only files
// from this server.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const id of ["start", "restart"]) {
    const button = document.getElementById(id);
    if (button) {
      button.addEventListener("click", () => {
        window.location.href = window.location.pathname;
      });
    }
  }
});
