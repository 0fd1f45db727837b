// reportnlp review: keyboard navigation, evidence highlighting, corrections.
// Document text is never put into innerHTML: only textContent and attributes.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var who = document.getElementById("reviewer");
  if (who) {
    var saved = localStorage.getItem("reportnlp.reviewer");
    if (saved) who.value = saved;
    who.addEventListener("change", function () { localStorage.setItem("reportnlp.reviewer", who.value.trim()); });
  }

  function toast(msg, bad) {
    var t = document.getElementById("toast");
    if (!t) return;
    t.textContent = msg;
    t.className = "show" + (bad ? " bad" : "");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { t.className = ""; }, bad ? 6000 : 2000);
  }

  function typing(e) {
    var el = e.target;
    return el && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA" || el.isContentEditable);
  }

  // --- corpus page ---------------------------------------------------------------------
  var table = document.getElementById("reports");
  if (table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tr.row"));
    var cur = -1;
    var select = function (i) {
      if (!rows.length) return;
      cur = Math.max(0, Math.min(rows.length - 1, i));
      rows.forEach(function (r, j) { r.classList.toggle("selected", j === cur); });
      rows[cur].focus({ preventScroll: true });
      rows[cur].scrollIntoView({ block: "nearest" });
      sessionStorage.setItem("reportnlp.cursor", rows[cur].dataset.name);
    };
    var last = sessionStorage.getItem("reportnlp.cursor");
    rows.forEach(function (r, j) {
      if (r.dataset.name === last) cur = j;
      r.addEventListener("click", function (e) {
        if (e.target.tagName !== "A") location.href = r.dataset.href;
      });
    });
    select(cur < 0 ? 0 : cur);
    document.addEventListener("keydown", function (e) {
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "j") { select(cur + 1); e.preventDefault(); }
      else if (e.key === "k") { select(cur - 1); e.preventDefault(); }
      else if (e.key === "Enter" && cur >= 0) { location.href = rows[cur].dataset.href; }
      else if (e.key === "n") {
        for (var k = 1; k <= rows.length; k++) {
          var r = rows[(cur + k) % rows.length];
          if (r.dataset.status !== "reviewed") { select((cur + k) % rows.length); return; }
        }
        toast("no unreviewed report in this list");
      } else if (e.key === "/") {
        var q = document.querySelector('input[name="q"]');
        if (q) { q.focus(); e.preventDefault(); }
      }
    });
  }

  // --- report page ---------------------------------------------------------------------
  var report = document.getElementById("report");
  if (!report) return;
  var name = report.dataset.name;
  sessionStorage.setItem("reportnlp.cursor", name); // back on the corpus, the cursor is on this report
  var evData = {};
  try { evData = JSON.parse(document.getElementById("evidence").textContent); } catch (err) { evData = {}; }
  var textEl = document.getElementById("text");
  var pop = document.getElementById("popover");

  function marksFor(id) {
    return Array.prototype.filter.call(textEl.querySelectorAll("mark.ev"), function (m) {
      return (" " + m.dataset.ids + " ").indexOf(" " + id + " ") >= 0;
    });
  }
  function flash(els) {
    els.forEach(function (el) {
      el.classList.remove("flash");
      void el.offsetWidth; // restart the animation
      el.classList.add("flash");
    });
    setTimeout(function () { els.forEach(function (el) { el.classList.remove("flash"); }); }, 1600);
  }
  function showEvidence(id) {
    var ms = marksFor(id);
    textEl.querySelectorAll("mark.current").forEach(function (m) { m.classList.remove("current"); });
    if (!ms.length) { toast("no evidence span for this value"); return; }
    ms.forEach(function (m) { m.classList.add("current"); });
    ms[0].scrollIntoView({ block: "center", behavior: "smooth" });
    flash(ms);
  }
  function scrollToOffset(off) {
    var best = null;
    textEl.querySelectorAll("[data-s]").forEach(function (el) {
      if (+el.dataset.s <= off) best = el;
    });
    if (best) { best.scrollIntoView({ block: "start", behavior: "smooth" }); flash([best]); }
  }

  // a failed check -> the values it is about: table rules to their table, narrative rules to the quantities
  var CHECK_TARGET = { T2: ".table2", T3: ".table3", T4: ".table4", N: ".quantities", X: ".table3" };
  function showCheck(rule) {
    var box = document.querySelector(".fields " + (CHECK_TARGET[rule.split("-")[0]] || ".checks"));
    if (!box) return;
    box.scrollIntoView({ block: "start", behavior: "smooth" });
    var cells = box.querySelectorAll("input.cell.failed");
    flash(cells.length ? Array.prototype.slice.call(cells) : [box]);
  }

  // field -> evidence
  report.addEventListener("focusin", function (e) {
    var f = e.target.closest("[data-ev]");
    if (f && e.target.matches("input, select")) showEvidence(e.target.dataset.ev || f.dataset.ev);
  });
  report.addEventListener("click", function (e) {
    var goto = e.target.closest("a.goto");
    if (goto) { e.preventDefault(); scrollToOffset(+goto.dataset.offset); return; }
    if (e.target.closest("input, select, button")) return;
    var chk = e.target.closest("li[data-rule]");
    if (chk) { showCheck(chk.dataset.rule); return; }
    var mark = e.target.closest("mark.ev");
    if (mark) { openPopover(mark, e); return; }
    if (!e.target.closest("#popover")) pop.hidden = true;
    var f = e.target.closest(".fields [data-ev]");
    if (f) showEvidence(f.dataset.ev);
  });

  // evidence -> fields
  function openPopover(mark, e) {
    pop.textContent = "";
    var head = document.createElement("div");
    head.className = "pop-head";
    head.textContent = "extracted from “" + mark.textContent.slice(0, 60) + "”";
    pop.appendChild(head);
    mark.dataset.ids.split(" ").forEach(function (id) {
      var it = evData[id];
      if (!it) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "pop-item";
      b.textContent = it.label + (it.page ? "  (p." + it.page + ")" : "");
      b.addEventListener("click", function () {
        pop.hidden = true;
        var target = document.querySelector('.fields [data-ev="' + CSS.escape(id) + '"]');
        if (target) { target.scrollIntoView({ block: "center", behavior: "smooth" }); flash([target]); }
      });
      pop.appendChild(b);
    });
    var r = mark.getBoundingClientRect(), box = textEl.parentNode.getBoundingClientRect();
    pop.style.top = (r.bottom - box.top + textEl.parentNode.scrollTop + 4) + "px";
    pop.style.left = Math.max(0, r.left - box.left) + "px";
    pop.hidden = false;
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") pop.hidden = true;
  });

  // --- saving corrections --------------------------------------------------------------
  function post(corrections) {
    return fetch("/report/" + encodeURIComponent(name) + "/corrections", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
      body: JSON.stringify({ corrections: corrections, reviewer: who ? who.value.trim() : "" })
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (!resp.ok) {
          var msg = (data.error && data.error.message) || ("HTTP " + resp.status);
          throw new Error(msg);
        }
        return data;
      });
    });
  }
  function expectOf(el) {
    var old = el.dataset.old;
    if (el.dataset.kind === "text") return old === "" && el.tagName === "SELECT" ? null : old;
    if (old === "") return null;
    var n = Number(old);
    return isNaN(n) ? old : n;
  }
  function renderChecks(data) {
    var ul = document.getElementById("failed-checks");
    if (!ul || !data.failed) return;
    ul.textContent = "";
    if (!data.failed.length) {
      var ok = document.createElement("li"); ok.className = "ok"; ok.textContent = "all checks pass"; ul.appendChild(ok);
    }
    data.failed.forEach(function (c) {
      var li = document.createElement("li");
      li.className = "check-failed " + (c.severity || "hard");
      li.dataset.rule = c.rule || "";
      var b = document.createElement("b"); b.className = "rule"; b.textContent = c.rule;
      var m = document.createElement("span"); m.className = "msg"; m.textContent = " " + (c.message || "") + " ";
      var ea = document.createElement("span"); ea.className = "ea";
      ea.textContent = "expected " + (c.expected == null ? "—" : c.expected) + ", actual " + (c.actual == null ? "—" : c.actual);
      li.appendChild(b); li.appendChild(m); li.appendChild(ea); ul.appendChild(li);
    });
    var pc = document.getElementById("passed-count");
    if (pc) pc.textContent = data.passed + " passed";
  }
  function renderStatus(info) {
    var s = document.getElementById("status");
    if (s && info) { s.textContent = info.status.replace("_", " "); s.className = "badge " + info.status; }
  }
  function save(el) {
    var value = el.value;
    if (value === el.dataset.old || value === el.dataset.rejected || el.dataset.busy) return;
    el.dataset.busy = "1";
    var c = { op: "set", path: el.dataset.path, new: value === "" ? null : value, expect: expectOf(el) };
    if (el.dataset.kind === "text" && el.tagName === "INPUT") c.new = value;
    el.classList.add("saving");
    post([c]).then(function (data) {
      el.dataset.old = value;
      el.classList.remove("failed");
      el.classList.add("corrected");
      renderChecks(data);
      renderStatus(data.review);
      toast("saved " + el.dataset.path);
      delete el.dataset.rejected;
      el.classList.remove("error");
    }).catch(function (err) {
      toast(err.message, true);
      el.classList.add("error");
      el.dataset.rejected = value; // leaving the field does not send the same refused value again
    }).then(function () {
      el.classList.remove("saving");
      delete el.dataset.busy;
    });
  }
  report.querySelectorAll("input[data-path], select[data-path]").forEach(function (el) {
    el.addEventListener("change", function () { save(el); });
    if (el.tagName === "INPUT") {
      el.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); save(el); }
        else if (e.key === "Escape") { el.value = el.dataset.old; el.blur(); }
      });
    }
  });

  report.querySelectorAll(".remove-outlet").forEach(function (b) {
    b.addEventListener("click", function () {
      post([{ op: "remove", path: b.dataset.path, expect: b.dataset.name }])
        .then(function () { location.reload(); })
        .catch(function (err) { toast(err.message, true); });
    });
  });
  var addForm = document.getElementById("add-outlet");
  if (addForm) addForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = document.getElementById("outlet-name").value.trim();
    if (!v) return;
    post([{ op: "add", path: "media_outlets", new: { name: v } }])
      .then(function () { location.reload(); })
      .catch(function (err) { toast(err.message, true); });
  });
  report.querySelectorAll(".status-btn").forEach(function (b) {
    b.addEventListener("click", function () {
      post([{ op: "status", path: "", new: b.dataset.status }])
        .then(function () { location.reload(); })
        .catch(function (err) { toast(err.message, true); });
    });
  });

  // keys: j/k next/previous report, n next unreviewed
  document.addEventListener("keydown", function (e) {
    if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    var go = function (id) { var a = document.getElementById(id); if (a) location.href = a.href; };
    if (e.key === "j") go("next");
    else if (e.key === "k") go("prev");
    else if (e.key === "n") go("next-unreviewed");
  });
})();
