/* iGlowly Assistant chat widget. Embed with one tag:
 * <script src="https://EDGE/widget.js" data-clinic="demo" defer></script>
 * Optional: data-lang="nl", data-position="left|right", data-api="https://EDGE".
 * Privacy: no cookies, no web storage; the token and the conversation live
 * only in this tab's memory. Server and visitor text is set with textContent
 * only. */
(() => {
  'use strict';
  const MAX = 2000, TURNS = 10, LANGS = ['en', 'nl', 'fr', 'de'];
  const T = {
    en: { open: 'Open chat with the assistant', close: 'Close chat', sub: 'Virtual assistant',
      end: 'End chat', input: 'Your question', ph: 'Type your question…', send: 'Send',
      privacy: 'Messages are not stored. Personal details are removed before processing.',
      hint: 'Enter to send, Shift+Enter for a new line', conn: 'Connecting…',
      ended: 'Chat ended. Nothing was stored.', sources: 'Sources', ref: 'Reference',
      wait: 'Too many messages. Please wait {s} seconds and try again.',
      long: 'Your message is too long. Please shorten it to 2,000 characters.',
      invalid: 'This message could not be processed. Please rephrase it.',
      later: 'The assistant is not available right now. Please try again later.',
      net: 'Connection problem. Please check your connection and try again.',
      fail: 'Something went wrong. Please try again.',
      gone: 'The assistant is not available on this page.' },
    nl: { open: 'Chat openen met de assistent', close: 'Chat sluiten', sub: 'Virtuele assistent',
      end: 'Chat beëindigen', input: 'Uw vraag', ph: 'Typ uw vraag…', send: 'Versturen',
      privacy: 'Berichten worden niet bewaard. Persoonsgegevens worden verwijderd vóór verwerking.',
      hint: 'Enter om te versturen, Shift+Enter voor een nieuwe regel', conn: 'Verbinden…',
      ended: 'Chat beëindigd. Er werd niets bewaard.', sources: 'Bronnen', ref: 'Referentie',
      wait: 'Te veel berichten. Wacht {s} seconden en probeer het opnieuw.',
      long: 'Uw bericht is te lang. Kort het in tot 2.000 tekens.',
      invalid: 'Dit bericht kon niet verwerkt worden. Formuleer het anders.',
      later: 'De assistent is nu niet beschikbaar. Probeer het later opnieuw.',
      net: 'Verbindingsprobleem. Controleer uw verbinding en probeer opnieuw.',
      fail: 'Er ging iets mis. Probeer het opnieuw.',
      gone: 'De assistent is niet beschikbaar op deze pagina.' },
    fr: { open: "Ouvrir le chat avec l'assistant", close: 'Fermer le chat', sub: 'Assistant virtuel',
      end: 'Terminer le chat', input: 'Votre question', ph: 'Écrivez votre question…',
      send: 'Envoyer',
      privacy: 'Les messages ne sont pas conservés. Les données personnelles sont supprimées avant le traitement.',
      hint: 'Entrée pour envoyer, Maj+Entrée pour une nouvelle ligne', conn: 'Connexion…',
      ended: "Chat terminé. Rien n'a été conservé.", sources: 'Sources', ref: 'Référence',
      wait: 'Trop de messages. Patientez {s} secondes puis réessayez.',
      long: 'Votre message est trop long. Limitez-le à 2 000 caractères.',
      invalid: "Ce message n'a pas pu être traité. Veuillez le reformuler.",
      later: "L'assistant n'est pas disponible pour le moment. Réessayez plus tard.",
      net: 'Problème de connexion. Vérifiez votre connexion et réessayez.',
      fail: "Une erreur s'est produite. Veuillez réessayer.",
      gone: "L'assistant n'est pas disponible sur cette page." },
    de: { open: 'Chat mit dem Assistenten öffnen', close: 'Chat schließen',
      sub: 'Virtueller Assistent', end: 'Chat beenden', input: 'Ihre Frage',
      ph: 'Schreiben Sie Ihre Frage…', send: 'Senden',
      privacy: 'Nachrichten werden nicht gespeichert. Persönliche Daten werden vor der Verarbeitung entfernt.',
      hint: 'Enter zum Senden, Umschalt+Enter für eine neue Zeile', conn: 'Verbinden…',
      ended: 'Chat beendet. Es wurde nichts gespeichert.', sources: 'Quellen', ref: 'Referenz',
      wait: 'Zu viele Nachrichten. Bitte warten Sie {s} Sekunden.',
      long: 'Ihre Nachricht ist zu lang. Bitte kürzen Sie sie auf 2.000 Zeichen.',
      invalid: 'Diese Nachricht konnte nicht verarbeitet werden. Bitte formulieren Sie sie um.',
      later: 'Der Assistent ist gerade nicht verfügbar. Bitte versuchen Sie es später.',
      net: 'Verbindungsproblem. Bitte prüfen Sie Ihre Verbindung.',
      fail: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
      gone: 'Der Assistent ist auf dieser Seite nicht verfügbar.' },
  };
  const CSS = `
:host{all:initial!important;position:fixed!important;z-index:2147483000!important;
 bottom:20px!important;right:20px!important;left:auto!important;top:auto!important;
 display:block!important;--ac:#7b3f6e;--ac2:#5f2f55}
.panel,.launch{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
 color:#241b27;text-align:left}
:host([data-position=left]){left:20px!important;right:auto!important}
*{box-sizing:border-box}[hidden]{display:none!important}
button{font:inherit;cursor:pointer}
:focus-visible{outline:3px solid #e0a5cf;outline-offset:2px}
.launch{width:60px;height:60px;border-radius:50%;border:0;background:var(--ac);color:#fff;
 display:grid;place-items:center;box-shadow:0 6px 20px rgba(60,20,50,.35)}
.launch:hover{background:var(--ac2)}
.launch[aria-expanded=true] svg+svg,.launch[aria-expanded=false] svg:first-child{display:none}
svg{width:26px;height:26px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;
 stroke-linejoin:round}
.panel{position:absolute;bottom:76px;right:0;width:370px;height:min(580px,calc(100vh - 120px));
 display:flex;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;
 box-shadow:0 12px 40px rgba(40,15,35,.28);animation:in .18s ease-out}
:host([data-position=left]) .panel{right:auto;left:0}
@keyframes in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){.panel{animation:none}}
@media (max-width:480px){.panel{position:fixed;inset:0;width:auto;height:auto;border-radius:0}}
header{display:flex;align-items:center;gap:8px;padding:14px 12px 14px 18px;background:var(--ac);
 color:#fff}
.ttl{flex:1;min-width:0}
h2{margin:0;font-size:17px;font-weight:650;white-space:nowrap;overflow:hidden;
 text-overflow:ellipsis}
.sub{font-size:12.5px;opacity:.85}
.hb{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.5);border-radius:8px;
 padding:5px 9px;font-size:13px}
.hb:hover{background:rgba(255,255,255,.15)}
.x{border:0;padding:4px;display:grid}
.log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:10px;
 background:#fbf8fa}
.m{max-width:85%;padding:9px 13px;border-radius:14px;white-space:pre-wrap;
 overflow-wrap:anywhere}
.a{align-self:flex-start;background:#f1e8ef;border-bottom-left-radius:4px}
.u{align-self:flex-end;background:var(--ac);color:#fff;border-bottom-right-radius:4px}
.s{align-self:center;font-size:13px;color:#6b5c67;text-align:center;max-width:95%}
.s.err{color:#9b1c31}
.busy .t::after{content:'…';animation:blink 1s steps(2) infinite}
@keyframes blink{50%{opacity:.2}}
.n{margin:6px 0 0;font-size:12.5px;color:#5d4d59}
.src{margin:6px 0 0;padding:0 0 0 18px;font-size:13px}
.src a{color:var(--ac2)}
.pv{margin:0;padding:7px 16px;font-size:12px;color:#5d4d59;background:#fff;
 border-top:1px solid #efe6ec}
form{display:flex;gap:8px;align-items:flex-end;padding:10px 12px 12px;background:#fff}
.w{flex:1;position:relative}
textarea{width:100%;min-height:44px;max-height:120px;resize:none;font:inherit;color:inherit;
 border:1px solid #cdbdc9;border-radius:12px;padding:10px 12px 18px;background:#fff}
textarea:focus{border-color:var(--ac)}
.c{position:absolute;right:10px;bottom:4px;font-size:11px;color:#6b5c67}
.c.over{color:#9b1c31}
.go{width:44px;height:44px;border:0;border-radius:12px;background:var(--ac);color:#fff;
 display:grid;place-items:center}
.go:disabled{background:#c9b6c4;cursor:default}
.go svg{width:20px;height:20px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}`;

  const me = document.currentScript;
  const clinic = (me && me.dataset.clinic) || '';
  if (!/^[a-z0-9-]{3,40}$/.test(clinic)) return console.error('iGlowly: bad data-clinic');
  let api;
  try {
    const u = new URL(me.dataset.api || me.src, location.href);
    if (!/^https?:$/.test(u.protocol)) throw 0;
    api = u.origin + (me.dataset.api ? u.pathname.replace(/\/+$/, '') : '');
  } catch (e) { return console.error('iGlowly: bad data-api'); }

  // st is all the widget's state: in memory only, gone with the tab.
  const st = { token: '', info: {}, lang: pick(LANGS), history: [], busy: false,
    ctrl: null, starting: null };
  const ui = {};
  const t = (k) => T[st.lang][k];

  function pick(avail) {
    for (const w of [me.dataset.lang, ...(navigator.languages || []), navigator.language]) {
      const l = String(w || '').toLowerCase().split('-')[0];
      if (avail.includes(l)) return l;
    }
    return avail[0];
  }

  // el builds an element; attrs are attributes, except text (textContent).
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    }
    e.append(...kids);
    return e;
  }
  function icon(d) {
    const ns = 'http://www.w3.org/2000/svg';
    const s = document.createElementNS(ns, 'svg'), p = document.createElementNS(ns, 'path');
    s.setAttribute('viewBox', '0 0 24 24');
    s.setAttribute('aria-hidden', 'true');
    p.setAttribute('d', d);
    s.append(p);
    return s;
  }

  function build() {
    if (document.querySelector('iglowly-assistant')) return; // embedded twice
    const host = el('iglowly-assistant', { 'data-position':
      me.dataset.position === 'left' ? 'left' : 'right' });
    const root = host.attachShadow({ mode: 'open' });
    if (root.adoptedStyleSheets && window.CSSStyleSheet) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else root.append(el('style', { text: CSS }));
    const b = (cls, type, ...kids) => el('button', { class: cls, type }, ...kids);
    ui.launch = b('launch', 'button', icon('M6 9l6 6 6-6'),
      icon('M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z'));
    ui.launch.setAttribute('aria-expanded', 'false');
    ui.launch.setAttribute('aria-controls', 'ig-panel');
    ui.title = el('h2', { id: 'ig-title', text: 'Chat' });
    ui.sub = el('div', { class: 'sub' });
    ui.end = b('hb', 'button');
    ui.close = b('hb x', 'button', icon('M6 6l12 12M18 6L6 18'));
    ui.log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', tabindex: '0' });
    ui.pv = el('p', { class: 'pv' });
    ui.input = el('textarea', { rows: '1', maxlength: MAX, 'aria-describedby': 'ig-hint ig-count' });
    ui.count = el('span', { class: 'c', id: 'ig-count' });
    ui.hint = el('span', { class: 'vh', id: 'ig-hint' });
    ui.send = b('go', 'submit', icon('M4 12l16-8-6 16-2.5-6.5zM11.5 13.5L20 4'));
    const form = el('form', {}, el('div', { class: 'w' }, ui.input, ui.count, ui.hint), ui.send);
    ui.panel = el('div', { class: 'panel', id: 'ig-panel', role: 'dialog',
      'aria-labelledby': 'ig-title', hidden: '' },
    el('header', {}, el('div', { class: 'ttl' }, ui.title, ui.sub), ui.end, ui.close),
    ui.log, ui.pv, form);
    root.append(ui.panel, ui.launch);

    ui.launch.addEventListener('click', () => (ui.panel.hidden ? open() : close()));
    ui.close.addEventListener('click', close);
    ui.end.addEventListener('click', endChat);
    ui.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); close(); }
    });
    form.addEventListener('submit', (e) => { e.preventDefault(); send(); });
    ui.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
    });
    ui.input.addEventListener('input', update);
    addEventListener('pagehide', () => drop(true));
    labels();
    document.body.append(host);
  }

  // labels sets every UI string in the visitor's language.
  function labels() {
    const set = (e, a, k) => e.setAttribute(a, t(k));
    set(ui.launch, 'aria-label', 'open');
    set(ui.close, 'aria-label', 'close');
    set(ui.input, 'aria-label', 'input');
    set(ui.input, 'placeholder', 'ph');
    set(ui.send, 'aria-label', 'send');
    ui.sub.textContent = t('sub');
    ui.end.textContent = t('end');
    ui.pv.textContent = t('privacy');
    ui.hint.textContent = t('hint');
    if (st.info.name) ui.title.textContent = String(st.info.name);
    update();
  }

  function update() {
    const n = ui.input.value.length;
    ui.count.textContent = n + ' / ' + MAX;
    ui.count.classList.toggle('over', n > MAX);
    if (!ui.panel.hidden) { // grow with the text, up to the CSS max-height
      ui.input.style.height = 'auto';
      ui.input.style.height = ui.input.scrollHeight + 2 + 'px';
    }
    ui.send.disabled = st.busy || !ui.input.value.trim() || n > MAX;
  }

  function open() {
    ui.panel.hidden = false;
    ui.launch.setAttribute('aria-expanded', 'true');
    update();
    ui.input.focus();
    if (!st.token && !ui.log.childElementCount) session(true).catch(() => {});
  }
  function close() {
    ui.panel.hidden = true;
    ui.launch.setAttribute('aria-expanded', 'false');
    ui.launch.focus();
  }

  function add(kind, text) {
    const m = el('div', { class: 'm ' + kind }, el('div', { class: 't', text }));
    ui.log.append(m);
    ui.log.scrollTop = ui.log.scrollHeight;
    return m;
  }
  function note(text, err, rid) {
    const m = add(err ? 's err' : 's', text);
    if (rid) m.append(el('div', { text: t('ref') + ': ' + rid }));
    return m;
  }

  class Failure extends Error {
    constructor(msg, rid) { super(msg); this.rid = rid || ''; }
  }

  // session opens one session at a time; greet shows progress, errors and
  // the clinic's greeting in the log.
  function session(greet) {
    if (st.starting) return st.starting;
    const wait = greet && note(t('conn'));
    st.starting = (async () => {
      try {
        const res = await fetch(api + '/v1/sessions', { method: 'POST', credentials: 'omit',
          headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ clinic }) });
        if (!res.ok) throw await failure(res, true);
        const d = await res.json();
        if (!d || typeof d.token !== 'string' || !d.token) throw new Failure(t('fail'));
        st.token = d.token;
        st.info = d.clinic && typeof d.clinic === 'object' ? d.clinic : {};
        const langs = [].concat(st.info.languages || []).filter((l) => LANGS.includes(l));
        st.lang = pick(langs.length ? langs : LANGS);
        labels();
        if (greet && st.info.greeting) add('a', String(st.info.greeting));
      } catch (e) {
        const f = e instanceof Failure ? e : new Failure(t('net'));
        if (greet) f.shown = !!note(f.message, true, f.rid);
        throw f;
      } finally {
        if (wait) wait.remove();
        st.starting = null;
      }
    })();
    return st.starting;
  }

  // failure turns an error response into a Failure the visitor can read.
  async function failure(res, opening) {
    let err = {};
    try { err = (await res.json()).error || {}; } catch (e) { /* not JSON */ }
    const k = { 413: 'long', 422: 'invalid', 503: 'later', 403: 'gone', 404: 'gone' };
    let key = k[res.status] || 'fail';
    if (err.code === 'message_too_long') key = 'long';
    if (opening && res.status === 422) key = 'gone';
    let msg = t(key);
    if (res.status === 429) msg = t('wait').replace('{s}', retryAfter(res));
    return new Failure(msg, err.request_id);
  }
  function retryAfter(res) {
    const h = res.headers.get('Retry-After') || '';
    const s = /^\d+$/.test(h) ? +h : Math.ceil((Date.parse(h) - Date.now()) / 1000);
    return Math.max(1, Math.min(s || 30, 3600));
  }

  // chat posts the message; on 401 it opens a new session and retries once.
  async function chat(message, retried) {
    st.ctrl = new AbortController();
    const res = await fetch(api + '/v1/chat', { method: 'POST', credentials: 'omit',
      signal: st.ctrl.signal, headers: { Authorization: 'Bearer ' + st.token,
        'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ message, history: st.history, lang: st.lang }) });
    if (res.status !== 401 || retried) return res;
    st.token = '';
    await session(false);
    return chat(message, true);
  }

  async function send() {
    const text = ui.input.value.trim();
    if (st.busy || !text || text.length > MAX) return;
    st.busy = true;
    update();
    let mine, bubble;
    try {
      if (!st.token) await session(!ui.log.querySelector('.a'));
      ui.input.value = '';
      update();
      mine = add('u', text);
      bubble = add('a busy', '');
      bubble.setAttribute('aria-busy', 'true');
      const res = await chat(text);
      if (!res.ok) throw await failure(res, false);
      await receive(res, bubble);
    } catch (e) {
      if (e.name === 'AbortError') return;
      for (const m of [mine, bubble]) if (m) m.remove();
      if (!ui.input.value.trim()) ui.input.value = text; // let the visitor edit and resend
      const f = e instanceof Failure ? e : new Failure(t('net'));
      if (!f.shown) note(f.message, true, f.rid);
    } finally {
      st.busy = false;
      st.ctrl = null;
      update();
    }
  }

  // receive reads the answer, streamed as SSE or as one JSON object.
  async function receive(res, bubble) {
    if (!/text\/event-stream/.test(res.headers.get('Content-Type'))) {
      return finish(bubble, await res.json());
    }
    let done, err, got = '';
    await readSSE(res.body, (type, data) => {
      let d;
      try { d = JSON.parse(data) || {}; } catch (e) { return false; }
      if (type === 'chunk' && typeof d.text === 'string') {
        got += d.text;
        bubble.firstChild.textContent = got;
        bubble.classList.remove('busy');
        ui.log.scrollTop = ui.log.scrollHeight;
      } else if (type === 'done') done = d;
      else if (type === 'error') err = d.error || {};
      return !!(done || err);
    });
    if (done) return finish(bubble, done);
    throw new Failure(t(err ? 'fail' : 'net'), err && err.request_id);
  }

  // readSSE calls onEvent(type, data) for each event, whatever way events
  // and line breaks are split across reads; it stops when onEvent says so.
  async function readSSE(body, onEvent) {
    const reader = body.getReader(), dec = new TextDecoder();
    let buf = '', type = '', data = [];
    const line = (l) => {
      if (!l) {
        const stop = data.length > 0 && onEvent(type || 'message', data.join('\n'));
        type = '';
        data = [];
        return stop;
      }
      const i = l.indexOf(':'), f = i < 0 ? l : l.slice(0, i);
      const v = i < 0 ? '' : l.slice(l[i + 1] === ' ' ? i + 2 : i + 1);
      if (f === 'event') type = v;
      else if (f === 'data') data.push(v);
      return false; // comments (empty field name), id and retry are ignored
    };
    for (;;) {
      const { value, done } = await reader.read();
      buf += dec.decode(value, { stream: !done });
      let m;
      while ((m = /\r\n|\r|\n/.exec(buf))) {
        if (m[0] === '\r' && m.index === buf.length - 1 && !done) break; // "\r" + next "\n"?
        const l = buf.slice(0, m.index);
        buf = buf.slice(m.index + m[0].length);
        if (line(l)) return reader.cancel().catch(() => {});
      }
      if (done) return; // an unterminated last event is dropped, as the SSE spec says
    }
  }

  // finish shows the final answer, notices and sources, and keeps the turn
  // in history: the visitor's turn as the server redacted it, never as typed.
  function finish(bubble, d) {
    d = d && typeof d === 'object' ? d : {};
    const answer = typeof d.answer === 'string' ? d.answer : '';
    bubble.classList.remove('busy');
    bubble.removeAttribute('aria-busy');
    bubble.firstChild.textContent = answer;
    for (const n of [].concat(d.notices || [])) {
      if (typeof n === 'string' && n) bubble.append(el('p', { class: 'n', text: n }));
    }
    const links = [].concat(d.sources || []);
    if (links.length) bubble.append(el('ul', { class: 'src', 'aria-label': t('sources') },
      ...links.map(source)));
    if (typeof d.redacted_message === 'string') remember('user', d.redacted_message);
    if (answer) remember('assistant', answer);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // source links only to http(s) URLs; anything else stays plain text.
  function source(s) {
    s = s && typeof s === 'object' ? s : {};
    const title = String(s.title || s.url || '');
    let u;
    try { u = new URL(s.url); } catch (e) { /* not a URL */ }
    if (!u || !/^https?:$/.test(u.protocol)) return el('li', { text: title });
    return el('li', {}, el('a', { href: u.href, target: '_blank',
      rel: 'noopener noreferrer', text: title }));
  }

  function remember(role, text) {
    st.history.push({ role, text });
    st.history.splice(0, st.history.length - TURNS);
  }

  // drop ends the server session, best effort, and forgets the token.
  function drop(keepalive) {
    if (!st.token) return;
    fetch(api + '/v1/sessions/current', { method: 'DELETE', credentials: 'omit', keepalive,
      headers: { Authorization: 'Bearer ' + st.token } }).catch(() => {});
    st.token = '';
  }

  function endChat() {
    if (st.ctrl) st.ctrl.abort();
    drop(false);
    st.history = [];
    ui.log.replaceChildren();
    note(t('ended'));
    ui.input.focus();
  }

  if (document.body) build();
  else document.addEventListener('DOMContentLoaded', build);
})();
