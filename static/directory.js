// Member directory: facet filters and text search over a compact JSON index.
// Facet values combine with OR inside a facet and AND across facets. The state
// lives in the URL (?branche=a,b&region=c&q=text) so views can be shared.

const PAGE_SIZE = 48;

/** Lowercase, umlauts spelled out and accents dropped: "Münster" → "muenster". */
export function fold(text) {
  return text
    .toLowerCase()
    .replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss")
    .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

/** Both spellings a reader might type: "muenster" and "munster" find "Münster". */
export function searchText(text) {
  const folded = fold(text);
  const plain = text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss");
  return plain === folded ? folded : folded + "\n" + plain;
}

/** Rows of the index as objects, with the text a query is matched against. */
export function prepare(index) {
  const members = index.members.map(([slug, name, city, postal, ...rest]) => {
    const services = rest[4];
    return {
      slug, name, city, postal, services: services ? services.split("|") : [],
      values: rest.slice(0, 4),
      haystack: searchText([name, services, city, postal].join(" ")),
    };
  });
  return { facets: index.facets, members };
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

/** The members whose text contains every word of ``query``; reuses a narrower search. */
function textMatches(data, query) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const key = words.join(" ");
  const cache = data.textCache || (data.textCache = { key: "", members: data.members });
  if (key === cache.key) return cache.members;
  // Typing on only narrows: search within what the shorter query found.
  const pool = key.startsWith(cache.key) ? cache.members : data.members;
  const found = [];
  outer: for (const member of pool) {
    for (const word of words) if (!member.haystack.includes(word)) continue outer;
    found.push(member);
  }
  data.textCache = { key, members: found };
  return found;
}

/**
 * Members that match, and for every facet value how many would match if it
 * were chosen in addition (counts under the other facets' selection).
 */
export function filterMembers(data, state) {
  const selected = state.selected;
  const facets = selected.length;
  const counts = data.facets.map((facet) => new Array(facet.values.length).fill(0));
  const results = [];
  for (const member of textMatches(data, state.q)) {
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
  return { results, counts };
}

function formatCount(strings, count) {
  if (count === 0) return strings.none;
  if (count === 1) return strings.one;
  return strings.many.replace("{count}", count.toLocaleString(document.documentElement.lang));
}

function card(member, data) {
  const item = document.createElement("li");
  item.className = "card";
  const title = document.createElement("h3");
  title.className = "card-title";
  const link = document.createElement("a");
  link.href = member.slug + "/";
  link.textContent = member.name;
  title.append(link);
  const meta = document.createElement("p");
  meta.className = "meta";
  const industry = data.facets[0].values[member.values[0][0]][1];
  meta.textContent = member.city ? `${industry} · ${member.city}` : industry;
  item.append(title, meta);
  if (member.services.length) {
    const services = document.createElement("p");
    services.className = "services";
    services.textContent = member.services.slice(0, 4).join(" · ");
    item.append(services);
  }
  return item;
}

/** Wire the directory form to the index; returns a promise for the first render. */
export async function mount(root) {
  const form = root.querySelector("form");
  const list = root.querySelector("[data-results]");
  const status = root.querySelector("[data-count]");
  const more = root.querySelector("[data-more]");
  const strings = JSON.parse(root.dataset.strings);
  const response = await fetch(root.dataset.index);
  const data = prepare(await response.json());
  const inputs = data.facets.map((facet) =>
    facet.values.map(([id]) =>
      form.querySelector(`input[name="${facet.param}"][value="${CSS.escape(id)}"]`)));
  const countLabels = inputs.map((row) => row.map((input) =>
    input ? input.closest("label").querySelector(".count") : null));
  const query = form.querySelector('input[type="search"]');
  let state = parseState(location.search, data.facets);
  let shown = PAGE_SIZE;
  let results = [];

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
    list.replaceChildren(...results.slice(0, shown).map((m) => card(m, data)));
    more.hidden = results.length <= shown;
    status.textContent = formatCount(strings, results.length);
  }

  let pendingUrl = null;
  function commit(push) {
    shown = PAGE_SIZE;
    render();
    // The address follows the state; while typing, only once the typing pauses.
    clearTimeout(pendingUrl);
    const update = () => {
      const url = location.pathname + stateToSearch(state, data.facets) + location.hash;
      if (push) history.pushState(null, "", url);
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
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", (event) => {
    event.preventDefault();
    state = parseState("", data.facets);
    commit(true);
    query.focus();
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

  // Facets with a choice stand open; on a phone the others start closed.
  const narrow = matchMedia("(max-width: 48rem)").matches;
  form.querySelectorAll("details.facet").forEach((details, n) => {
    details.open = state.selected[n].size > 0 || (details.open && !narrow);
  });
  form.hidden = false;
  root.querySelector("[data-results-area]").hidden = false;
  document.querySelector("[data-browse]")?.setAttribute("hidden", "");
  render();
  root.dataset.ready = "true";
  performance.mark("directory-ready");
}

const root = typeof document !== "undefined" && document.querySelector("[data-directory]");
if (root) mount(root);
