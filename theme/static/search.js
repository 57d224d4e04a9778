/* gongshi: the search page. Pagefind (pagefind/pagefind.js, written with the site) finds the
   pages; this script fills the filters, runs queries as the reader types and lists results.
   The page's messages are in its data-* attributes (theme/templates/search.html).

   The index holds Chinese character by character (generator/search.py), so a query is
   asked for as its characters: each typed word as a phrase (the pages that contain it as
   typed), ranked by Pagefind's score for all the characters. */
const app = document.getElementById("search-app");
const form = app.querySelector("form");
const input = document.getElementById("search-q");
const selects = [...form.querySelectorAll("select")];
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const PAGE = 10;
const base = new URL("../", import.meta.url); // static/search.js sits one folder below the base
let pagefind = null;
let latest = 0; // the newest query; older answers are dropped
let pending = [];
const HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
const HAN_PAIR = new RegExp(`([${HAN}])(?=[${HAN}])`, "gu");

/* The typed words, punctuation taken as spaces, Chinese characters spaced apart. */
function words(term) {
  return term.replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(" ").filter(Boolean)
    .map((word) => word.replace(HAN_PAIR, "$1 "));
}

/* Pages with every word as typed, best first. */
async function find(term, filters) {
  const asked = words(term);
  if (!asked.length) {
    return (await pagefind.search(null, { filters })).results;
  }
  const ranked = await pagefind.search(asked.join(" "), { filters });
  const phrases = await Promise.all(asked.filter((w) => w.includes(" "))
    .map((w) => pagefind.search(`"${w}"`, { filters })));
  const within = phrases.map((p) => new Set(p.results.map((r) => r.id)));
  return ranked.results.filter((r) => within.every((ids) => ids.has(r.id)));
}

/* The index comes in shards (generator/search.py), each a Pagefind bundle of its own, named
   in pagefind/shards.json. The first one's script searches them all as one index: results
   of every shard, filter counts summed. */
async function openIndex() {
  const folder = new URL("pagefind/", base);
  const listed = await fetch(new URL("shards.json", folder), { cache: "no-cache" });
  if (!listed.ok) throw new Error(`${listed.url}: ${listed.status}`);
  const [first, ...others] = (await listed.json()).map((name) => new URL(`${name}/`, folder));
  const found = await import(new URL("pagefind.js", first).href);
  const options = { baseUrl: base.pathname, excerptLength: 50 };
  await found.options(options);
  await Promise.all(others.map((shard) => found.mergeIndex(shard.pathname, options)));
  return found;
}

function say(key, values = {}) {
  status.textContent = app.dataset[key].replace(/\{(\w+)\}/g, (_, name) => values[name]);
}

function fillFilter(select, counts) {
  const names = Object.keys(counts || {}).sort((a, b) => a.localeCompare(b, "zh-CN"));
  for (const name of names) {
    select.add(new Option(`${name}（${counts[name]}）`, name));
  }
  select.closest("p").hidden = names.length === 0;
}

/* Pagefind's excerpt marks every matched character with <mark>; keep plain text, and marks
   only where a typed word stands whole (not a lone 车 of 执法车辆 for 渣土车). */
function excerpt(html, typed) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const pieces = []; // [text, marked], neighbouring marks joined
  for (const node of template.content.childNodes) {
    const text = node.textContent.replace(/\u200b/g, ""); // the index's character breaks
    const marked = node.nodeName === "MARK";
    const last = pieces[pieces.length - 1];
    if (last && last[1] === marked) last[0] += text;
    else pieces.push([text, marked]);
  }
  const out = document.createElement("p");
  out.className = "excerpt";
  for (const [text, marked] of pieces) {
    if (marked && typed.some((word) => text.includes(word))) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      out.append(mark);
    } else {
      out.append(text);
    }
  }
  return out;
}

function item(data, typed) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  const heading = document.createElement("h2");
  heading.append(link);
  const facts = document.createElement("p");
  facts.className = "search-facts";
  const kind = document.createElement("span");
  kind.className = "tag";
  kind.textContent = data.meta.type || "";
  facts.append(kind);
  for (const fact of [data.meta.unit || data.meta.column, data.meta.date]) {
    if (fact) {
      const span = document.createElement("span");
      span.textContent = fact;
      facts.append(span);
    }
  }
  li.append(heading, facts, excerpt(data.excerpt, typed));
  return li;
}

async function showMore(query) {
  const batch = pending.splice(0, PAGE);
  const found = await Promise.all(batch.map((r) => r.data()));
  if (query !== latest) return;
  const typed = words(input.value).map((word) => word.replace(/ /g, ""));
  list.append(...found.map((data) => item(data, typed)));
  more.hidden = pending.length === 0;
  const count = list.children.length + pending.length;
  say(pending.length ? "foundMore" : "found", { count, shown: list.children.length });
}

async function run() {
  const query = ++latest;
  const term = input.value.trim();
  const filters = {};
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const select of selects) {
    if (select.value) {
      filters[select.name] = select.value;
      params.set(select.name, select.value);
    }
  }
  history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
  list.replaceChildren();
  more.hidden = true;
  if (!term && !Object.keys(filters).length) {
    say("empty");
    return;
  }
  say("searching");
  const results = await find(term, filters);
  if (query !== latest) return;
  pending = results;
  if (!pending.length) {
    say(term ? "none" : "noneFiltered", { query: term });
    return;
  }
  await showMore(query);
}

let timer = 0;
function soon() {
  clearTimeout(timer);
  timer = setTimeout(run, 250);
}

async function start() {
  try {
    pagefind = await openIndex();
    const counts = await pagefind.filters();
    for (const select of selects) fillFilter(select, counts[select.name]);
  } catch (error) {
    document.getElementById("search-broken").hidden = false;
    throw error;
  }
  const asked = new URLSearchParams(location.search);
  input.value = asked.get("q") || "";
  for (const select of selects) {
    const wanted = asked.get(select.name);
    if (wanted && [...select.options].some((o) => o.value === wanted)) select.value = wanted;
  }
  // the filters start open where there is room, or when the address chose some
  document.getElementById("search-filters").open =
    matchMedia("(min-width: 720px)").matches || selects.some((s) => s.value);
  app.hidden = false;
  document.getElementById("search-broken").hidden = true; // in case the page's timer showed it
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener("input", soon);
  for (const select of selects) select.addEventListener("change", run);
  more.addEventListener("click", () => showMore(latest));
  await run();
}

start();
