// "HAProxy (from the hook)": HAProxy's server states as the hook last read them from its admin socket, and
// the commands it last pushed with their reasons. On the hook itself they come from its own /hook; on
// every agent from /cluster's "hooks", which the hook publishes in etcd. Uses el() and age() of status.js.
"use strict";

const BACKEND_ORDER = ["primary", "replicas", "any"];

// The hook's view as this page should show it: its own /hook when this is the hook (fresher, never stale),
// otherwise every hook's published view from the cluster view.
function hookViews(own, view) {
  const hooks = Object.assign({}, (view && view.hooks) || {});
  if (own && own.hook) hooks[own.hook] = Object.assign({}, own, { local: true });
  return Object.keys(hooks).sort().map((name) => Object.assign({ hook: name }, hooks[name]));
}

function span(ms) {
  return age(ms).replace(" ago", "");
}

// An honest one-line summary: how old the read is, whether the socket fails, whether the value is stale.
function hookNote(h, now) {
  if (h.unreadable) {
    return { cls: "bad", text: "Hook " + h.hook + ": its value in etcd is unreadable (" + h.unreadable +
      "); HAProxy's state is unknown here." };
  }
  const parts = [];
  let cls = "ok";
  if (h.readAtMillis == null) {
    parts.push("has not read HAProxy's admin socket yet");
    cls = "warn";
  } else {
    // Through etcd the read time moves on change and at every refresh only; say so, or 9 s looks stale.
    parts.push("read HAProxy " + age(now - h.readAtMillis) +
      (h.local ? "" : " (republished on change and every " + Math.round((h.refreshMillis || 10000) / 1000) + " s)"));
  }
  if (!h.socketOk && h.failingSinceMillis != null) {
    parts.push("its reads are FAILING for " + span(now - h.failingSinceMillis) + " (" + (h.socketError || "error") +
      ")" + (h.readAtMillis != null ? ": the servers below are from the last good read" : ""));
    cls = "bad";
  }
  const refresh = h.refreshMillis || 10000;
  if (!h.local && h.publishedAtMillis && now - h.publishedAtMillis > 3 * refresh + 5000) {
    parts.push("STALE: not republished for " + span(now - h.publishedAtMillis) +
      " (expected every " + Math.round(refresh / 1000) + " s)");
    cls = "bad";
  }
  if (h.handedBack) {
    parts.push("routing handed back to HAProxy's own checks");
    if (cls === "ok") cls = "warn";
  }
  return { cls: cls, text: "Hook " + h.hook + (h.local ? " (this process)" : "") + ": " + parts.join("; ") + "." };
}

function backendTable(backend, servers, leader) {
  const body = el("tbody", {});
  for (const s of servers) {
    const word = String(s.state || "?");
    const weight = s.weight === s.initialWeight ? String(s.weight) : s.weight + " of " + s.initialWeight;
    body.append(el("tr", { "data-server": s.server, "data-state": word, class: s.server === leader ? "leader" : "" },
      el("td", { "data-label": "server" }, s.server + (s.server === leader ? " (leader)" : "")),
      el("td", { "data-label": "state" }, el("span", { class: "word " + word.toLowerCase() }, word)),
      el("td", { "data-label": "weight" }, weight)));
  }
  return el("div", { class: "backend" }, el("h3", {}, "backend " + backend),
    el("table", { "data-backend": backend },
      el("thead", {}, el("tr", {}, el("th", {}, "server"), el("th", {}, "state"), el("th", {}, "weight"))), body));
}

function actionItem(a, now) {
  const times = a.times > 1 ? " (sent " + a.times + " times, last " + age(now - a.lastAtMillis) + ")" : "";
  const outcome = a.outcome === "ok" ? "" : " [" + a.outcome + "]";
  return el("li", { "data-kind": a.kind || "", "data-at": a.lastAtMillis || a.atMillis || 0 },
    el("time", {}, new Date(a.atMillis).toLocaleTimeString()),
    el("code", {}, a.command), outcome + times, el("span", { class: "reason" }, a.reason || ""));
}

function renderHooks(own, view) {
  const box = document.querySelector("#hooks");
  const now = Date.now();
  const hooks = hookViews(own, view);
  if (!hooks.length) {
    box.replaceChildren(el("p", { class: "note" }, view
      ? "No hook has published HAProxy's view in etcd (no hook running, or it cannot reach etcd)."
      : "No cluster view from this agent, so no view of HAProxy either."));
    return;
  }
  const blocks = [];
  for (const h of hooks) {
    const note = hookNote(h, now);
    const block = el("div", { class: "hook", "data-hook": h.hook },
      el("p", { class: "summary " + note.cls }, note.text));
    blocks.push(block);
    if (h.unreadable) continue; // nothing in it can be trusted, not even "no pushes"
    if (h.decision) block.append(el("p", { class: "note" }, "Its last decision: " + h.decision));
    const byBackend = {};
    for (const s of h.servers || []) {
      const b = String(s.backend || "?");
      (byBackend[b] = byBackend[b] || []).push(s);
    }
    const names = Object.keys(byBackend).sort((a, b) => {
      const ia = BACKEND_ORDER.indexOf(a), ib = BACKEND_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : 1);
    });
    for (const b of names) block.append(backendTable(b, byBackend[b], view && view.leader));
    const actions = h.actions || [];
    block.append(el("h3", {}, "Its last pushes"), actions.length
      ? el("ol", { class: "hook-actions" }, ...actions.map((a) => actionItem(a, now)))
      : el("p", { class: "note" }, "None since it started: HAProxy agreed with etcd."));
  }
  box.replaceChildren(...blocks);
}
