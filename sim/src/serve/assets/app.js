// idc explore: the page. Plain JavaScript, no framework, no network but the server's
// JSON API (docs/explore.md, version 1). The URL names the path: #path=3,17.1.
'use strict';

(function () {
  const API = '/api/v1/';
  const TIP_KEY = 'idc-explore-tip';

  // What the page knows: the model (once), the state shown, and the "tip": the longest
  // path followed that the current one is a prefix of (Forward walks towards it).
  const app = {
    model: null,
    path: null,
    view: null,
    tip: '',
    tipSteps: [],
    seq: 0,
    checking: false,
    // The claim of the counterexample, example or trace loaded ({property, step, path}):
    // the download keeps it while the path goes through its first `step` steps.
    claim: null,
    // The state panels as last rendered (stateSnapshot), to highlight what a step changed.
    stateSnapshot: null,
    // The expressions shown as columns of the path (the query box's "Add column"), and
    // their values along the tip: expr -> {tip, values}.
    shows: [],
    shown: new Map(),
  };

  const $ = (id) => document.getElementById(id);

  // ---- DOM helpers -------------------------------------------------------------------

  // A design's names for the accounts (config.accounts: model id to name); empty without
  // a design. The API speaks of accounts by their model ids; the page shows
  // `security-tooling (member-1)` wherever an account appears (data-* attributes keep ids).
  let accountNames = {};

  // `text` with every account id that stands as a word labelled by the design's name. An id
  // already in a label (`(member-1)`) stays, and so does `management account` (prose).
  function relabel(text) {
    if (typeof text !== 'string' || Object.keys(accountNames).length === 0) return text;
    return text.replace(/(^|[^A-Za-z0-9_-])(management|member-[0-9]+)(?![A-Za-z0-9_-])/g, (m, pre, id, at, all) => {
      const end = at + m.length;
      const name = accountNames[id];
      if (!name) return m;
      if (pre === '(' && all[end] === ')') return m;
      if (id === 'management' && all.startsWith(' account', end)) return m;
      return pre + name + ' (' + id + ')';
    });
  }

  // el('div', {class: 'x', 'data-testid': 'y', text: 'z', onclick: f}, child, ...): text
  // (attribute `text`, `title` and string children) names accounts as relabel does.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') node.textContent = relabel(String(v));
      else if (k === 'title') node.setAttribute(k, relabel(String(v)));
      else if (k === 'class') node.className = v;
      else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(relabel(String(c))) : c);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // ---- messages ----------------------------------------------------------------------

  // "1 step", "2 steps".
  function nSteps(n) {
    return n + (n === 1 ? ' step' : ' steps');
  }

  // "1 call", "2 calls".
  function nCalls(n) {
    return n + (n === 1 ? ' call' : ' calls');
  }

  function oneLine(s) {
    return String(s).replace(/\s+/g, ' ').trim();
  }

  function showError(msg) {
    const e = $('error');
    const line = oneLine(msg);
    e.textContent = line;
    e.title = line;
    e.hidden = false;
  }

  function clearError() {
    const e = $('error');
    e.textContent = '';
    e.hidden = true;
  }

  function notice(msg) {
    const n = $('notice');
    if (!msg) {
      n.textContent = '';
      n.hidden = true;
      return;
    }
    n.textContent = oneLine(msg);
    n.hidden = false;
  }

  function setStatus(status) {
    $('app').dataset.status = status;
  }

  // Runs an async handler; whatever it throws is shown on the page, never uncaught.
  function safe(fn) {
    return function (...args) {
      try {
        const r = fn.apply(this, args);
        if (r && typeof r.catch === 'function') r.catch((e) => showError(errorText(e)));
      } catch (e) {
        showError(errorText(e));
      }
    };
  }

  function errorText(e) {
    if (e && e.message) return e.message;
    return String(e);
  }

  window.addEventListener('error', (ev) => showError('page error: ' + (ev.message || 'unknown')));
  window.addEventListener('unhandledrejection', (ev) => {
    ev.preventDefault();
    showError(errorText(ev.reason));
  });

  // ---- the API -----------------------------------------------------------------------

  function url(endpoint, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) q.set(k, v);
    const s = q.toString();
    return API + endpoint + (s ? '?' + s : '');
  }

  // GET (or POST) an endpoint; throws an Error with one line for a 4xx/5xx or a network error.
  async function api(endpoint, params, init) {
    const u = url(endpoint, params);
    let res;
    try {
      res = await fetch(u, Object.assign({ headers: { Accept: 'application/json' } }, init || {}));
    } catch (e) {
      throw new Error('network error: ' + u + ': ' + errorText(e) + ' (is idc explore still running?)');
    }
    let text = '';
    try {
      text = await res.text();
    } catch (e) {
      throw new Error('network error while reading ' + u + ': ' + errorText(e));
    }
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const msg = body && body.error ? body.error : oneLine(text).slice(0, 200) || res.statusText;
      const err = new Error(msg);
      err.status = res.status;
      err.endpoint = endpoint;
      throw err;
    }
    if (body === null) throw new Error(u + ': the answer is not JSON');
    return body;
  }

  // ---- paths -------------------------------------------------------------------------

  function tokens(p) {
    return p ? p.split(',') : [];
  }

  function norm(tok) {
    return /^\d+\.0$/.test(tok) ? tok.slice(0, -2) : tok;
  }

  function prefix(p, k) {
    return tokens(p).slice(0, k).join(',');
  }

  function isPrefix(a, b) {
    const ta = tokens(a).map(norm);
    const tb = tokens(b).map(norm);
    if (ta.length > tb.length) return false;
    return ta.every((t, i) => t === tb[i]);
  }

  function hashPath() {
    const h = location.hash.replace(/^#/, '');
    if (!h) return '';
    const v = new URLSearchParams(h).get('path');
    return v === null ? '' : v;
  }

  // Goes to a counterexample, example or trace: its claim, if any, comes with it.
  function goLoaded(p, claim) {
    app.claim = claim ? { property: claim.property, step: claim.step, path: p } : null;
    go(p);
  }

  function go(p) {
    clearError();
    const target = '#path=' + p;
    if (location.hash === target) load(p); // the same URL: no hashchange, load it again
    else location.hash = target;
  }

  function saveTip() {
    try {
      sessionStorage.setItem(TIP_KEY, JSON.stringify({ tip: app.tip, steps: app.tipSteps }));
    } catch (e) {
      /* storage unavailable: Forward only works within this page load */
    }
  }

  function restoreTip() {
    try {
      const t = JSON.parse(sessionStorage.getItem(TIP_KEY) || 'null');
      if (t && typeof t.tip === 'string' && Array.isArray(t.steps)) {
        app.tip = t.tip;
        app.tipSteps = t.steps;
      }
    } catch (e) {
      /* ignore */
    }
  }

  // ---- loading a state ---------------------------------------------------------------

  async function load(p) {
    const my = ++app.seq;
    setStatus('loading');
    $('app').dataset.requested = p;
    let view;
    try {
      view = await api('state', { path: p });
    } catch (e) {
      if (my !== app.seq) return;
      showError(e.status ? errorText(e) : 'state of path "' + p + '": ' + errorText(e));
      setStatus('error');
      return;
    }
    if (my !== app.seq) return;
    const prevPath = app.view ? app.path : null;
    app.view = view;
    app.path = view.path;
    if (!isPrefix(view.path, app.tip) || app.tipSteps.length < tokens(app.tip).length) {
      app.tip = view.path;
      app.tipSteps = view.steps;
      saveTip();
    }
    if (view.path !== p && hashPath() === p) {
      history.replaceState(null, '', '#path=' + view.path);
    }
    try {
      render(prevPath);
    } catch (e) {
      showError('cannot show this state: ' + errorText(e));
    }
    $('app').dataset.path = view.path;
    setStatus('ready');
    loadMermaid(view.path, my);
    loadDiagram(view.path, my);
  }

  // The sequence diagram drawn by the server (/api/v1/diagram, SVG), parsed as XML and
  // adopted into the page: no script, no network.
  async function loadDiagram(p, my) {
    const box = $('diagram');
    box.dataset.path = '';
    const u = url('diagram', { path: p });
    try {
      const res = await fetch(u, { headers: { Accept: 'image/svg+xml' } });
      const text = await res.text();
      if (my !== app.seq) return;
      if (!res.ok) throw new Error(text);
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const svg = doc.documentElement;
      if (!svg || svg.nodeName !== 'svg') throw new Error('the diagram is not SVG');
      clear(box).appendChild(document.importNode(svg, true));
      box.dataset.path = p;
    } catch (e) {
      if (my !== app.seq) return;
      clear(box);
      showError('sequence diagram: ' + errorText(e));
    }
  }

  // Where find and the check start: the state on screen.
  function fromLabel(p) {
    const n = tokens(p).length;
    if (n > 0) return 'from the state after step ' + n;
    return app.model && app.model.start ? 'from the start state' : 'from the initial state';
  }

  async function loadMermaid(p, my) {
    const pre = $('mermaid');
    pre.textContent = 'loading…';
    pre.dataset.path = '';
    try {
      const m = await api('mermaid', { path: p });
      if (my !== app.seq) return;
      pre.textContent = m.mermaid;
      pre.dataset.path = p;
    } catch (e) {
      if (my !== app.seq) return;
      pre.textContent = '';
      showError('sequence diagram: ' + errorText(e));
    }
  }

  // ---- rendering ---------------------------------------------------------------------

  // What changed: the state panels' elements with a data-testid, each under a key made of
  // the data-testids and names (account, user, group, permission set) from its panel down
  // to it, with its HTML as signature. After one step forward, an element whose key is new
  // or whose signature differs gets the class `changed`.
  const STATE_PANELS = ['organization', 'identity-center', 'identities'];

  function stateSnapshot() {
    const snap = new Map();
    for (const id of STATE_PANELS) {
      const root = $(id);
      const seen = new Map();
      for (const node of root.querySelectorAll('[data-testid]')) {
        const parts = [];
        for (let a = node; a && a !== root; a = a.parentElement) {
          if (!a.dataset || !a.dataset.testid) continue;
          const d = a.dataset;
          const name = [d.user, d.account, d.group, d.permissionSet].filter(Boolean).join('@') ||
            (d.testid === 'assignment' ? a.textContent : '');
          parts.unshift(d.testid + (name ? '=' + name : ''));
        }
        const key = id + '/' + parts.join('/');
        const k = (seen.get(key) || 0) + 1;
        seen.set(key, k);
        snap.set(key + '#' + k, { node, sig: node.outerHTML });
      }
    }
    return snap;
  }

  function markChanged(before, after) {
    for (const [key, cur] of after) {
      const old = before.get(key);
      if (!old || old.sig !== cur.sig) cur.node.classList.add('changed');
    }
  }

  function render(prevPath) {
    const v = app.view;
    const n = tokens(v.path).length;
    const stepped = prevPath !== null && prevPath !== undefined && n === tokens(prevPath).length + 1 && isPrefix(prevPath, v.path);
    const root = app.model && app.model.start ? 'start state (step 0: the design\'s ' + nCalls(app.model.start) + ')' : 'initial state (step 0)';
    $('where').textContent = n === 0 ? root : 'after step ' + n;
    $('search-from').textContent = fromLabel(v.path);
    renderOrganization(v.state);
    renderIdentityCenter(v.state);
    renderIdentities(v.state);
    // The signatures are taken before any `changed` class is set.
    const before = app.stateSnapshot;
    app.stateSnapshot = stateSnapshot();
    if (stepped && before) markChanged(before, app.stateSnapshot);
    renderCalls(v.calls || []);
    renderSteps();
    renderProperties(v.properties || []);
    const d = $('download');
    const c = app.claim;
    const keeps = c && tokens(v.path).length >= c.step && isPrefix(prefix(c.path, c.step), v.path);
    d.href = url('trace', keeps ? { path: v.path, claim: c.property, step: c.step } : { path: v.path });
  }

  function fmtParams(params) {
    const e = Object.entries(params || {});
    if (e.length === 0) return '';
    return '(' + e.map(([k, val]) => k + '=' + val).join(', ') + ')';
  }

  function fmtBranch(branch) {
    const e = Object.entries(branch || {});
    return e.map(([k, val]) => k + '=' + val).join(', ');
  }

  function outcomeKind(o) {
    if (o === 'ok') return 'ok';
    if (o && typeof o === 'object' && 'not_made' in o) return 'not-made';
    return 'refused';
  }

  function fmtOutcome(o) {
    const k = outcomeKind(o);
    if (k === 'ok') return 'ok';
    if (k === 'not-made') return 'not made (' + o.not_made + ')';
    let s = o.error || 'refused';
    if (o.reason) s += ' (' + o.reason + ')';
    if (o.rule) s += ' [' + o.rule + ']';
    return s;
  }

  function statusOf(state, account) {
    const a = state.organization.accounts.find((x) => x.account === account);
    return a ? a.status : null;
  }

  function tag(text, cls, testid, title) {
    return el('span', { class: 'tag ' + (cls || ''), 'data-testid': testid || null, title: title || null, text });
  }

  // The organization as a picture: the organization frame with the accounts in it, the
  // accounts outside it, and what each one holds.
  function renderOrganization(state) {
    const root = clear($('organization'));
    const org = state.organization;
    const delegates = state.registry.delegated_administrators;
    const ic = state.identity_center;
    const src = state.identity_source;
    const inside = org.accounts.filter((a) => a.status === 'ACTIVE' || a.status === 'SUSPENDED');
    const outside = org.accounts.filter((a) => !(a.status === 'ACTIVE' || a.status === 'SUSPENDED'));

    function card(a) {
      const name = a.account;
      const mgmt = name === 'management';
      const tags = [];
      if (delegates.includes(name)) tags.push(tag('delegated administrator', 'delegate', 'delegate-tag', 'registered as delegated administrator for sso.amazonaws.com'));
      if (ic.instance === name) tags.push(tag('organization instance', 'instance', 'instance-tag', 'owns the IAM Identity Center organization instance'));
      if (ic.account_instances.includes(name)) tags.push(tag('account instance', 'account-instance', 'account-instance-tag', 'has an IAM Identity Center account instance'));
      if (src.directories.includes(name)) {
        const isSource = src.owner === name;
        tags.push(tag(isSource ? 'AD directory (identity source)' : 'AD directory', isSource ? 'directory source' : 'directory', 'directory-tag',
          isSource ? 'owns the AD directory that is the identity source' : 'owns an AD directory'));
      } else if (src.owner === name) {
        tags.push(tag('AD directory owner (identity source)', 'directory source', 'directory-tag'));
      }
      if ((src.identities_controlled_by || []).includes(name)) tags.push(tag('controls the identities', 'controls', 'controls-tag', 'controls the identities of the identity source (SRC-6)'));
      return el('div', {
        class: 'account status-' + a.status + (mgmt ? ' management' : '') + (delegates.includes(name) ? ' is-delegate' : ''),
        'data-testid': 'account',
        'data-account': name,
        'data-status': a.status,
      },
      el('div', { class: 'account-head' },
        el('span', { class: 'account-name', text: name }),
        el('span', { class: 'status status-' + a.status, 'data-testid': 'status', text: a.status })),
      el('div', { class: 'account-role', text: mgmt ? 'management account' : 'member account' }),
      tags.length ? el('div', { class: 'tags' }, tags) : null);
    }

    root.appendChild(el('div', { class: 'org-frame' },
      el('div', { class: 'org-head' },
        el('span', { class: 'org-title', text: 'Organization' }),
        el('span', { class: 'switch ' + (org.trusted_access ? 'on' : 'off'), 'data-testid': 'trusted-access', 'data-on': String(org.trusted_access) },
          'trusted access for sso.amazonaws.com: ', el('b', { text: org.trusted_access ? 'on' : 'off' }))),
      el('div', { class: 'accounts' }, inside.map(card))));
    if (outside.length) {
      root.appendChild(el('div', { class: 'outside-frame' },
        el('div', { class: 'org-head' }, el('span', { class: 'org-title', text: 'Outside the organization' })),
        el('div', { class: 'accounts' }, outside.map(card))));
    }
    root.appendChild(el('div', { class: 'registry', 'data-testid': 'registry', 'data-delegates': delegates.join(',') },
      'Delegated administrators for sso.amazonaws.com: ',
      el('b', { text: delegates.length ? delegates.join(', ') : 'none' })));
  }

  function renderIdentityCenter(state) {
    const root = clear($('identity-center'));
    const ic = state.identity_center;
    const src = state.identity_source;
    const rows = [];
    const row = (k, v, testid, cls) => rows.push(el('tr', { 'data-testid': testid || null, class: cls || null }, el('th', { text: k }), el('td', {}, v)));
    row('organization instance', ic.instance ? ic.instance : 'none', 'instance');
    row('account instances', ic.account_instances.length ? ic.account_instances.join(', ') : 'none', 'account-instances');
    row('identity source', src.source, 'identity-source');
    if (src.owner) {
      const st = statusOf(state, src.owner);
      row('directory owner', src.owner + (st && st !== 'ACTIVE' ? ' (' + st + ')' : ''), 'directory-owner', st && st !== 'ACTIVE' ? 'bad' : null);
    }
    const sync = src.ad_sync ? (src.ad_sync_paused ? 'paused' : 'on') : 'off';
    row('AD sync', el('span', { class: 'switch ' + (sync === 'on' ? 'on' : 'off'), 'data-on': String(sync === 'on'), text: sync }), 'ad-sync');
    if (src.idp_configured_by) row('external IdP configured by', src.idp_configured_by, 'idp-configured-by');
    row('AD directories in', src.directories.length ? src.directories.join(', ') : 'none', 'directories');
    const controllers = src.identities_controlled_by || [];
    row('identities controlled by', controllers.length ? controllers.join(', ') : 'no account of the organization', 'identities-controlled-by',
      controllers.some((a) => a !== 'management') ? 'bad' : null);
    root.appendChild(el('table', { class: 'kv' }, el('tbody', {}, rows)));
  }

  // Why an access is not effective: the conditions of idc state (no organization
  // instance, trusted access off, the account not ACTIVE, the directory owner not ACTIVE),
  // and the user's own status (disabled).
  function whyNotEffective(state, account, user) {
    const why = [];
    if ((state.identities.disabled_users || []).includes(user)) why.push(user + ' is disabled');
    if (!state.identity_center.instance) why.push('no organization instance');
    if (!state.organization.trusted_access) why.push('trusted access off');
    const st = statusOf(state, account);
    if (st !== 'ACTIVE') why.push(account + ' is ' + st);
    const src = state.identity_source;
    if (src.source.startsWith('active-directory') && src.owner) {
      const ost = statusOf(state, src.owner);
      if (ost !== 'ACTIVE') why.push('directory owner ' + src.owner + ' is ' + ost);
    }
    return why.length ? why.join('; ') : 'not effective';
  }

  function renderIdentities(state) {
    const root = clear($('identities'));
    const ids = state.identities;
    const src = state.identity_source;

    // Who reaches the management account, and who controls those identities.
    const reach = state.access.filter((a) => a.account === 'management' && a.effective).map((a) => a.user);
    const controllers = src.identities_controlled_by || [];
    const ctrl = controllers.join(', ');
    const danger = reach.length > 0 && controllers.some((a) => a !== 'management');
    root.appendChild(el('div', { class: 'reach' + (reach.length ? ' some' : '') + (danger ? ' danger' : ''), 'data-testid': 'management-reach', 'data-users': reach.join(',') },
      el('div', {}, 'Who reaches the management account: ', el('b', { text: reach.length ? reach.join(', ') : 'nobody' })),
      reach.length ? el('div', {}, 'their identities are controlled by: ', el('b', { text: ctrl || 'no account of the organization' }), danger ? ' (not the management account)' : '') : null));

    const users = el('div', { class: 'sub-panel', 'data-testid': 'users' }, el('h3', { text: 'Users' }),
      ids.users.length ? el('div', { class: 'chips' }, ids.users.map((u) => el('span', { class: 'chip user', text: (ids.disabled_users || []).includes(u) ? u + ' (disabled)' : u }))) : el('div', { class: 'none', text: 'none' }));
    const groups = el('div', { class: 'sub-panel', 'data-testid': 'groups' }, el('h3', { text: 'Groups' }),
      ids.groups.length ? el('ul', { class: 'plain' }, ids.groups.map((g) => el('li', { 'data-testid': 'group', 'data-group': g.group },
        el('span', { class: 'chip group', text: g.group }), ' members: ', g.members.length ? g.members.join(', ') : 'none'))) : el('div', { class: 'none', text: 'none' }));
    const psets = el('div', { class: 'sub-panel', 'data-testid': 'permission-sets' }, el('h3', { text: 'Permission sets' }),
      state.permission_sets.length ? el('ul', { class: 'plain' }, state.permission_sets.map((p) => el('li', { 'data-testid': 'permission-set', 'data-permission-set': p.permission_set },
        el('span', { class: 'chip ps', text: p.permission_set }), ' provisioned in: ', p.provisioned_in.length ? p.provisioned_in.join(', ') : 'none'))) : el('div', { class: 'none', text: 'none' }));
    root.appendChild(el('div', { class: 'id-grid' }, users, groups, psets));

    root.appendChild(el('h3', { text: 'Account assignments' }));
    if (state.assignments.length) {
      root.appendChild(el('table', { class: 'grid', 'data-testid': 'assignments' },
        el('thead', {}, el('tr', {}, el('th', { text: 'principal' }), el('th', { text: 'permission set' }), el('th', { text: 'account' }))),
        el('tbody', {}, state.assignments.map((a) => el('tr', { 'data-testid': 'assignment' },
          el('td', { text: a.principal }), el('td', { text: a.permission_set }), el('td', { text: a.account }))))));
    } else {
      root.appendChild(el('div', { class: 'none', 'data-testid': 'assignments', text: 'none' }));
    }

    root.appendChild(el('h3', { text: 'Access (assigned users; effective: they can sign in now)' }));
    if (state.access.length) {
      root.appendChild(el('table', { class: 'grid', 'data-testid': 'access' },
        el('thead', {}, el('tr', {}, el('th', { text: 'user' }), el('th', { text: 'account' }), el('th', { text: 'effective' }), el('th', { text: 'through' }))),
        el('tbody', {}, state.access.map((a) => el('tr', {
          'data-testid': 'access-row', 'data-user': a.user, 'data-account': a.account, 'data-effective': String(a.effective),
          class: a.effective ? (a.account === 'management' ? 'effective management' : 'effective') : 'not-effective',
        },
        el('td', { text: a.user }), el('td', { text: a.account }),
        el('td', {}, a.effective ? 'effective' : el('span', {}, el('b', { text: 'NOT EFFECTIVE' }), ': ' + whyNotEffective(state, a.account, a.user))),
        el('td', { text: a.through.map((t) => t.permission_set + (t.principal === a.user ? ' direct' : ' via ' + t.principal)).join(', ') }))))));
    } else {
      root.appendChild(el('div', { class: 'none', 'data-testid': 'access', text: 'nobody is assigned to an account' }));
    }
  }

  // A rule's source keys (`[SEED] [ORG]`), each a link to its page: `urls` come in the
  // keys' order. A link opens in a new tab and does not make the call it sits in.
  function ruleSources(rule) {
    const keys = (rule.source || '').match(/\[[^\]]+\]/g) || [];
    const urls = rule.urls || [];
    if (!keys.length || keys.length !== urls.length) {
      return rule.source ? el('span', { class: 'source-key', text: rule.source }) : null;
    }
    return keys.map((k, i) => el('a', {
      class: 'source-key', 'data-testid': 'source-link', href: urls[i], title: urls[i],
      target: '_blank', rel: 'noopener noreferrer', onclick: (e) => e.stopPropagation(),
    }, k));
  }

  function renderOutcome(o) {
    const k = outcomeKind(o.outcome);
    const branch = fmtBranch(o.branch);
    if (k === 'not-made') {
      const rule = o.rule || {};
      return el('button', {
        type: 'button', class: 'outcome not-made', 'data-testid': 'outcome', 'data-outcome': 'not-made', 'data-path': o.path,
        'data-practice': o.outcome.not_made, 'data-rule': rule.id || '',
        title: 'not made: the management account follows the practice ' + o.outcome.not_made + '; clicking records the step as not made (the state does not change)',
        onclick: () => go(o.path),
      },
      el('span', { class: 'outcome-head' },
        el('span', { class: 'outcome-chip not-made', text: 'not made' }),
        el('span', {}, 'the practice ', el('b', { text: o.outcome.not_made }), ' forbids it'),
        rule.id ? el('span', { class: 'rule-id', 'data-testid': 'rule-id', text: rule.id }) : null,
        branch ? el('span', { class: 'branch', text: branch }) : null),
      rule.summary ? el('span', { class: 'rule-summary', 'data-testid': 'rule-summary', text: rule.summary }) : null,
      rule.source ? el('span', { class: 'rule-source', 'data-testid': 'rule-source' }, ruleSources(rule)) : null);
    }
    if (k === 'ok') {
      const changes = o.changes || [];
      // The always-properties the next state would violate: those that hold here it breaks.
      const violates = o.violates || [];
      const failingHere = new Set(((app.view && app.view.properties) || []).filter((p) => p.kind === 'always' && !p.holds).map((p) => p.name));
      const breaks = violates.filter((n) => !failingHere.has(n));
      return el('button', {
        type: 'button', class: 'outcome ok' + (breaks.length ? ' breaks' : ''), 'data-testid': 'outcome', 'data-outcome': 'ok', 'data-path': o.path,
        'data-violates': violates.join(','), 'data-breaks': breaks.join(','),
        title: 'make this call: go to the state after it' + (breaks.length ? ' (it breaks ' + breaks.join(', ') + ')' : ''),
        onclick: () => go(o.path),
      },
      el('span', { class: 'outcome-head' }, el('span', { class: 'outcome-chip ok', text: 'ok' }), branch ? el('span', { class: 'branch', text: branch }) : null, el('span', { class: 'go', text: '→ next state' })),
      breaks.length ? el('span', { class: 'breaks-line', 'data-testid': 'breaks' }, 'breaks: ', breaks.map((n) => el('span', { class: 'tag fail', 'data-testid': 'breaks-property', 'data-name': n, text: n }))) : null,
      changes.length ? el('ul', { class: 'changes', 'data-testid': 'changes' }, changes.map((c) => el('li', { text: c }))) : el('div', { class: 'changes none', text: 'no change' }));
    }
    const r = o.outcome || {};
    const rule = o.rule || {};
    return el('button', {
      type: 'button', class: 'outcome refused', 'data-testid': 'outcome', 'data-outcome': 'refused', 'data-path': o.path,
      'data-error': r.error || '', 'data-reason': r.reason || '', 'data-rule': r.rule || rule.id || '',
      title: 'refused: clicking records this refused step in the path (the state does not change)',
      onclick: () => go(o.path),
    },
    el('span', { class: 'outcome-head' },
      el('span', { class: 'outcome-chip refused', text: 'refused' }),
      el('span', { class: 'exception', 'data-testid': 'exception', text: r.error || '' }),
      r.reason ? el('span', { class: 'reason', 'data-testid': 'reason', text: r.reason }) : null,
      (r.rule || rule.id) ? el('span', { class: 'rule-id', 'data-testid': 'rule-id', text: r.rule || rule.id }) : null,
      branch ? el('span', { class: 'branch', text: branch }) : null),
    rule.summary ? el('span', { class: 'rule-summary', 'data-testid': 'rule-summary', text: rule.summary }) : null,
    (rule.source || rule.quote) ? el('span', { class: 'rule-source', 'data-testid': 'rule-source' },
      ruleSources(rule),
      rule.quote ? el('q', { text: rule.quote }) : null) : null);
  }

  function renderCalls(calls) {
    const root = clear($('calls'));
    const filter = $('call-filter').value.trim().toLowerCase();
    const showRefused = $('show-refused').checked;
    const groups = new Map();
    for (const c of calls) {
      if (!groups.has(c.caller)) groups.set(c.caller, []);
      groups.get(c.caller).push(c);
    }
    let shown = 0;
    // Per caller: the calls with an accepted outcome first, then those refused here
    // (each list in the model's order).
    for (const [caller, list] of groups) {
      const isAccepted = (c) => c.outcomes.some((o) => o.outcome === 'ok');
      const accepted = list.filter(isAccepted);
      const refused = list.filter((c) => !isAccepted(c));
      const visible = (c) => {
        const text = relabel(c.caller + ' ' + c.call + ' ' + fmtParams(c.params)).toLowerCase();
        return !filter || text.includes(filter);
      };
      const item = (c) => {
        shown++;
        return el('div', {
          class: 'call' + (isAccepted(c) ? ' accepted' : ' refused-only'),
          'data-testid': 'call', 'data-call': c.call, 'data-caller': c.caller, 'data-index': c.index,
          'data-params': Object.entries(c.params || {}).map(([k, v]) => k + '=' + v).join(','),
        },
        el('div', { class: 'call-head' }, el('span', { class: 'call-name', text: c.call }), el('span', { class: 'params', text: fmtParams(c.params) })),
        el('div', { class: 'outcomes' }, c.outcomes.map(renderOutcome)));
      };
      const acc = accepted.filter(visible).map(item);
      const ref = showRefused ? refused.filter(visible).map(item) : [];
      const details = el('details', { class: 'caller-group', 'data-testid': 'caller-group', 'data-caller': caller, open: true },
        el('summary', {}, el('span', { class: 'caller', text: caller }),
          el('span', { class: 'sub', text: ' ' + list.length + ' calls: ' + accepted.length + ' accepted, ' + refused.length + ' refused' })),
        acc.length ? acc : el('div', { class: 'none', text: filter ? 'no accepted call matches' : 'no call is accepted here' }),
        ref.length ? el('div', { class: 'refused-head', text: (refused.some((c) => c.outcomes.some((o) => outcomeKind(o.outcome) === 'not-made')) ? 'refused or not made here (' : 'refused here (') + ref.length + ')' }) : null,
        ref);
      root.appendChild(details);
    }
    if (calls.length === 0) root.appendChild(el('div', { class: 'none', text: 'no calls' }));
    else if (shown === 0) root.appendChild(el('div', { class: 'none', text: 'no call matches the filter' }));
  }

  function renderStep(s, i, current) {
    const p = prefix(app.tip, i);
    const cls = ['step'];
    if (i === current) cls.push('current');
    if (i > current) cls.push('ahead');
    if (i === 0) {
      return el('li', { class: cls.join(' '), 'data-testid': 'step', 'data-step': 0, 'data-path': '', value: 0, onclick: () => go('') },
        el('div', { class: 'step-head' }, el('span', { class: 'step-call', text: app.model && app.model.start ? 'start state (the design\'s)' : 'initial state' })),
        shownAt(0));
    }
    const k = outcomeKind(s.outcome);
    const branch = fmtBranch(s.branch);
    return el('li', {
      class: cls.join(' ') + (k === 'ok' ? '' : ' ' + k), value: i,
      'data-testid': 'step', 'data-step': i, 'data-path': p, 'data-outcome': k,
      title: 'go to the state after step ' + i,
      onclick: () => go(p),
    },
    el('div', { class: 'step-head' },
      el('span', { class: 'caller', text: s.caller }), ' ',
      el('span', { class: 'step-call', text: s.call + fmtParams(s.params) }), ' → ',
      el('span', { class: 'step-outcome ' + k, text: fmtOutcome(s.outcome) }),
      branch ? el('span', { class: 'branch', text: ' [' + branch + ']' }) : null),
    (s.changes && s.changes.length) ? el('ul', { class: 'changes' }, s.changes.map((c) => el('li', { text: c }))) : null,
    (s.failing && s.failing.length) ? el('div', { class: 'failing' }, 'failing: ', s.failing.map((f) => el('span', { class: 'tag fail', text: f }))) : null,
    shownAt(i));
  }

  // The shown expressions' values in the state after step i (0: the initial state).
  function shownAt(i) {
    const cells = [];
    for (const e of app.shows) {
      const c = app.shown.get(e);
      if (!c || c.tip !== app.tip || i >= c.values.length) continue;
      const v = String(c.values[i]);
      cells.push(el('span', { class: 'shown', 'data-testid': 'shown', 'data-expr': e, 'data-value': v, text: e + ' = ' + v }));
    }
    return cells.length ? el('div', { class: 'shown-values' }, cells) : null;
  }

  // Fetches the values of the shown expressions missing for the tip, then renders again.
  async function refreshShows() {
    const tip = app.tip;
    const missing = app.shows.filter((e) => { const c = app.shown.get(e); return !c || c.tip !== tip; });
    if (!missing.length) return;
    for (const e of missing) {
      try {
        const r = await api('show', { path: tip, expr: e });
        app.shown.set(e, { tip, values: r.values });
      } catch (err) {
        app.shows = app.shows.filter((x) => x !== e);
        showError('column: ' + errorText(err));
      }
    }
    if (tip === app.tip) renderSteps();
  }

  async function addShow() {
    const expr = $('find-input').value.trim();
    clearError();
    if (!expr) {
      showError('column: type a query, e.g. delegate or reaches(user-1, management)');
      return;
    }
    if (app.shows.includes(expr)) return;
    const tip = app.tip;
    try {
      const r = await api('show', { path: tip, expr });
      app.shows.push(expr);
      app.shown.set(expr, { tip, values: r.values });
    } catch (e) {
      showError('column: ' + errorText(e));
      return;
    }
    renderShowList();
    renderSteps();
  }

  function renderShowList() {
    const root = clear($('show-columns'));
    for (const e of app.shows) {
      root.appendChild(el('span', { class: 'tag show-column', 'data-testid': 'show-column', 'data-expr': e }, e + ' ',
        el('button', {
          type: 'button', class: 'remove', title: 'remove this column', text: '×',
          onclick: () => { app.shows = app.shows.filter((x) => x !== e); renderShowList(); renderSteps(); },
        })));
    }
  }

  function renderSteps() {
    const root = clear($('steps'));
    const current = tokens(app.path).length;
    const steps = app.tipSteps;
    root.appendChild(renderStep(null, 0, current));
    steps.forEach((s, j) => root.appendChild(renderStep(s, j + 1, current)));
    const tipLen = tokens(app.tip).length;
    $('back').disabled = current === 0;
    $('forward').disabled = current >= tipLen;
    $('back').title = current === 0 ? 'at the initial state' : 'go to step ' + (current - 1) + ' (key: Left or [)';
    $('forward').title = current >= tipLen ? 'at the end of the path followed' : 'go to step ' + (current + 1) + ' (key: Right or ])';
    const cur = root.querySelector('.step.current');
    if (cur && cur.scrollIntoView) cur.scrollIntoView({ block: 'nearest' });
    safe(refreshShows)();
  }

  function renderProperties(props) {
    const root = clear($('properties'));
    const meanings = new Map(((app.model && app.model.properties) || []).map((p) => [p.name, p]));
    const failing = props.filter((p) => p.kind === 'always' && !p.holds);
    const examples = props.filter((p) => p.kind === 'sometimes' && p.holds);
    const sum = $('property-summary');
    sum.textContent = (failing.length ? failing.length + ' always-propert' + (failing.length === 1 ? 'y fails' : 'ies fail') + ' here' : 'every always-property holds here') +
      '; ' + (examples.length ? examples.length + ' sometimes-propert' + (examples.length === 1 ? 'y has' : 'ies have') + ' an example here' : 'no example here');
    sum.className = 'property-summary' + (failing.length ? ' bad' : '');
    for (const p of props) {
      const m = meanings.get(p.name);
      let label, cls;
      if (p.kind === 'always') {
        label = p.holds ? 'holds' : 'VIOLATED';
        cls = p.holds ? 'holds' : 'violated';
      } else {
        label = p.holds ? 'example' : '—';
        cls = p.holds ? 'example' : 'no-example';
      }
      root.appendChild(el('li', {
        class: 'property ' + cls, 'data-testid': 'property', 'data-name': p.name, 'data-kind': p.kind, 'data-holds': String(p.holds),
        title: m ? m.meaning + (m.rules && m.rules.length ? ' [' + m.rules.join(', ') + ']' : '') : null,
      },
      el('span', { class: 'verdict', text: label }), el('span', { class: 'pname', text: p.name }), el('span', { class: 'kind', text: p.kind })));
    }
  }

  // ---- start points ------------------------------------------------------------------

  function renderModel() {
    const m = app.model;
    const c = m.config || {};
    const parts = ['members=' + c.members, 'users=' + c.users, 'groups=' + c.groups, 'permission-sets=' + c.permission_sets];
    const changed = (c.assumptions || []).filter((a) => a.default === false).map((a) => a.key + '=' + a.value);
    if (changed.length) parts.push(changed.join(' '));
    if (c.practices && c.practices.length) parts.push('practices: ' + c.practices.join(' '));
    $('legend-not-made').hidden = !(c.practices && c.practices.length);
    if (c.relaxed && c.relaxed.length) parts.push('relaxed: ' + c.relaxed.join(' '));
    accountNames = c.accounts || {};
    const names = Object.entries(accountNames).map(([id, n]) => n + ' (' + id + ')');
    if (names.length) parts.push('accounts: ' + names.join(', '));
    if (m.start) parts.push('start: the design\'s ' + nCalls(m.start));
    $('config').textContent = parts.join('  ') + '  (model ' + m.model + ', ' + (m.calls || []).length + ' calls)';
    const threat = $('threat');
    threat.hidden = !c.threat;
    threat.textContent = c.threat ? 'threat model: ' + c.threat.summary : '';
    if (m.start) {
      $('initial').textContent = 'Start state';
      $('initial').title = 'Go to the design\'s start state (step 0)';
    }
    const tr = clear($('traces'));
    for (const t of m.traces || []) {
      const base = t.file.split(/[\\/]/).pop();
      tr.appendChild(el('button', {
        type: 'button', class: 'trace', 'data-testid': 'trace', 'data-file': t.file, 'data-path': t.path,
        title: (t.description || t.file) + ' (' + nSteps(t.steps) + ')',
        onclick: () => {
          goLoaded(t.path, t.claim);
          if (t.divergence) {
            notice(base + ' does not replay as written: step ' + t.divergence.step + ': ' + t.divergence.reason + ' (shown as the model runs it).');
          }
        },
      }, base, el('span', { class: 'sub', text: ' ' + nSteps(t.steps) + (t.divergence ? ' (diverges)' : '') })));
    }
  }

  async function runCheck() {
    if (app.checking) return;
    app.checking = true;
    const btn = $('check');
    btn.disabled = true;
    $('check-panel').hidden = false;
    $('check-panel').open = true;
    const status = $('check-status');
    const list = clear($('check-result'));
    const from = app.path || '';
    const fromText = fromLabel(from);
    const fromSteps = tokens(from).length;
    $('check-panel').dataset.from = from;
    status.textContent = 'Running the exhaustive check ' + fromText + '… (this can take a while: every reachable state is explored once, then cached)';
    status.className = 'check-status loading';
    // While it runs: the states explored so far, polled from /api/v1/check/progress.
    const prog = $('check-progress');
    const showProgress = (p) => {
      prog.hidden = false;
      prog.dataset.running = String(!!p.running);
      prog.dataset.states = String(p.states || 0);
      const states = (p.states || 0).toLocaleString('en') + ' states';
      const secs = (p.seconds || 0).toFixed(1) + ' s';
      prog.textContent = p.running ? 'exploring ' + fromText + ': ' + states + ' so far, depth ' + (p.depth || 0) + ', ' + secs + '…'
        : 'explored ' + states + ' ' + fromText + ' in ' + secs + (p.complete === false ? ' (stopped: incomplete)' : '');
      // The discoveries so far (name and length), as they come.
      // Once the check is over, its list below says the same: this one is folded away.
      const found = p.found || [];
      prog.appendChild(el('ul', { class: 'check-found', 'data-testid': 'check-found', hidden: !p.running },
        found.length ? el('li', { class: 'sub' }, 'found so far:') : [],
        found.map((f) => el('li', { 'data-testid': 'check-found-item', 'data-name': f.name, 'data-length': String(f.length), class: f.kind === 'always' ? 'violated' : 'example' },
          f.name + ' (' + nSteps(f.length) + ')'))));
    };
    let polling = true;
    const poll = async () => {
      while (polling) {
        try {
          const p = await api('check/progress');
          if (polling && p.running) showProgress(p);
        } catch (e) {
          /* the check's own answer reports errors */
        }
        await new Promise((res) => setTimeout(res, 300));
      }
    };
    poll();
    try {
      const r = await api('check', from ? { from } : {});
      polling = false;
      const withPath = r.properties.filter((p) => p.path !== null && p.path !== undefined);
      const holds = r.properties.filter((p) => p.path === null || p.path === undefined);
      showProgress({
        running: false, states: r.states, seconds: r.seconds, complete: r.complete,
        found: withPath.map((p) => ({ name: p.name, kind: p.kind, length: p.length })),
      });
      status.className = 'check-status';
      status.textContent = withPath.length + ' counterexamples and examples ' + fromText + '; click one to follow it'
        + (fromSteps ? ' (its path starts with the ' + nSteps(fromSteps) + ' to that state).' : '.');
      for (const p of withPath) {
        // The path starts at the root: the steps to the state the check started from, then
        // those it found; the claim counts them all.
        const total = tokens(p.path).length;
        const more = fromSteps ? ' (+' + p.length + ' after step ' + fromSteps + ')' : '';
        list.appendChild(el('li', {},
          el('button', {
            type: 'button', class: 'check-item ' + p.verdict, 'data-testid': 'check-item', 'data-name': p.name, 'data-verdict': p.verdict, 'data-path': p.path,
            title: p.kind + ' property ' + p.name + ': ' + p.verdict + ' in ' + nSteps(total),
            onclick: () => goLoaded(p.path, { property: p.name, step: total }),
          }, el('span', { class: 'verdict', text: p.verdict }), ' ', el('span', { class: 'pname', text: p.name }), el('span', { class: 'sub', text: ' ' + nSteps(total) + more }))));
      }
      if (holds.length) {
        list.appendChild(el('li', { class: 'holds-line' }, 'no trace: ',
          holds.map((p, i) => el('span', { 'data-testid': 'check-other', 'data-name': p.name, 'data-verdict': p.verdict }, (i ? ', ' : '') + p.name + ' (' + p.verdict + ')'))));
      }
    } catch (e) {
      status.className = 'check-status';
      status.textContent = '';
      showError('check: ' + errorText(e));
    } finally {
      polling = false;
      app.checking = false;
      btn.disabled = false;
    }
  }

  async function runFind(ev) {
    ev.preventDefault();
    const expr = $('find-input').value.trim();
    clearError();
    notice('');
    if (!expr) {
      showError('find: type a query, e.g. delegate == member-1');
      return;
    }
    const btn = $('find');
    btn.disabled = true;
    const from = app.path || '';
    const fromText = fromLabel(from);
    notice('Searching ' + fromText + ' for a state where ' + expr + ' …');
    try {
      const r = await api('find', from ? { expr, from } : { expr });
      if (r.result === 'found') {
        notice('Found ' + fromText + ': ' + expr + ' holds after ' + nSteps(r.length)
          + (from ? ' more (step ' + tokens(r.path).length + ').' : '.'));
        goLoaded(r.path, null);
      } else if (r.result === 'not-found') {
        notice('Not found: no state reachable ' + fromText + ' satisfies ' + expr + '.');
      } else {
        notice('find: ' + r.result);
      }
    } catch (e) {
      notice('');
      showError(errorText(e));
    } finally {
      btn.disabled = false;
    }
  }

  async function runUpload(ev) {
    ev.preventDefault();
    clearError();
    const input = $('upload-file');
    const f = input.files && input.files[0];
    if (!f) {
      showError('upload: choose a trace file first');
      return;
    }
    let text;
    try {
      text = await f.text();
    } catch (e) {
      showError('upload: cannot read ' + f.name + ': ' + errorText(e));
      return;
    }
    try {
      const r = await api('upload', null, { method: 'POST', body: text, headers: { 'Content-Type': 'application/json', Accept: 'application/json' } });
      notice('Uploaded ' + f.name + ': ' + nSteps(r.steps) + '.' + (r.divergence
        ? ' It does not replay as written: step ' + r.divergence.step + ': ' + r.divergence.reason + ' (shown as the model runs it).'
        : ''));
      goLoaded(r.path, r.claim);
    } catch (e) {
      showError('upload ' + f.name + ': ' + errorText(e));
    }
  }

  function copyMermaid() {
    const text = $('mermaid').textContent;
    const done = (ok) => {
      $('copy-status').textContent = ok ? 'copied' : 'select the text and copy it';
      setTimeout(() => { $('copy-status').textContent = ''; }, 2000);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(() => done(true), () => done(fallbackCopy()));
    } else {
      done(fallbackCopy());
    }
  }

  function fallbackCopy() {
    try {
      const range = document.createRange();
      range.selectNodeContents($('mermaid'));
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      return document.execCommand('copy');
    } catch (e) {
      return false;
    }
  }

  // ---- start -------------------------------------------------------------------------

  async function start() {
    restoreTip();
    $('initial').addEventListener('click', safe(() => go('')));
    $('check').addEventListener('click', safe(runCheck));
    $('find-form').addEventListener('submit', safe(runFind));
    $('show-add').addEventListener('click', safe(addShow));
    $('upload-form').addEventListener('submit', safe(runUpload));
    $('back').addEventListener('click', safe(() => {
      if (app.path === null) return;
      const n = tokens(app.path).length;
      if (n > 0) go(prefix(app.path, n - 1));
    }));
    $('forward').addEventListener('click', safe(() => {
      if (app.path === null) return;
      const n = tokens(app.path).length;
      if (n < tokens(app.tip).length) go(prefix(app.tip, n + 1));
    }));
    $('copy-mermaid').addEventListener('click', safe(copyMermaid));
    const widen = (on) => {
      $('diagram').classList.toggle('wide', on);
      $('diagram').title = on ? 'click to close' : '';
      $('diagram-wide').textContent = on ? 'Close' : 'Enlarge';
    };
    $('diagram-wide').addEventListener('click', safe(() => widen(!$('diagram').classList.contains('wide'))));
    $('diagram').addEventListener('click', safe(() => widen(false)));
    // Left/Right or [/]: Back/Forward along the path (not while typing, not with a modifier:
    // Alt+Left is the browser's own Back).
    document.addEventListener('keydown', safe((ev) => {
      if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
      const t = ev.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      let btn = null;
      if (ev.key === 'ArrowLeft' || ev.key === '[') btn = $('back');
      else if (ev.key === 'ArrowRight' || ev.key === ']') btn = $('forward');
      if (!btn) return;
      ev.preventDefault();
      if (!btn.disabled) btn.click();
    }));
    const rerender = safe(() => { if (app.view) renderCalls(app.view.calls || []); });
    $('call-filter').addEventListener('input', rerender);
    $('show-refused').addEventListener('change', rerender);
    window.addEventListener('hashchange', safe(() => load(hashPath())));
    try {
      app.model = await api('model');
      renderModel();
    } catch (e) {
      showError('model: ' + errorText(e));
    }
    await load(hashPath());
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', safe(start));
  else safe(start)();
})();
