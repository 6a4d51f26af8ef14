// parindex: the little JavaScript the pages use. Everything works without it except the
// live re-score of the self-assessment form, which calls the simulation endpoint.
"use strict";

function show(value, lang) {
  if (value === null || value === undefined) return "—";
  const text = String(value);
  return lang === "vi" ? text.replace(".", ",") : text;
}

function liveScore(form) {
  const url = form.dataset.simulate;
  const lang = form.dataset.lang || "vi";
  const csrf = form.querySelector('input[name="csrf"]').value;
  const live = document.getElementById("live");
  let timer = null;
  let sent = 0;
  const run = async () => {
    const ticket = ++sent;
    const status = live.querySelector('[data-k="status"]');
    status.textContent = "…";
    try {
      const body = new URLSearchParams(new FormData(form));
      const res = await fetch(url, {
        method: "POST",
        headers: { "X-CSRF-Token": csrf, "Accept": "application/json" },
        body: body,
        credentials: "same-origin",
      });
      const data = await res.json();
      if (ticket !== sent) return; // a newer request is on its way
      for (const span of form.querySelectorAll("span.error[data-for]")) span.textContent = "";
      if (!res.ok) {
        const labels = data.labels || {};
        const errors = data.errors || { "": data.error || res.status };
        for (const [k, v] of Object.entries(errors)) {
          const beside = k && form.querySelector(`span.error[data-for="${CSS.escape(k)}"]`);
          if (beside) beside.textContent = v;
        }
        status.textContent = Object.entries(errors)
          .map(([k, v]) => (k ? (labels[k] || k) + ": " : "") + v).join("; ");
        status.classList.add("error");
        return;
      }
      status.textContent = "";
      status.classList.remove("error");
      const s = data.summary;
      live.querySelector('[data-k="points"]').textContent = show(s.points, lang);
      live.querySelector('[data-k="max_points"]').textContent = show(s.max_points, lang);
      live.querySelector('[data-k="index"]').textContent = show(s.index, lang);
      live.querySelector('[data-k="class"]').textContent = (lang === "vi" ? s.class_vi : s.class_en) || "—";
      live.querySelector('[data-k="rank"]').textContent = s.rank === null ? "—" : s.rank;
      live.querySelector('[data-k="group_size"]').textContent = s.group_size;
      for (const out of form.querySelectorAll("output[data-leaf]")) {
        const v = data.leaves[out.dataset.leaf];
        out.textContent = v === undefined || v === null ? "" : show(v, lang);
      }
      const gaps = document.querySelector("#gaps tbody");
      if (gaps && data.gaps) {
        const rows = data.gaps.map((g) => {
          const tr = document.createElement("tr");
          const name = document.createElement("td");
          const b = document.createElement("b");
          b.textContent = g.node;
          name.append(b, " " + g.title);
          const cells = [name];
          for (const [text, cls] of [[show(g.points, lang).replaceAll(".", lang === "vi" ? "," : "."), "n"],
                                     [show(g.recoverable, lang), "n"], [g.why, "small"]]) {
            const td = document.createElement("td");
            td.className = cls;
            td.textContent = text;
            cells.push(td);
          }
          tr.append(...cells);
          return tr;
        });
        gaps.replaceChildren(...rows);
      }
      live.dataset.updated = String(ticket);
    } catch (err) {
      status.textContent = String(err);
    }
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(run, 250); };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
}

// Nothing typed is lost: a form with data-guard warns before the page is left with unsaved
// changes (the language switch included), and the live box says "chưa lưu" until saved. A
// form with data-keep also keeps what is typed in sessionStorage, so a save refused because
// the session expired comes back, after signing in again, with the values typed.
function guard(form) {
  let dirty = form.dataset.dirty === "1";
  const unsaved = document.querySelector('#live [data-k="unsaved"]');
  const keepKey = form.dataset.keep ? "parindex:" + form.dataset.keep : null;
  const mark = (on) => {
    dirty = on;
    if (unsaved && form.id === "answers") unsaved.hidden = !on;
  };
  const keep = () => {
    if (!keepKey) return;
    const values = {};
    for (const el of form.elements) {
      if (!el.name || el.type === "hidden") continue;
      values[el.name] = el.type === "checkbox" ? (el.checked ? "on" : "") : el.value;
    }
    try { sessionStorage.setItem(keepKey, JSON.stringify(values)); } catch (e) { /* full */ }
  };
  if (keepKey) {
    const note = new URLSearchParams(window.location.search).get("note");
    if (note === "saved" || note === "submitted") {
      sessionStorage.removeItem(keepKey);
    } else if (!dirty) {
      // the server shows the form as stored: put back what was typed and not saved
      const kept = sessionStorage.getItem(keepKey);
      if (kept) {
        let changed = false;
        for (const [name, value] of Object.entries(JSON.parse(kept))) {
          const el = form.elements.namedItem(name);
          if (!el || el.type === "hidden") continue;
          if (el.type === "checkbox") {
            if (el.checked !== (value === "on")) { el.checked = value === "on"; changed = true; }
          } else if (el.value !== value) { el.value = value; changed = true; }
        }
        if (changed) {
          mark(true);
          const note = document.createElement("p");
          note.className = "note";
          note.setAttribute("role", "status");
          note.textContent = form.dataset.restored || "";
          form.before(note);
          form.dispatchEvent(new Event("change"));
        }
      }
    }
  }
  mark(dirty);
  form.addEventListener("input", () => { mark(true); keep(); });
  form.addEventListener("change", () => { if (dirty) keep(); });
  form.addEventListener("submit", () => { keep(); dirty = false; });
  window.addEventListener("beforeunload", (e) => {
    if (!dirty) return;
    e.preventDefault();
    e.returnValue = form.dataset.guard;
    return form.dataset.guard;
  });
}

function filterTable(input) {
  const table = document.getElementById(input.dataset.filter);
  if (!table) return;
  input.addEventListener("input", () => {
    const q = input.value.trim().toLowerCase();
    for (const row of table.tBodies[0].rows) {
      row.hidden = q !== "" && !row.textContent.toLowerCase().includes(q);
    }
  });
}

// -- i16-browser: phone and keyboard
// The live score box sticks to the top of the window: its height goes to --live-h, so the
// tables' headers stick below it and a focused field scrolls clear of it (app.css).
function stickyRoom(live) {
  const set = () => document.documentElement.style.setProperty("--live-h", live.offsetHeight + "px");
  set();
  if (window.ResizeObserver) new ResizeObserver(set).observe(live);
}

// A table wider than the window scrolls in its own box (app.css); a keyboard user reaches
// and scrolls it only if it can take focus, so one that overflows gets a tab stop.
function scrollBoxes() {
  for (const table of document.querySelectorAll("main table")) {
    const scrolls = table.scrollWidth > table.clientWidth + 1;
    if (scrolls && !table.hasAttribute("tabindex")) {
      table.tabIndex = 0;
      table.dataset.scrollbox = "1";  // ours to take away again when the window widens
    } else if (!scrolls && table.dataset.scrollbox) {
      table.removeAttribute("tabindex");
      delete table.dataset.scrollbox;
    }
  }
}
// Each cell without a data-label takes its column's header text, which a table reflowed into
// cards on a phone shows above the cell (app.css).
function labelCells() {
  for (const table of document.querySelectorAll("main table")) {
    const head = table.tHead && table.tHead.rows[0];
    if (!head || [...head.cells].some((th) => th.colSpan > 1)) continue;
    const names = [...head.cells].map((th) => th.textContent.trim());
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        if ([...row.cells].some((td) => td.colSpan > 1)) continue;
        [...row.cells].forEach((td, i) => {
          if (!td.dataset.label && names[i]) td.dataset.label = names[i];
        });
      }
    }
  }
}
// -- end i16-browser

// A form refused by the server comes back as the answer to its post (…/answers): the page
// marks the form's own address (data-form-url), shown instead, so a reload reads the page
// (what was typed is kept by guard's sessionStorage) and never posts the form again.
function formAddress() {
  const marked = document.querySelector("[data-form-url]");
  if (marked && window.history.replaceState) {
    window.history.replaceState(null, "", marked.dataset.formUrl + window.location.hash);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  formAddress();
  const live = document.getElementById("live");
  if (live) stickyRoom(live);
  labelCells();
  scrollBoxes();
  window.addEventListener("resize", scrollBoxes);
  const form = document.getElementById("answers");
  if (form && form.dataset.simulate) liveScore(form);
  for (const f of document.querySelectorAll("form[data-guard]")) guard(f);
  for (const input of document.querySelectorAll("input[data-filter]")) filterTable(input);
  for (const f of document.querySelectorAll("form[data-confirm]")) {
    f.addEventListener("submit", (e) => { if (!window.confirm(f.dataset.confirm)) e.preventDefault(); });
  }
});
