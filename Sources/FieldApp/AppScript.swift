import WebUI

/// The app's only script, served as a file under the page's policy: while a sync or an update runs it asks for its
/// progress twice a second and updates the bar and the line, then reloads the page for the outcome. Without it the
/// page still works (a link reloads it).
enum AppScript {
    static let javascript = """
        "use strict";
        Array.prototype.forEach.call(document.querySelectorAll("[data-poll]"), function (box) {
          if (box.dataset.state !== "running") return;
          var bar = box.querySelector("progress"), line = box.querySelector("[role=status]");
          function poll() {
            fetch(box.dataset.poll, { credentials: "same-origin", cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
              if (!s.running) { window.location.replace("/sync"); return; }
              if (line) line.textContent = s.line;
              if (bar && typeof s.fraction === "number") { bar.max = 1; bar.value = s.fraction; }
              setTimeout(poll, 500);
            }).catch(function () { setTimeout(poll, 1500); });
          }
          setTimeout(poll, 300);
        });
        """

    /// A short fingerprint of the script, added to its address.
    static let version = PageHeaders.fingerprint(javascript)
}
