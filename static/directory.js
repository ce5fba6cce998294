// Member directory: facet filters and text search over a compact JSON index.
// Facet values combine with OR inside a facet and AND across facets. The state
// lives in the URL (?branche=a,b&region=c&q=text) so views can be shared.
// On a phone the filters open as a drawer; the page carries the member card
// of macros.html as a <template>, filled here for every member shown.

const PAGE_SIZE = 48;
const NARROW = "(max-width: 48rem)";
/** Facets whose value names the text search looks at (industries and regions). */
const SEARCHED = ["industry", "region"];
const CONNECTORS = new Set(["und", "oder", "sowie", "bzw.", "bzw", "and", "or", "&", "+"]);

/** Lowercase, umlauts spelled out and accents dropped: "Münster" → "muenster". */
export function fold(text) {
  return text
    .toLowerCase()
    .replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss")
    .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

/**
 * The compounds a shortened word stands for: "maschinen- und anlagenbau" also
 * means "maschinenbau". A word ending in a hyphen takes each ending of the next
 * full word ("…bau", "…enbau", …); the one the writer meant is among them.
 */
export function expandCompounds(folded) {
  if (!folded.includes("- ")) return "";
  const words = folded.split(/\s+/).map((word) => word.replace(/,$/, ""));
  const found = [];
  words.forEach((word, n) => {
    if (word.length < 3 || !word.endsWith("-")) return;
    const head = words.slice(n + 1).find((w) => !w.endsWith("-") && !CONNECTORS.has(w));
    if (!head) return;
    const stem = word.slice(0, -1);
    for (let start = 0; start <= head.length - 3; start++) found.push(stem + head.slice(start));
  });
  return found.join(" ");
}

/** Both spellings a reader might type: "muenster" and "munster" find "Münster". */
export function searchText(text) {
  const folded = fold(text);
  const plain = text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss");
  const both = plain === folded ? folded : folded + "\n" + plain;
  const compounds = expandCompounds(folded);
  return compounds ? both + "\n" + compounds : both;
}

const LEGAL_FORMS = new Set(
  "gmbh mbh ag kg ohg kgaa gbr ug eg ek e.k. e.k se co co. & + und and e.v. ev ltd inc".split(" "));

/** The first letters of the first two words that are no legal form ("ML");
 * the same as ``initials`` in verbund/directory.py. */
export function initials(name) {
  const letters = [];
  for (const word of name.split(/\s+/)) {
    if (!word || LEGAL_FORMS.has(word.toLowerCase())) continue;
    const first = word.match(/[\p{L}\p{N}]/u);
    if (first) letters.push(first[0].toUpperCase());
    if (letters.length === 2) break;
  }
  return letters.join("") || name.slice(0, 1).toUpperCase();
}

/** Rows of the index as objects, with the text a query is matched against;
 * the names of industries and regions are searched once, in the facet table. */
export function prepare(index) {
  const members = index.members.map(([slug, name, city, postal, ...rest]) => {
    const services = rest[4];
    return {
      slug, name, city, postal, services: services ? services.split("|") : [],
      values: rest.slice(0, 4),
      logo: rest[5] === 1,
      haystack: searchText([name, services, city, postal].join(" ")),
    };
  });
  const searched = [];
  const termTexts = index.facets.map((facet, n) => {
    if (!SEARCHED.includes(facet.key)) return null;
    searched.push(n);
    return facet.values.map(([, name]) => searchText(name));
  });
  return { facets: index.facets, members, searched, termTexts };
}

/** The filter state from a query string: {q, selected: [Set of value positions]}. */
export function parseState(search, facets) {
  const params = new URLSearchParams(search);
  const selected = facets.map((facet) => {
    const wanted = (params.get(facet.param) || "").split(",").filter(Boolean);
    const chosen = new Set();
    facet.values.forEach(([id], position) => { if (wanted.includes(id)) chosen.add(position); });
    return chosen;
  });
  return { q: params.get("q") || "", selected };
}

/** The query string for a state; empty facets and an empty query are left out. */
export function stateToSearch(state, facets) {
  const params = new URLSearchParams();
  facets.forEach((facet, n) => {
    const ids = [...state.selected[n]].sort((a, b) => a - b).map((p) => facet.values[p][0]);
    if (ids.length) params.set(facet.param, ids.join(","));
  });
  if (state.q.trim()) params.set("q", state.q.trim());
  const text = params.toString().replace(/%2C/g, ",");
  return text ? "?" + text : "";
}

/** For each searched facet, which of its values' names contain ``word`` (0/1). */
function termHits(data, word) {
  return data.termTexts.map((texts) =>
    texts && Uint8Array.from(texts, (text) => (text.includes(word) ? 1 : 0)));
}

/**
 * The members whose text contains every word of ``query``, each word in their
 * name, services, town or postal code or in the name of one of their
 * industries or their region; reuses a narrower search.
 */
function textMatches(data, query) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const key = words.join(" ");
  const cache = data.textCache || (data.textCache = { key: "", members: data.members, hits: [] });
  if (key === cache.key) return cache;
  // Typing on only narrows: search within what the shorter query found.
  const pool = key.startsWith(cache.key) ? cache.members : data.members;
  const hits = words.map((word) => termHits(data, word));
  const searched = data.searched;
  const found = [];
  outer: for (const member of pool) {
    words: for (let w = 0; w < words.length; w++) {
      if (member.haystack.includes(words[w])) continue;
      for (const n of searched) {
        const hit = hits[w][n];
        for (const v of member.values[n]) if (hit[v]) continue words;
      }
      continue outer;
    }
    found.push(member);
  }
  // What the cards mark as found: the names that a word other than "und" named.
  const named = hits.filter((_, w) => !CONNECTORS.has(words[w]));
  data.textCache = { key, members: found, hits: named };
  return data.textCache;
}

/**
 * Members that match, and for every facet value how many would match if it
 * were chosen in addition (counts under the other facets' selection); with
 * ``matched``, for each facet the values a query word or the selection names.
 */
export function filterMembers(data, state) {
  const selected = state.selected;
  const facets = selected.length;
  const counts = data.facets.map((facet) => new Array(facet.values.length).fill(0));
  const results = [];
  const text = textMatches(data, state.q);
  for (const member of text.members) {
    const values = member.values;
    let failed = -1;
    let failures = 0;
    for (let n = 0; n < facets && failures < 2; n++) {
      const chosen = selected[n];
      if (chosen.size === 0) continue;
      let hit = false;
      for (const v of values[n]) if (chosen.has(v)) { hit = true; break; }
      if (!hit) { failed = n; failures++; }
    }
    if (failures === 0) {
      results.push(member);
      for (let n = 0; n < facets; n++) for (const v of values[n]) counts[n][v]++;
    } else if (failures === 1) {
      for (const v of values[failed]) counts[failed][v]++;
    }
  }
  const matched = data.facets.map((facet, n) => {
    const named = new Uint8Array(facet.values.length);
    for (const v of selected[n]) named[v] = 1;
    for (const hits of text.hits) if (hits[n]) hits[n].forEach((hit, v) => { if (hit) named[v] = 1; });
    return named;
  });
  return { results, counts, matched };
}

function formatCount(strings, count) {
  if (count === 0) return strings.none;
  if (count === 1) return strings.one;
  return strings.many.replace("{count}", count.toLocaleString(document.documentElement.lang));
}

/** Fills copies of the card the page carries (macros.html's ``member_card``). */
function cardMaker(template, data) {
  const pattern = template.content.querySelector(".card").cloneNode(true);
  const industryPattern = pattern.querySelector(".card-industry");
  const industryBox = pattern.querySelector(".card-industries");
  industryBox.replaceChildren();
  pattern.querySelector(".card-logo")?.removeAttribute("src");
  const industry = data.facets.findIndex((facet) => facet.key === "industry");

  // Cards already made are used again while they look the same: typing on
  // mostly keeps the first cards, and making them is what a keystroke costs.
  let made = new Map();
  return (member, matched) => {
    const hit = matched[industry];
    const look = member.values[industry].map((v) => hit[v]).join("");
    const known = made.get(member.slug);
    if (known && known.look === look) return known.card;
    if (made.size > 1000) made = new Map();
    const card = fill(member, hit);
    made.set(member.slug, { look, card });
    return card;
  };

  function fill(member, hit) {
    const card = pattern.cloneNode(true);
    const link = card.querySelector(".card-title a");
    link.setAttribute("href", member.slug + "/");
    link.textContent = member.name;
    const logo = card.querySelector(".card-logo");
    const letters = card.querySelector(".card-initials");
    if (member.logo && logo) {
      logo.setAttribute("src", member.slug + "/logo.png");
      letters?.remove();
    } else {
      logo?.remove();
      if (letters) letters.textContent = initials(member.name);
    }
    // The industries the filter or the search named first, marked.
    const box = card.querySelector(".card-industries");
    const ids = member.values[industry];
    const ordered = [...ids.filter((v) => hit[v]), ...ids.filter((v) => !hit[v])];
    ordered.forEach((v, n) => {
      if (n) box.append(", ");
      const name = industryPattern.cloneNode(false);
      name.textContent = data.facets[industry].values[v][1];
      if (hit[v]) name.classList.add("is-match");
      box.append(name);
    });
    const place = card.querySelector(".card-place");
    if (member.city) place.textContent = ` · ${member.city}`;
    else place?.remove();
    const services = card.querySelector(".services");
    if (member.services.length) services.textContent = member.services.slice(0, 4).join(" · ");
    else services?.remove();
    return card;
  }
}

/**
 * The filter panel as a drawer on a phone: modal while open, inline otherwise.
 *
 * Opening it adds an entry to the history, so that the Back button of a phone
 * closes it (as it closes a dialog of an app) instead of undoing a filter;
 * choices made in it replace that entry. Closed by Back, the choices stay:
 * `kept()` (from the directory) puts them into an entry of their own. Closed
 * by its buttons or Escape, its entry is taken back too; `after` runs first.
 */
function drawer(panel, toggle, kept) {
  const narrow = matchMedia(NARROW);
  let inert = [];
  let entry = false; // the newest history entry is the drawer's own
  // Reloaded while it was open: the drawer is closed, its entry an ordinary one.
  if (history.state?.drawer) history.replaceState(null, "", location.href);
  const isOpen = () => panel.classList.contains("is-open");

  function open(push = true) {
    panel.classList.add("is-open");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    panel.setAttribute("aria-labelledby", panel.querySelector("h2").id);
    panel.tabIndex = -1;
    toggle.setAttribute("aria-expanded", "true");
    document.documentElement.classList.add("has-drawer");
    // Everything but the drawer is out of reach while it is open.
    for (let node = panel; node.parentElement && node !== document.body; node = node.parentElement) {
      for (const sibling of node.parentElement.children) {
        if (sibling !== node && !sibling.inert) {
          sibling.inert = true;
          inert.push(sibling);
        }
      }
    }
    panel.querySelector(".panel-body").scrollTop = 0;
    panel.focus();
    if (push && !entry) {
      // Stepping back to the entry before the drawer keeps the scroll position
      // (the drawer may have been closed to show the results below).
      history.scrollRestoration = "manual";
      history.pushState({ drawer: true }, "", location.href);
    }
    entry = true;
  }

  function hide(returnFocus) {
    if (!isOpen()) return;
    panel.classList.remove("is-open");
    for (const name of ["role", "aria-modal", "aria-labelledby", "tabindex"]) panel.removeAttribute(name);
    toggle.setAttribute("aria-expanded", "false");
    document.documentElement.classList.remove("has-drawer");
    for (const element of inert) element.inert = false;
    inert = [];
    if (returnFocus) toggle.focus();
  }

  function close(returnFocus = true, after = null) {
    if (!isOpen()) return;
    hide(returnFocus);
    after?.();
    if (entry) history.back(); // the popstate below finishes
  }

  // Registered before the directory's own: a step back that closes the drawer
  // is not a step back among the filters.
  window.addEventListener("popstate", (event) => {
    if (entry && !event.state?.drawer) {
      entry = false;
      history.scrollRestoration = "auto";
      const byBack = isOpen();
      hide(byBack);
      kept();
      event.stopImmediatePropagation();
    } else if (event.state?.drawer && narrow.matches && !isOpen()) {
      open(false); // forward again, into the drawer
      event.stopImmediatePropagation();
    }
  });
  toggle.addEventListener("click", () => (isOpen() ? close() : open()));
  panel.querySelector("[data-close]").addEventListener("click", () => close());
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) {
      event.preventDefault();
      close();
    }
  });
  narrow.addEventListener("change", () => close(false));
  return { close, narrow, holdsEntry: () => entry };
}

/** Wire the directory form to the index; returns a promise for the first render. */
export async function mount(root) {
  const form = root.querySelector("form");
  const list = root.querySelector("[data-results]");
  const area = root.querySelector("[data-results-area]");
  const status = root.querySelector("[data-count]");
  const panelStatus = root.querySelector("[data-panel-count]");
  const more = root.querySelector("[data-more]");
  const toggle = root.querySelector("[data-filter-toggle]");
  const toggleCount = toggle.querySelector("[data-filter-count]");
  const chips = root.querySelector("[data-chips]");
  const chipPattern = chips.firstElementChild;
  chipPattern.remove();
  const template = root.querySelector("template[data-card]");
  const strings = JSON.parse(root.dataset.strings);
  const response = await fetch(root.dataset.index);
  const data = prepare(await response.json());
  const card = template ? cardMaker(template, data) : null;
  const inputs = data.facets.map((facet) =>
    facet.values.map(([id]) =>
      form.querySelector(`input[name="${facet.param}"][value="${CSS.escape(id)}"]`)));
  const countLabels = inputs.map((row) => row.map((input) =>
    input ? input.closest("label").querySelector(".count") : null));
  const query = form.querySelector('input[type="search"]');
  const panel = root.querySelector("[data-panel]");
  const stateUrl = () => location.pathname + stateToSearch(state, data.facets) + location.hash;
  // Closed by Back: the choices made in the drawer stay, in an entry of their own.
  const { close, narrow, holdsEntry } = drawer(panel, toggle, () => {
    clearTimeout(pendingUrl);
    const url = stateUrl();
    if (url !== location.pathname + location.search + location.hash) history.pushState(null, "", url);
  });
  let state = parseState(location.search, data.facets);
  let shown = PAGE_SIZE;
  let results = [];

  function renderChips() {
    const items = [];
    state.selected.forEach((chosen, n) => {
      for (const v of [...chosen].sort((a, b) => a - b)) {
        const item = chipPattern.cloneNode(true);
        item.querySelector("[data-chip-name]").textContent = data.facets[n].values[v][1];
        const button = item.querySelector("button");
        button.dataset.facet = n;
        button.dataset.value = v;
        items.push(item);
      }
    });
    chips.replaceChildren(...items);
    chips.hidden = items.length === 0;
    toggleCount.textContent = items.length ? ` (${items.length})` : "";
  }

  function render() {
    const filtered = filterMembers(data, state);
    results = filtered.results;
    if (query.value !== state.q) query.value = state.q;
    inputs.forEach((row, n) => row.forEach((input, v) => {
      if (!input) return;
      const count = filtered.counts[n][v];
      const checked = state.selected[n].has(v);
      if (input.checked !== checked) input.checked = checked;
      if (input.disabled !== (!checked && count === 0)) input.disabled = !checked && count === 0;
      const text = `(${count})`;
      if (countLabels[n][v].textContent !== text) countLabels[n][v].textContent = text;
    }));
    if (card) list.replaceChildren(...results.slice(0, shown).map((m) => card(m, filtered.matched)));
    more.hidden = results.length <= shown;
    const found = formatCount(strings, results.length);
    status.textContent = found;
    panelStatus.textContent = found;
    renderChips();
  }

  let pendingUrl = null;
  function commit(push) {
    shown = PAGE_SIZE;
    render();
    // The address follows the state; while typing, only once the typing pauses.
    clearTimeout(pendingUrl);
    const update = () => {
      const url = stateUrl();
      // While the drawer is open, its entry follows the choices (Back closes it).
      if (holdsEntry()) history.replaceState(history.state, "", url);
      else if (push) history.pushState(null, "", url);
      else history.replaceState(null, "", url);
    };
    if (push) update();
    else pendingUrl = setTimeout(update, 300);
  }

  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.type !== "checkbox") return;
    const n = data.facets.findIndex((facet) => facet.param === input.name);
    const v = data.facets[n].values.findIndex(([id]) => id === input.value);
    if (input.checked) state.selected[n].add(v);
    else state.selected[n].delete(v);
    commit(true);
  });
  let typing = null;
  query.addEventListener("input", () => {
    const first = typing === null;
    state.q = query.value;
    clearTimeout(typing);
    typing = setTimeout(() => { typing = null; }, 1000);
    if (first) {
      // One history entry per burst of typing: the state before it stays reachable.
      history.pushState(null, "", location.href);
    }
    commit(false);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (narrow.matches) query.blur(); // the keyboard closes; the results are below
  });
  form.addEventListener("reset", (event) => {
    event.preventDefault();
    state = parseState("", data.facets);
    commit(true);
    if (!panel.classList.contains("is-open")) query.focus();
  });
  chips.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const at = [...chips.children].indexOf(button.closest("li"));
    state.selected[Number(button.dataset.facet)].delete(Number(button.dataset.value));
    commit(true);
    // Focus stays among the chips: on the one that took its place, else the one before.
    const next = chips.children[Math.min(at, chips.children.length - 1)];
    (next?.querySelector("button") || (narrow.matches ? toggle : query)).focus();
  });
  root.querySelector("[data-show-results]").addEventListener("click", () => {
    close(false, () => {
      area.scrollIntoView({ block: "start" });
      root.querySelector("#directory-results-title").focus({ preventScroll: true });
    });
  });
  more.addEventListener("click", () => {
    const first = shown;
    shown += PAGE_SIZE;
    render();
    list.children[first]?.querySelector("a")?.focus();
  });
  window.addEventListener("popstate", () => {
    clearTimeout(pendingUrl);
    state = parseState(location.search, data.facets);
    shown = PAGE_SIZE;
    render();
  });

  // The first facet and those with a choice stand open.
  form.querySelectorAll("details.facet").forEach((details, n) => {
    details.open = state.selected[n].size > 0 || details.open;
  });
  form.hidden = false;
  area.hidden = false;
  document.querySelector("[data-browse]")?.setAttribute("hidden", "");
  render();
  root.dataset.ready = "true";
  performance.mark("directory-ready");
}

const root = typeof document !== "undefined" && document.querySelector("[data-directory]");
if (root) mount(root);
