// The status page: polls this agent's JSON endpoints every second and redraws. No libraries, no
// network beyond this agent. Mutating buttons ask for the admin token and send it as a Bearer token.
"use strict";

const $ = (sel) => document.querySelector(sel);

async function getJson(path) {
  try {
    const r = await fetch(path, { cache: "no-store" });
    if (!r.ok) return null;
    return await r.json();
  } catch (e) {
    return null;
  }
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
  return e;
}

function bytes(n) {
  if (n == null) return "–";
  if (n < 1024) return n + " B";
  if (n < 1048576) return (n / 1024).toFixed(1) + " kB";
  return (n / 1048576).toFixed(1) + " MB";
}

function age(ms) {
  if (ms == null || isNaN(ms)) return "–";
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return s + " s ago";
  if (s < 7200) return Math.round(s / 60) + " min ago";
  return Math.round(s / 3600) + " h ago";
}

function verdictCell(v) {
  if (!v) return el("span", { class: "word down" }, "?");
  const word = v.word === "weight" ? v.weight + "%" : v.word;
  const cls = v.word === "weight" ? "weight" : v.word;
  return el("span", {}, el("span", { class: "word " + cls, title: v.reason || "" }, word),
    el("span", { class: "reason" }, v.reason || ""));
}

function lagBar(lagBytes) {
  const soft = 16 * 1048576;
  const pct = lagBytes == null ? 0 : Math.min(100, Math.round((lagBytes / soft) * 100));
  const cls = pct >= 100 ? "bar bad" : pct >= 25 ? "bar warn" : "bar";
  const bar = el("div", { class: cls, title: bytes(lagBytes) }, el("span", { style: "width:" + pct + "%" }));
  return el("span", {}, bar, el("span", { class: "reason" }, bytes(lagBytes)));
}

function renderMembers(view) {
  const body = $("#members tbody");
  body.replaceChildren();
  if (!view) {
    $("#view-note").textContent = "No cluster view from this agent (gossip off or etcd unreadable).";
    return;
  }
  $("#scope").textContent = view.scope || "";
  const names = new Set([...Object.keys(view.members || {}), ...Object.keys(view.agents || {})]);
  const now = Date.now();
  for (const name of [...names].sort()) {
    const m = (view.members || {})[name] || {};
    const a = (view.agents || {})[name] || {};
    const v = a.verdicts || {};
    const backup = a.backup && (a.backup.lastGoodAt || a.backup.lastGood || a.backup.newestGoodAt);
    const drift = a.drift ? (a.drift.reason || a.drift.state || JSON.stringify(a.drift)) : "–";
    const leader = view.leader === name;
    const tr = el("tr", { class: leader ? "leader" : "", "data-member": name },
      el("td", { "data-label": "member" }, name),
      el("td", { "data-label": "role", class: "role" }, leader ? "leader" : (m.role || a.role || "–")),
      el("td", { "data-label": "state" }, m.state || a.state || "–"),
      el("td", { "data-label": "TL" }, m.timeline != null ? m.timeline : (a.timeline != null ? a.timeline : "–")),
      el("td", { "data-label": "lag" }, leader ? "–" : lagBar(a.lagBytes)),
      el("td", { "data-label": "primary" }, verdictCell(v.primary)),
      el("td", { "data-label": "replica" }, verdictCell(v.replica)),
      el("td", { "data-label": "any" }, verdictCell(v.any)),
      el("td", { "data-label": "last backup" }, backup ? age(now - Date.parse(backup)) : "–"),
      el("td", { "data-label": "drift" }, drift));
    body.append(tr);
  }
  const confirmed = view.confirmedAt ? age(now - Date.parse(view.confirmedAt)) : "never";
  $("#view-note").textContent = "Leader key: " + (view.leader || "none") + ". View confirmed by a quorum read " +
    confirmed + "; etcd revision " + view.revision + (view.skipped ? "; " + view.skipped + " malformed values skipped" : "") + ".";
  const summary = $("#summary");
  const primaries = [...names].filter((n) => ((view.agents || {})[n] || {}).verdicts?.primary?.word === "up");
  if (!view.leader) {
    summary.textContent = "No leader: writes are not possible.";
    summary.className = "summary bad";
  } else if (primaries.length > 1) {
    summary.textContent = "More than one node answers up for primary: " + primaries.join(", ");
    summary.className = "summary bad";
  } else {
    summary.textContent = "Leader " + view.leader + "; " + (names.size - 1) + " other member(s).";
    summary.className = "summary ok";
  }
}

function renderLocal(status, reinit, fastPath, backups) {
  const dl = $("#local");
  dl.replaceChildren();
  const add = (k, v) => dl.append(el("dt", {}, k), el("dd", {}, v));
  if (status) {
    $("#node").textContent = status.snapshot?.nodeName || "?";
    add("snapshot", (status.fresh ? "fresh" : "STALE") + ", " + status.snapshotAgeMillis + " ms old");
    for (const role of ["primary", "replica", "any"]) {
      const v = status.verdicts?.[role];
      add(role, v ? v.word + " — " + v.reason : "–");
    }
  } else {
    add("agent", "no /status answer");
  }
  add("fast path", fastPath ? (fastPath.running ? fastPath.decision : "off: " + fastPath.off) : "–");
  if (reinit) {
    const s = reinit.state;
    add("reinit", !reinit.enabled ? "off" : (s.running ? "running" : s.paused ? "paused by an operator" : "idle") +
      (s.dryRun ? " (dry run)" : "") + "; " + s.attempts.length + " attempt(s)");
  }
  if (backups) {
    const list = Array.isArray(backups) ? backups : (backups.backups || backups.manifests || []);
    const good = list.filter((b) => b.verified !== false && b.status !== "failed");
    const newest = good.map((b) => b.endedAt || b.finishedAt || b.end).filter(Boolean).sort().pop();
    add("backups", list.length + " here; newest good " + (newest ? age(Date.now() - Date.parse(newest)) : "none"));
  }
}

function renderDecisions(status, reinit, fastPath) {
  const items = [];
  for (const d of (reinit?.state?.decisions || [])) items.push({ at: d.at, text: "reinit: " + d.reason });
  if (fastPath?.running && fastPath.evidence) items.push({ at: fastPath.evidence.at, text: "fast path: " + fastPath.decision });
  if (status?.snapshot?.takenAt) {
    for (const role of ["primary", "replica", "any"]) {
      const v = status.verdicts?.[role];
      if (v) items.push({ at: status.snapshot.takenAt, text: role + ": " + v.word + " — " + v.reason });
    }
  }
  items.sort((a, b) => (a.at < b.at ? 1 : -1));
  const ol = $("#decisions");
  ol.replaceChildren(...items.slice(0, 12).map((i) =>
    el("li", {}, el("time", {}, new Date(i.at).toLocaleTimeString()), i.text)));
}

async function refresh() {
  const [view, status, reinit, fastPath, backups, hook] = await Promise.all([
    getJson("/cluster"), getJson("/status"), getJson("/reinit"), getJson("/fast-path"), getJson("/backups"),
    getJson("/hook")]);
  renderMembers(view);
  renderHooks(hook, view);
  renderLocal(status, reinit, fastPath, backups);
  renderDecisions(status, reinit, fastPath);
}

const actions = {
  "backup": ["POST", "/backups"],
  "pause-reinit": ["POST", "/reinit/pause"],
  "resume-reinit": ["POST", "/reinit/resume"],
  "maint-on": ["POST", "/maintenance"],
  "maint-off": ["DELETE", "/maintenance"],
};

document.addEventListener("click", async (ev) => {
  const name = ev.target?.dataset?.action;
  if (!name) return;
  let token = sessionStorage.getItem("pgha-token");
  if (!token) {
    token = prompt("Admin token for this agent (kept for this tab only):");
    if (!token) return;
    sessionStorage.setItem("pgha-token", token);
  }
  const [method, path] = actions[name];
  const r = await fetch(path, { method, headers: { Authorization: "Bearer " + token } }).catch(() => null);
  if (r && r.status === 401) sessionStorage.removeItem("pgha-token");
  $("#action-result").textContent = name + ": " + (r ? r.status + " " + r.statusText : "no answer");
  refresh();
});

refresh();
setInterval(refresh, 1000);
