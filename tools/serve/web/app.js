// The viewer of `quire serve`: one page, plain ES2020, no framework, no build step.
//
// Everything shown comes from the archive and is data, never markup: it is rendered
// with createElement/textContent only (no innerHTML anywhere), links are built from
// our own routes or from http(s) URLs that parse, and class names derived from data
// are reduced to [A-Za-z0-9_-]. HTML bodies are shown either as escaped source or in
// an <iframe sandbox> (no allow-scripts) whose response also carries CSP sandbox.
//
// Routes (location.hash), so back/forward work:
//   #/catalog?archive=N&source=&lang=&since=&until=&has_annotation=&cursor=[&limit=]
//   #/search?archive=N&q=...&offset=&<the same filters>
//   #/article/N/<encodeURIComponent(id)>[?view=rendered]
'use strict';

(() => {
  const PAGE_SIZE = 50;
  const SEARCH_PAGE = 20;
  const FILTERS = ['source', 'lang', 'since', 'until', 'has_annotation'];
  const COLOURS = 8; // colour slots c0..c7 in style.css

  const S = {
    info: null,
    archive: 0,
    gen: 0, // bumped by every navigation; late answers of an older one are dropped
    rows: [], // the selectable rows of the current list: {row, link}
    sel: -1,
    listKind: null, // 'catalog' | 'search' | null (article view)
    lastList: null, // hash of the last list shown, for Escape from an article
    fromList: false, // the current article was opened from a list in this page
    cameFrom: null, // the hash shown before the current one
    prevCursor: new Map(), // catalog page hash -> hash of the page before it
    selByHash: new Map(), // list hash -> selected row, restored on return
    article: null, // the article shown: {data, enabled: [bool per layer], view}
  };

  const $ = (id) => document.getElementById(id);

  // el('a', {href: '#', class: 'x'}, child, 'text', ...): attribute names are ours,
  // values and children may be data (strings become text nodes).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = String(v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  const safeClass = (s) => String(s).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || '_';
  const fmtInt = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '');

  function fmtBytes(n) {
    if (typeof n !== 'number') return '';
    if (n < 1024) return `${n} B`;
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let v = n / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
  }

  // ---- API ---------------------------------------------------------------

  async function api(path, params) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    }
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    let body = null;
    try { body = await r.json(); } catch (_) { /* not JSON: reported below */ }
    if (!r.ok || body === null) {
      const msg = (body && body.error && body.error.message) || `HTTP ${r.status}`;
      const err = new Error(msg);
      err.status = r.status;
      throw err;
    }
    return body;
  }

  const articlePath = (id) => `/api/article/${encodeURIComponent(id)}`;
  const rawUrl = (a, id, download) =>
    `/raw/${encodeURIComponent(id)}?archive=${a}${download ? '&download=1' : ''}`;

  // ---- routes ------------------------------------------------------------

  function hashFor(route, params) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
    }
    const s = p.toString();
    return `#/${route}${s ? `?${s}` : ''}`;
  }

  // The reference of an article in a URL: its id, except for an id the API
  // would read as a record number ("#N") or a body hash ("sha256:..."):
  // those go by their record number.
  const refFor = (id, record) => (id.startsWith('#') || id.startsWith('sha256:') ? `#${record}` : id);

  const articleHash = (a, id, view) =>
    `#/article/${a}/${encodeURIComponent(id)}${view === 'rendered' ? '?view=rendered' : ''}`;

  function parseHash() {
    const h = location.hash.replace(/^#/, '') || '/';
    const qi = h.indexOf('?');
    const path = qi < 0 ? h : h.slice(0, qi);
    const params = new URLSearchParams(qi < 0 ? '' : h.slice(qi + 1));
    return { parts: path.split('/').filter(Boolean), params };
  }

  function archiveIndex(v) {
    const n = Number.parseInt(v, 10);
    const count = S.info ? S.info.archives.length : 0;
    return Number.isInteger(n) && n >= 0 && n < count ? n : 0;
  }

  const currentArchive = () => S.info && S.info.archives[S.archive];

  function filtersFrom(params) {
    const f = {};
    for (const k of FILTERS) f[k] = (params.get(k) || '').trim();
    return f;
  }

  async function route() {
    const gen = ++S.gen;
    const { parts, params } = parseHash();
    const kind = parts[0] || 'catalog';
    if (kind !== 'search') $('q').value = '';
    S.rows = [];
    S.sel = -1;
    S.listKind = null;
    setStatus('');
    const main = $('main');
    main.setAttribute('aria-busy', 'true');
    try {
      if (kind === 'article' && parts.length >= 3) {
        let id;
        try { id = decodeURIComponent(parts.slice(2).join('/')); } catch (_) { throw new Error('bad article address'); }
        selectArchive(archiveIndex(parts[1]));
        S.fromList = S.lastList !== null && S.cameFrom === S.lastList;
        await showArticle(gen, id, params.get('view') === 'rendered' ? 'rendered' : 'source');
      } else if (kind === 'search') {
        selectArchive(archiveIndex(params.get('archive')));
        await showSearch(gen, params);
      } else {
        selectArchive(archiveIndex(params.get('archive')));
        await showCatalog(gen, params);
      }
    } catch (err) {
      if (gen !== S.gen) return;
      const view = $('view');
      view.replaceChildren(el('section', { class: 'error-view', 'aria-labelledby': 'err-h' },
        el('h1', { id: 'err-h', text: err.status === 404 ? 'Not found' : 'Something went wrong' }),
        el('p', { class: 'error', text: err.message }),
        el('p', {}, el('a', { href: hashFor('catalog', { archive: S.archive }), text: 'Back to the catalog' }))));
      document.title = 'Error — Quire';
    }
    if (gen !== S.gen) return;
    S.cameFrom = location.hash;
    main.removeAttribute('aria-busy');
    main.dataset.shown = location.hash; // what is on screen (tests wait for it)
  }

  // The status line is a live region; quiet messages are for screen readers only.
  function setStatus(text, isError, quiet) {
    const s = $('status');
    s.textContent = text;
    s.classList.toggle('error', !!isError);
    s.classList.toggle('visually-hidden', !!quiet);
  }

  // ---- header: archives, search, theme ---------------------------------------

  function fillArchives() {
    const sel = $('archive');
    sel.replaceChildren(...S.info.archives.map((a, i) =>
      el('option', { value: i, text: `${a.name || a.path}${a.is_set ? ' (set)' : ''} · ${fmtInt(a.articles)} articles` })));
    sel.disabled = S.info.archives.length < 2;
    sel.addEventListener('change', () => {
      location.hash = hashFor('catalog', { archive: sel.value });
    });
  }

  function selectArchive(i) {
    S.archive = i;
    $('archive').value = String(i);
    const a = currentArchive();
    if (!a) return;
    const q = $('q');
    q.placeholder = a.has_fulltext ? 'Search  ( / )' : 'Search (no full-text index)';
    const about = [a.title || a.name, a.description, a.creator && `by ${a.creator}`,
      a.license && `licence ${a.license}`, a.created && `created ${a.created}`, a.format]
      .filter(Boolean).join(' · ');
    $('archive-about').replaceChildren(
      document.createTextNode(about),
      a.content_digest ? el('span', { class: 'digest', title: 'content digest', text: ` · ${a.content_digest}` }) : '');
  }

  function onSearchSubmit(e) {
    e.preventDefault();
    const q = $('q').value.trim();
    const a = currentArchive();
    if (!q) { location.hash = hashFor('catalog', { archive: S.archive }); return; }
    if (a && !a.has_fulltext) {
      setStatus(`${a.name} has no full-text index (pack it with --fulltext); showing the catalog instead.`, true);
      return;
    }
    const { params } = parseHash();
    location.hash = hashFor('search', { archive: S.archive, q, ...filtersFrom(params) });
  }

  const THEME_KEY = 'quire-theme';
  const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

  function storedTheme() {
    try { return localStorage.getItem(THEME_KEY); } catch (_) { return null; }
  }

  function applyTheme(theme) {
    document.documentElement.dataset.theme = theme;
    const b = $('theme');
    b.textContent = theme === 'dark' ? 'Light theme' : 'Dark theme';
    b.title = theme === 'dark' ? 'Switch to the light theme' : 'Switch to the dark theme';
  }

  function initTheme() {
    const s = storedTheme();
    applyTheme(s === 'dark' || s === 'light' ? s : darkQuery.matches ? 'dark' : 'light');
    darkQuery.addEventListener('change', () => {
      const t = storedTheme();
      if (t !== 'dark' && t !== 'light') applyTheme(darkQuery.matches ? 'dark' : 'light');
    });
    $('theme').addEventListener('click', () => {
      const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
      applyTheme(next);
      try { localStorage.setItem(THEME_KEY, next); } catch (_) { /* not remembered */ }
    });
  }

  // ---- filters shared by catalog and search -----------------------------------

  function filterForm(kind, params) {
    const f = filtersFrom(params);
    const field = (name, label, placeholder, size) => el('label', { class: 'field' },
      el('span', { text: label }),
      el('input', { type: 'text', name, value: f[name], placeholder, size, spellcheck: 'false' }));
    const form = el('form', { class: 'filters', 'aria-label': 'Filters' },
      field('source', 'Source', 'any', 16),
      field('lang', 'Language', 'e.g. vi', 6),
      field('since', 'Since', 'YYYY[-MM[-DD]]', 11),
      field('until', 'Until', 'YYYY[-MM[-DD]]', 11),
      field('has_annotation', 'Has annotation', 'TYPE[=LABEL]', 16),
      el('div', { class: 'filter-buttons' },
        el('button', { type: 'submit', text: 'Apply' }),
        el('button', { type: 'button', class: 'quiet', text: 'Clear', onclick: () => {
          for (const k of FILTERS) form.elements[k].value = '';
          form.requestSubmit();
        } })));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const next = { archive: S.archive };
      if (kind === 'search') next.q = params.get('q') || '';
      if (kind === 'catalog') next.limit = params.get('limit') || '';
      for (const k of FILTERS) next[k] = form.elements[k].value.trim();
      location.hash = hashFor(kind, next);
    });
    return form;
  }

  // ---- catalog ------------------------------------------------------------------

  async function showCatalog(gen, params) {
    const filters = filtersFrom(params);
    const cursor = params.get('cursor') || '';
    // limit is kept in the address only when it is not the default
    const asked = Number.parseInt(params.get('limit') || '', 10);
    const limit = asked >= 1 && asked <= 500 ? asked : PAGE_SIZE;
    const keep = { archive: S.archive, ...filters, limit: limit === PAGE_SIZE ? '' : limit };
    setStatus('Loading the catalog…');
    const res = await api('/api/articles', { archive: S.archive, ...filters, cursor, limit });
    if (gen !== S.gen) return;
    setStatus('');
    const a = currentArchive();
    const here = location.hash || hashFor('catalog', { archive: S.archive });
    const filtered = FILTERS.some((k) => filters[k]);

    const table = el('table', { class: 'catalog' },
      el('caption', { class: 'visually-hidden', text: 'Articles' }),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', class: 'num', text: '#' }),
        el('th', { scope: 'col', text: 'Title and id' }),
        el('th', { scope: 'col', text: 'Date' }),
        el('th', { scope: 'col', text: 'Source' }),
        el('th', { scope: 'col', text: 'Lang' }),
        el('th', { scope: 'col', class: 'num', text: 'Spans' }),
        el('th', { scope: 'col', class: 'num', text: 'Size' }))));
    const tbody = el('tbody');
    for (const art of res.articles) {
      const link = el('a', { href: articleHash(S.archive, refFor(art.id, art.record)), class: 'title-link', text: art.title || art.id });
      const row = el('tr', {},
        el('td', { class: 'num muted', text: art.record }),
        el('td', { class: 'title-cell' }, link, el('span', { class: 'id', text: art.id })),
        el('td', { class: 'nowrap', text: art.date || '' }),
        el('td', { class: 'mono small', text: art.source || '' }),
        el('td', { text: art.lang || '' }),
        el('td', { class: 'num', text: art.spans ? fmtInt(art.spans) : '' }),
        el('td', { class: 'num nowrap', text: fmtBytes(art.body_length) }));
      row.addEventListener('click', (e) => { if (e.target === row || e.target.tagName === 'TD') link.click(); });
      tbody.append(row);
      S.rows.push({ row, link });
    }
    table.append(tbody);

    const nextHash = res.next_cursor ? hashFor('catalog', { ...keep, cursor: res.next_cursor }) : null;
    if (nextHash) S.prevCursor.set(nextHash, here);
    const prevHash = cursor ? (S.prevCursor.get(here) || hashFor('catalog', keep)) : null;

    const count = a ? `${fmtInt(a.articles)} articles in ${a.name}` : '';
    $('view').replaceChildren(el('section', { class: 'list-view', 'aria-labelledby': 'list-h' },
      el('div', { class: 'list-head' },
        el('h1', { id: 'list-h', text: 'Catalog' }),
        el('p', { class: 'muted', text: filtered ? `${count}; filtered` : count })),
      filterForm('catalog', params),
      res.articles.length ? table : el('p', { class: 'empty', text: 'No article matches these filters.' }),
      pager(prevHash, nextHash, `${res.articles.length} shown`)));
    S.listKind = 'catalog';
    S.lastList = here;
    document.title = `${a ? a.name : 'Catalog'} — Quire`;
    restoreSelection(here);
  }

  function pager(prevHash, nextHash, note) {
    const link = (h, text, rel) => (h
      ? el('a', { class: 'button', href: h, rel, text })
      : el('span', { class: 'button disabled', 'aria-disabled': 'true', text }));
    return el('nav', { class: 'pager', 'aria-label': 'Pages' },
      link(prevHash, '← Previous', 'prev'),
      el('span', { class: 'muted', text: note }),
      link(nextHash, 'Next →', 'next'));
  }

  // ---- search ---------------------------------------------------------------------

  async function showSearch(gen, params) {
    const q = (params.get('q') || '').trim();
    const filters = filtersFrom(params);
    const offset = Math.max(0, Number.parseInt(params.get('offset') || '0', 10) || 0);
    $('q').value = q;
    const a = currentArchive();
    if (a && !a.has_fulltext) {
      const e = new Error(`${a.name} has no full-text index; pack it with --fulltext to search it.`);
      e.status = 404;
      throw e;
    }
    setStatus('Searching…');
    const res = await api('/api/search', { archive: S.archive, q, ...filters, offset, limit: SEARCH_PAGE });
    if (gen !== S.gen) return;
    const here = location.hash;
    const list = el('ol', { class: 'hits', start: offset + 1 });
    for (const hit of res.hits) {
      const link = el('a', { href: articleHash(S.archive, refFor(hit.id, hit.record)), class: 'title-link', text: hit.title || hit.id });
      const snippet = el('p', { class: 'snippet' });
      for (const part of hit.snippet || []) {
        snippet.append(part.match ? el('mark', { text: part.text }) : document.createTextNode(part.text));
      }
      const row = el('li', {},
        el('h2', {}, link),
        el('p', { class: 'hit-meta' },
          el('span', { class: 'id', text: hit.id }),
          hit.date ? el('span', { text: hit.date }) : null,
          el('span', { class: 'score', text: `${hit.percent}%` })),
        snippet);
      list.append(row);
      S.rows.push({ row, link });
    }
    const base = { archive: S.archive, q, ...filters };
    const prevHash = offset > 0 ? hashFor('search', { ...base, offset: Math.max(0, offset - SEARCH_PAGE) || '' }) : null;
    const more = offset + res.hits.length < res.estimated && res.hits.length === SEARCH_PAGE;
    const nextHash = more ? hashFor('search', { ...base, offset: offset + SEARCH_PAGE }) : null;
    const found = res.estimated === 1 ? 'about 1 match' : `about ${fmtInt(res.estimated)} matches`;
    setStatus(`${found} for “${q}”`, false, true);
    $('view').replaceChildren(el('section', { class: 'list-view', 'aria-labelledby': 'list-h' },
      el('div', { class: 'list-head' },
        el('h1', { id: 'list-h' }, 'Search: ', el('q', { text: q })),
        el('p', { class: 'muted', text: `${found}${res.stem_language ? ` · stemming: ${res.stem_language}` : ''}` })),
      filterForm('search', params),
      res.hits.length ? list : el('p', { class: 'empty', text: 'Nothing found.' }),
      res.hits.length ? pager(prevHash, nextHash, `${offset + 1}–${offset + res.hits.length}`) : null));
    S.listKind = 'search';
    S.lastList = here;
    document.title = `${q} — Quire search`;
    restoreSelection(here);
  }

  // ---- list selection (j/k/Enter) ----------------------------------------------------

  function select(i, focus) {
    if (!S.rows.length) return;
    i = Math.max(0, Math.min(S.rows.length - 1, i));
    if (S.sel >= 0 && S.rows[S.sel]) {
      S.rows[S.sel].row.classList.remove('selected');
      S.rows[S.sel].row.removeAttribute('aria-current');
    }
    S.sel = i;
    const { row, link } = S.rows[i];
    row.classList.add('selected');
    row.setAttribute('aria-current', 'true');
    if (focus) link.focus();
    row.scrollIntoView({ block: 'nearest' });
    S.selByHash.set(location.hash, i);
  }

  function restoreSelection(hash) {
    const i = S.selByHash.get(hash);
    if (i !== undefined && i < S.rows.length) select(i, true);
  }

  // ---- article ------------------------------------------------------------------------

  async function showArticle(gen, id, view) {
    setStatus('Loading the article…');
    const art = await api(articlePath(id), { archive: S.archive, offsets: 'codepoints' });
    if (gen !== S.gen) return;
    setStatus('');
    const layers = Array.isArray(art.layers) ? art.layers : [];
    S.article = { data: art, enabled: layers.map(() => true), view: art.is_html ? view : 'source' };
    assignColours(layers);

    const back = S.fromList
      ? el('button', { type: 'button', class: 'link-button', text: '← Back to the list', onclick: () => history.back() })
      : el('a', { href: S.lastList || hashFor('catalog', { archive: S.archive }), text: '← Catalog' });
    const actions = el('p', { class: 'actions' },
      el('a', { class: 'button', href: rawUrl(S.archive, refFor(art.id, art.record), true), download: '', text: 'Download raw body' }));

    const mainCol = [];
    if (layers.length) mainCol.push(legend(layers));
    if (art.is_html) mainCol.push(viewSwitch());
    if (art.truncated) {
      mainCol.push(el('p', { class: 'notice', text: 'The text is cut short here; the raw download has the whole body.' }));
    }
    mainCol.push(el('div', { id: 'body-host' }));
    $('view').replaceChildren(el('article', { class: 'article-view', 'aria-labelledby': 'art-h' },
      el('nav', { class: 'crumbs', 'aria-label': 'Back' }, back),
      el('h1', { class: 'article-title', id: 'art-h', text: art.title || art.id }),
      el('div', { class: 'article-grid' },
        el('div', { class: 'article-main' }, mainCol),
        el('aside', { class: 'article-side', 'aria-label': 'Metadata' }, metaTable(art), actions))));
    document.title = `${art.title || art.id} — Quire`;
    renderBody();
  }

  function metaTable(art) {
    const rows = [];
    const add = (name, value, cls) => {
      if (value === undefined || value === null || value === '') return;
      rows.push(el('tr', {}, el('th', { scope: 'row', text: name }),
        value instanceof Node ? el('td', { class: cls }, value) : el('td', { class: cls, text: value })));
    };
    add('Id', art.id, 'mono');
    add('Record', `#${art.record}`);
    add('Title', art.title);
    add('Date', art.date ? `${art.date}${art.date_precision ? ` (${art.date_precision})` : ''}` : '');
    add('Source', art.source, 'mono');
    add('Language', art.lang);
    if (Array.isArray(art.lang_notes) && art.lang_notes.length) add('Language notes', art.lang_notes.join('; '));
    add('URL', urlNode(art.url), 'url');
    add('Media type', art.media_type);
    add('Length', typeof art.body_length === 'number' ? `${fmtInt(art.body_length)} bytes` : '');
    add('SHA-256', art.sha256, 'mono small');
    for (const [k, v] of Object.entries(art.extra || {})) {
      add(k, typeof v === 'string' ? v : JSON.stringify(v), 'extra');
    }
    return el('table', { class: 'meta' }, el('caption', { class: 'visually-hidden', text: 'Metadata' }), el('tbody', {}, rows));
  }

  // A link only for an http(s) URL that parses; anything else stays text.
  function urlNode(url) {
    if (!url) return null;
    let u = null;
    try { u = new URL(url); } catch (_) { /* not a URL */ }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return document.createTextNode(url);
    return el('a', { href: u.href, rel: 'noopener noreferrer', target: '_blank', referrerpolicy: 'no-referrer', text: url });
  }

  // Colour slot per (layer, type), in order of first appearance.
  function assignColours(layers) {
    const slots = new Map();
    for (const layer of layers) {
      for (const sp of layer.spans || []) {
        const key = `${layer.name}\u0000${sp.type}`;
        if (!slots.has(key)) slots.set(key, slots.size % COLOURS);
      }
    }
    S.article.colours = slots;
  }

  function legend(layers) {
    const box = el('section', { class: 'legend', 'aria-labelledby': 'legend-h' },
      el('h2', { id: 'legend-h', text: 'Annotation layers' }));
    layers.forEach((layer, li) => {
      const counts = new Map();
      for (const sp of layer.spans || []) counts.set(sp.type, (counts.get(sp.type) || 0) + 1);
      const box2 = el('input', { type: 'checkbox', checked: true, 'data-layer': layer.name });
      box2.addEventListener('change', () => {
        S.article.enabled[li] = box2.checked;
        if (S.article.view === 'source') renderBody();
      });
      const types = el('ul', { class: 'types' });
      for (const [type, n] of counts) {
        const slot = S.article.colours.get(`${layer.name}\u0000${type}`);
        types.append(el('li', {},
          el('span', { class: `swatch c${slot}`, 'aria-hidden': 'true' }),
          el('span', { text: type }),
          el('span', { class: 'muted', text: ` ${fmtInt(n)}` })));
      }
      box.append(el('div', { class: 'layer' },
        el('label', { class: 'layer-toggle' }, box2,
          el('strong', { text: layer.name }),
          layer.producer ? el('span', { class: 'muted', text: ` · ${layer.producer}` }) : null),
        types));
    });
    return box;
  }

  function viewSwitch() {
    const make = (view, text) => {
      const b = el('button', { type: 'button', 'data-view': view, text, 'aria-pressed': String(S.article.view === view) });
      b.addEventListener('click', () => {
        S.article.view = view;
        for (const x of group.querySelectorAll('button')) x.setAttribute('aria-pressed', String(x.dataset.view === view));
        history.replaceState(null, '', articleHash(S.archive, refFor(S.article.data.id, S.article.data.record), view));
        S.cameFrom = location.hash;
        $('main').dataset.shown = location.hash;
        renderBody();
      });
      return b;
    };
    const group = el('div', { class: 'view-switch', role: 'group', 'aria-label': 'How to show the HTML body' },
      make('source', 'Source with highlights'), make('rendered', 'Rendered (no scripts)'));
    return group;
  }

  function renderBody() {
    const host = $('body-host');
    if (!host) return;
    const art = S.article.data;
    if (S.article.view === 'rendered') {
      const frame = el('iframe', {
        class: 'rendered', src: rawUrl(S.archive, refFor(art.id, art.record), false), title: 'The page as rendered, scripts disabled',
        referrerpolicy: 'no-referrer', loading: 'lazy',
      });
      frame.setAttribute('sandbox', ''); // nothing allowed: no scripts, no same-origin, no forms, no popups
      host.replaceChildren(frame);
      return;
    }
    if (typeof art.text !== 'string') {
      host.replaceChildren(el('p', { class: 'notice',
        text: `The body is not UTF-8 text (${fmtInt(art.body_length)} bytes); use the raw download.` }));
      return;
    }
    const body = el('div', {
      class: art.is_html ? 'body source' : 'body', id: 'body', tabindex: '0', role: 'region', 'aria-label': 'Article text',
    });
    body.append(highlight(art.text, art.layers || [], S.article.enabled));
    host.replaceChildren(body);
  }

  // ---- highlighting ------------------------------------------------------------------------

  // UTF-16 index of every code point of text, plus text.length at the end.
  function codepointMap(text) {
    let n = 0;
    for (let i = 0; i < text.length; i++, n++) {
      if (isPair(text, i)) i++;
    }
    const map = new Uint32Array(n + 1);
    let k = 0;
    for (let i = 0; i < text.length; i++, k++) {
      map[k] = i;
      if (isPair(text, i)) i++;
    }
    map[n] = text.length;
    return map;
  }

  function isPair(text, i) {
    const c = text.charCodeAt(i);
    return c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
  }

  function spanTitle(layerName, sp) {
    let t = sp.type + (sp.label ? `: ${sp.label}` : '');
    const attrs = sp.attrs && typeof sp.attrs === 'object' ? Object.entries(sp.attrs) : [];
    if (attrs.length) t += ` (${attrs.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ')})`;
    return `${t} [${layerName}]`;
  }

  // The text cut at every boundary of an enabled span; each piece is wrapped in one
  // <mark> per span covering it, outermost (earliest start, then longest) first, so
  // overlapping and nested spans both show.
  function highlight(text, layers, enabled) {
    const map = codepointMap(text);
    const ncp = map.length - 1;
    const spans = [];
    layers.forEach((layer, li) => {
      if (!enabled[li]) return;
      for (const sp of layer.spans || []) {
        const start = Math.max(0, Math.min(ncp, Number(sp.start) || 0));
        const end = Math.max(0, Math.min(ncp, Number(sp.end) || 0));
        if (end <= start) continue;
        const slot = S.article.colours.get(`${layer.name}\u0000${sp.type}`) || 0;
        spans.push({
          start, end,
          cls: `hl layer-${safeClass(layer.name)} type-${safeClass(sp.type)} c${slot}`,
          layer: layer.name, type: sp.type, label: sp.label,
          title: spanTitle(layer.name, sp),
        });
      }
    });
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const cuts = new Set([0, ncp]);
    for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
    const bounds = [...cuts].sort((a, b) => a - b);

    const frag = document.createDocumentFragment();
    let active = [];
    let next = 0;
    for (let k = 0; k + 1 < bounds.length; k++) {
      const a = bounds[k];
      const b = bounds[k + 1];
      while (next < spans.length && spans[next].start <= a) active.push(spans[next++]);
      active = active.filter((s) => s.end > a);
      const piece = text.slice(map[a], map[b]);
      if (!active.length) { frag.append(piece); continue; }
      let outer = null;
      let inner = null;
      const titles = [];
      for (const s of active) {
        titles.push(s.title);
        const m = document.createElement('mark');
        m.className = s.cls;
        m.dataset.layer = s.layer;
        m.dataset.type = s.type;
        if (s.label) m.dataset.label = s.label;
        m.title = titles.join('\n');
        if (inner) inner.append(m); else outer = m;
        inner = m;
      }
      inner.textContent = piece;
      frag.append(outer);
    }
    return frag;
  }

  // ---- keyboard --------------------------------------------------------------------------------

  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const t = e.target;
    const typing = t instanceof Element && t.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');
    if (typing) {
      if (e.key === 'Escape' && t.id === 'q') { t.blur(); e.preventDefault(); }
      return;
    }
    switch (e.key) {
      case '/':
        e.preventDefault();
        $('q').focus();
        $('q').select();
        break;
      case 'j':
      case 'ArrowDown':
        if (!S.rows.length || (e.key === 'ArrowDown' && S.sel < 0)) return;
        e.preventDefault();
        select(S.sel < 0 ? 0 : S.sel + 1, true);
        break;
      case 'k':
      case 'ArrowUp':
        if (!S.rows.length || (e.key === 'ArrowUp' && S.sel < 0)) return;
        e.preventDefault();
        select(S.sel < 0 ? 0 : S.sel - 1, true);
        break;
      case 'Enter':
        if (t instanceof Element && t.closest('a, button, summary')) return; // activates itself
        if (S.sel >= 0 && S.rows[S.sel]) { e.preventDefault(); S.rows[S.sel].link.click(); }
        break;
      case 'Escape':
        goBack();
        break;
      default:
    }
  }

  function goBack() {
    const { parts } = parseHash();
    if (parts[0] === 'article') {
      if (S.fromList) history.back();
      else location.hash = S.lastList || hashFor('catalog', { archive: S.archive });
    } else if (parts[0] === 'search') {
      location.hash = hashFor('catalog', { archive: S.archive });
    }
  }

  // ---- start ---------------------------------------------------------------------------------------

  async function start() {
    initTheme();
    $('search-form').addEventListener('submit', onSearchSubmit);
    document.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', route);
    try {
      S.info = await api('/api/info');
    } catch (err) {
      setStatus(`Cannot read the archive list: ${err.message}`, true);
      return;
    }
    if (!S.info.archives || !S.info.archives.length) {
      setStatus('The server has no archive.', true);
      return;
    }
    fillArchives();
    await route();
  }

  start();
})();
