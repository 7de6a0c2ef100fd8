// The merchandiser's console: business rules of the live scoring config as forms, a preview
// of a change on logged traffic, switching it live and rolling back, search analytics and
// the explanation of one ranking. Plain JS over the admin API (README.md, "For
// merchandisers"); every call carries the admin token the person typed.

import {$, h} from '/dom.js';

const TOKEN_KEY = 'tailor-console-token';
const POLL_MS = 300;

const state = {
  token: sessionStorage.getItem(TOKEN_KEY) || '',
  live: null,        // GET /admin/scoring: {version, config}
  variant: '',       // the variant the forms edit: the live config's default_variant
  preview: null,     // the running preview: {id, timer}
  tab: 'rules',
  analyticsShown: false,
  signedIn: false,
};


const clone = (value) => JSON.parse(JSON.stringify(value));
const number = (value, digits = 0) => Number(value).toLocaleString('en-IN', {
  minimumFractionDigits: digits, maximumFractionDigits: digits});
const percent = (share) => `${(100 * share).toFixed(1)}%`;
const splitList = (text) => text.split(',').map((part) => part.trim()).filter(Boolean);

function setStatus(id, text, kind = '') {
  const element = $(id);
  element.textContent = text;
  element.className = `status ${kind}`;
}

// ---- the admin API

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// One call; the answer's JSON, or an ApiError with the server's code and message. A 401 means
// the token is wrong (or was changed on the server): back to the sign-in form.
async function api(method, path, body) {
  const headers = {Authorization: `Bearer ${state.token}`};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {method, headers,
                                      body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's page): the status alone tells.
  }
  if (!response.ok) {
    const error = new ApiError(response.status, json?.error?.code ?? `http_${response.status}`,
                               json?.error?.message ?? (text || response.statusText));
    if (response.status === 401 && state.signedIn) signOut('The server no longer accepts this token. Sign in again.');
    throw error;
  }
  return json;
}

// ---- signing in

async function signIn(token) {
  state.token = token;
  try {
    state.live = await api('GET', '/admin/scoring');
  } catch (error) {
    signOut(error.status === 401 ? 'This token is not accepted. Check it and try again.'
                                 : `The server answered: ${error.message}`);
    return;
  }
  state.signedIn = true;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token-form').hidden = true;
  for (const id of ['app', 'tabs', 'sign-out', 'live-badge']) $(id).hidden = false;
  showLive();
  showTab(location.hash.slice(1) || 'rules');
}

function signOut(message = '') {
  state.signedIn = false;
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = '';
  stopPolling();
  for (const id of ['app', 'tabs', 'sign-out', 'live-badge']) $(id).hidden = true;
  $('token-form').hidden = false;
  $('token-error').hidden = !message;
  $('token-error').textContent = message;
  $('token-input').value = '';
  $('token-input').focus();
}

// Brands of the catalog starting with what was typed, as typing help for the brand field
// (GET /suggest, which unlike /search logs nothing: a visit to the console is no search).
async function suggestBrands(prefix) {
  if (prefix.trim().length < 1) return;
  try {
    const answer = await (await fetch(`/suggest?${new URLSearchParams({q: prefix, limit: '20'})}`)).json();
    const brands = (answer.suggestions || []).filter((s) => s.kind === 'brand');
    $('brand-list').replaceChildren(...brands.map((s) => h('option', {value: s.text})));
  } catch {
    // Typing help only: the field works without it.
  }
}

function showTab(tab) {
  state.tab = ['rules', 'history', 'analytics', 'explain'].includes(tab) ? tab : 'rules';
  for (const panel of document.querySelectorAll('[data-panel]')) panel.hidden = panel.dataset.panel !== state.tab;
  for (const button of document.querySelectorAll('[data-tab]')) {
    button.classList.toggle('active', button.dataset.tab === state.tab);
    button.setAttribute('aria-selected', String(button.dataset.tab === state.tab));
  }
  history.replaceState(null, '', `#${state.tab}`);
  if (state.tab === 'history') loadHistory();
  if (state.tab === 'analytics' && !state.analyticsShown) loadAnalytics();
}

// ---- the rules forms

function variantOf(config) {
  return config.variants?.[state.variant] || {};
}

// A datetime-local value (the browser's time zone) for an ISO time or epoch ms.
function toLocalInput(value) {
  if (value === undefined || value === null || value === '') return '';
  const date = new Date(typeof value === 'number' ? value : Date.parse(value));
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
         `T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

// A datetime-local value as ISO UTC, as the config takes it; undefined when empty.
function fromLocalInput(value) {
  return value ? new Date(value).toISOString() : undefined;
}

function categoryText(category) {
  return Array.isArray(category) ? category.join('/') : (category || '');
}

// Shows the live config's default variant in the forms, discarding unsaved edits.
function showLive() {
  const config = state.live.config;
  state.variant = config.default_variant || 'default';
  const variant = variantOf(config);
  $('variant-name').textContent = `the variant "${state.variant}"`;
  $('live-badge').textContent = `Live: version ${state.live.version}`;
  $('margin-weight').value = variant.business?.margin_weight ?? 0;
  $('max-boosted').value = variant.guardrails?.max_boosted_in_top10 ?? 3;
  $('rules').replaceChildren(...(variant.business?.rules || []).map((rule) => ruleCard(rule)));
  renumberRules();
  clearErrors();
  updateDraftState();
}

// A labelled input with its error slot; `key` names the config field the server's messages
// name (weight, position, match.brand...), so an error lands next to its input.
function field(label, key, input, help) {
  return h('label', {class: 'field', 'data-field': key}, h('span', {class: 'label'}, label), input,
           help ? h('small', {}, help) : null,
           h('span', {class: 'field-error', 'data-error-for': key, 'data-testid': `rule-${key}-error`, hidden: true}));
}

// One rule's card. `rule` is its config object; keys the forms do not show stay as they are.
function ruleCard(rule = {action: 'boost', weight: 1, match: {}}) {
  const match = rule.match || {};
  const input = (testid, attrs = {}) => h('input', {'data-testid': testid, ...attrs});
  const card = h('li', {class: 'rule', 'data-testid': 'rule'},
    h('div', {class: 'rule-head'},
      h('h3', {class: 'rule-title'}),
      input('rule-name', {type: 'text', placeholder: 'Name (optional), e.g. puma-week', value: rule.name ?? '',
                          'aria-label': 'Rule name'}),
      h('button', {type: 'button', class: 'quiet danger', 'data-testid': 'rule-remove',
                   onclick: () => { card.remove(); renumberRules(); updateDraftState(); }}, 'Remove')),
    h('span', {class: 'field-error', 'data-error-for': 'rule', 'data-testid': 'rule-error', hidden: true}),
    h('div', {class: 'rule-grid'},
      field('Action', 'action', h('select', {'data-testid': 'rule-action'},
          h('option', {value: 'boost'}, 'Boost (move up)'),
          h('option', {value: 'bury'}, 'Bury (move to the bottom)'),
          h('option', {value: 'pin'}, 'Pin (at a fixed place)'))),
      field('Strength', 'weight', input('rule-weight', {type: 'number', step: 'any', value: rule.weight ?? ''}),
            'Added to the score: 1 nudges, 10 or more lifts strongly (up to 1000).'),
      field('Position', 'position', input('rule-position', {type: 'number', step: '1', min: '1',
                                                             value: rule.position !== undefined ? rule.position + 1 : ''}),
            '1 is the first result.'),
      field('Brand', 'brand', input('rule-brand', {type: 'text', list: 'brand-list', value: match.brand ?? '',
                                                   oninput: (event) => suggestBrands(event.target.value)})),
      field('Category', 'category', input('rule-category', {type: 'text', placeholder: 'e.g. Men/Topwear',
                                                             value: categoryText(match.category)}),
            'A category and everything under it.'),
      field('Product ids', 'ids', input('rule-ids', {type: 'text', placeholder: 'comma separated',
                                                     value: (match.ids || []).join(', ')})),
      field('Only for searches', 'queries', input('rule-queries', {type: 'text', placeholder: 'comma separated; empty: every search',
                                                                 value: (rule.queries || []).join(', ')})),
      field('From', 'from', input('rule-from', {type: 'datetime-local', value: toLocalInput(rule.from)}),
            'Empty: from now on.'),
      field('Until', 'until', input('rule-until', {type: 'datetime-local', value: toLocalInput(rule.until)}),
            'Empty: no end.')),
    h('span', {class: 'field-error', 'data-error-for': 'match', 'data-testid': 'rule-match-error', hidden: true}),
    h('p', {class: 'hint'}, 'Fill brand, category or product ids (with several, an item must match all).'));
  card.original = rule;
  const action = card.querySelector('[data-testid=rule-action]');
  action.value = rule.action || 'boost';
  action.addEventListener('change', () => showActionFields(card));
  // Dates shown in minutes: an untouched one keeps the config's own value (seconds, epoch ms).
  for (const key of ['from', 'until']) card.querySelector(`[data-testid=rule-${key}]`).dataset.shown = toLocalInput(rule[key]);
  card.querySelector('[data-testid=rule-category]').dataset.shown = categoryText(match.category);
  showActionFields(card);
  return card;
}

function showActionFields(card) {
  const action = card.querySelector('[data-testid=rule-action]').value;
  card.querySelector('[data-field=weight]').hidden = action !== 'boost';
  card.querySelector('[data-field=position]').hidden = action !== 'pin';
}

function renumberRules() {
  const cards = [...$('rules').children];
  cards.forEach((card, i) => {
    card.dataset.index = i;
    card.querySelector('.rule-title').textContent = `Rule ${i + 1}`;
  });
  $('no-rules').hidden = cards.length > 0;
}

// A number input's value; undefined when empty, so the server names a missing required one.
function numberOf(input) {
  return input.value.trim() === '' ? undefined : Number(input.value);
}

function ruleFromCard(card) {
  const value = (testid) => card.querySelector(`[data-testid=${testid}]`);
  const original = card.original;
  const rule = {};
  const name = value('rule-name').value.trim();
  if (name) rule.name = name;
  rule.action = value('rule-action').value;
  if (rule.action === 'boost') rule.weight = numberOf(value('rule-weight'));
  if (rule.action === 'pin') {
    const position = numberOf(value('rule-position'));
    rule.position = position === undefined ? undefined : position - 1;
  }
  const match = {...(original.match || {})};
  delete match.brand;
  delete match.category;
  delete match.ids;
  const brand = value('rule-brand').value.trim();
  if (brand) match.brand = brand;
  const category = value('rule-category');
  if (category.value.trim()) {
    match.category = category.value === category.dataset.shown ? original.match.category : category.value.trim();
  }
  const ids = splitList(value('rule-ids').value);
  if (ids.length) match.ids = ids;
  rule.match = match;
  const queries = splitList(value('rule-queries').value);
  if (queries.length) rule.queries = queries;
  for (const key of ['from', 'until']) {
    const input = value(`rule-${key}`);
    rule[key] = input.value === input.dataset.shown ? original[key] : fromLocalInput(input.value);
  }
  // Keys this form does not know (added by hand in the file) travel along unchanged.
  const shown = ['name', 'action', 'weight', 'position', 'match', 'queries', 'from', 'until'];
  for (const [key, kept] of Object.entries(original)) if (!shown.includes(key)) rule[key] = kept;
  for (const key of Object.keys(rule)) if (rule[key] === undefined) delete rule[key];
  return rule;
}

// The live config with the forms' edits to its default variant; everything else as it is.
function draftConfig() {
  const config = clone(state.live.config);
  config.variants ??= {};
  const variant = (config.variants[state.variant] ??= {});
  const business = {...(variant.business || {})};
  const margin = numberOf($('margin-weight'));
  if (margin === undefined) delete business.margin_weight;
  else business.margin_weight = margin;
  business.rules = [...$('rules').children].map(ruleFromCard);
  variant.business = business;
  const maxBoosted = numberOf($('max-boosted'));
  variant.guardrails = {...(variant.guardrails || {})};
  if (maxBoosted === undefined) delete variant.guardrails.max_boosted_in_top10;
  else variant.guardrails.max_boosted_in_top10 = maxBoosted;
  return config;
}

// JSON with object keys sorted, so that key order does not count as a change.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// Compares meaning, not text: the live config may spell a default (no business key) that
// the draft spells out.
function sameConfig(a, b) {
  const normal = (config) => {
    const copy = clone(config);
    const variant = copy.variants?.[state.variant];
    if (variant) {
      variant.business = {margin_weight: 0, rules: [], ...(variant.business || {})};
      variant.guardrails = {max_boosted_in_top10: 3, ...(variant.guardrails || {})};
    }
    return canonical(copy);
  };
  return normal(a) === normal(b);
}

function updateDraftState() {
  if (!state.live) return;
  const same = sameConfig(draftConfig(), state.live.config);
  $('draft-state').textContent = same ? `Same as the live version ${state.live.version}.`
                                      : 'You have changes that are not live yet.';
  $('draft-state').dataset.changed = String(!same);
}

// ---- errors next to their fields

function clearErrors() {
  for (const slot of document.querySelectorAll('#rules-form [data-error-for]')) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const input of document.querySelectorAll('#rules-form [aria-invalid]')) input.removeAttribute('aria-invalid');
  $('form-error').hidden = true;
}

// Where a server message points in the forms: the first part before a ": " that is a JSON
// path ("config." prefix optional), resolved to an error slot. Returns {slot, text} with
// the message after the path; slot is null when the path is not one of the forms' fields.
function locateError(message) {
  const parts = message.split(': ');
  for (const [i, part] of parts.entries()) {
    const path = part.trim().replace(/^config\./, '');
    if (!/^[\w-]+(\[\d+\])*(\.[\w-]+(\[\d+\])*)*$/.test(path) || i === parts.length - 1) continue;
    return {slot: slotForPath(path), text: parts.slice(i + 1).join(': ')};
  }
  return {slot: null, text: message};
}

function slotForPath(path) {
  const prefix = `variants.${state.variant}.`;
  if (!path.startsWith(prefix)) return null;
  const rest = path.slice(prefix.length);
  if (rest === 'business.margin_weight') return document.querySelector('[data-error-for=margin_weight]');
  if (rest === 'guardrails.max_boosted_in_top10') return document.querySelector('[data-error-for=max_boosted_in_top10]');
  const rule = /^business\.rules\[(\d+)\]\.?(.*)$/.exec(rest);
  const card = rule && $('rules').children[Number(rule[1])];
  if (!card) return null;
  const [key, sub] = rule[2].split(/[.[]/);
  const fields = ['action', 'weight', 'position', 'queries', 'from', 'until'];
  const slotKey = key === 'match' ? (['brand', 'category', 'ids'].includes(sub) ? sub : 'match')
                                  : (fields.includes(key) ? key : 'rule');
  return card.querySelector(`[data-error-for=${slotKey}]`);
}

// Shows a refused config: next to the field its message names, else at the top of the form.
function showConfigError(error) {
  clearErrors();
  showTab('rules');
  const {slot, text} = locateError(error.message);
  if (!slot) {
    $('form-error').textContent = `The server refused these rules: ${error.message}`;
    $('form-error').hidden = false;
    $('form-error').scrollIntoView({block: 'center'});
    return;
  }
  // The form counts places from 1, the config (and so the message) from 0.
  slot.textContent = slot.dataset.errorFor === 'position' ? `${text} (the server counts the first place as 0)` : text;
  slot.title = error.message;
  slot.hidden = false;
  const input = slot.parentElement.classList.contains('field') && slot.parentElement.querySelector('input, select');
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
  slot.scrollIntoView({block: 'center'});
}

// ---- preview

function stopPolling() {
  if (state.preview?.timer) clearTimeout(state.preview.timer);
  state.preview = null;
  $('preview-cancel').hidden = true;
}

async function startPreview() {
  clearErrors();
  stopPolling();
  const body = {config: draftConfig(), variant: state.variant};
  const from = fromLocalInput($('preview-from').value);
  const to = fromLocalInput($('preview-to').value);
  if (from) body.from = from;
  if (to) body.to = to;
  $('preview-report').replaceChildren();
  setStatus('preview-progress', 'Starting the preview...');
  $('preview').scrollIntoView({block: 'start'});
  let started;
  try {
    started = await api('POST', '/admin/preview', body);
  } catch (error) {
    if (error.status === 400) {
      setStatus('preview-progress', 'The preview did not start: fix the rule shown above.', 'bad');
      showConfigError(error);
    } else if (error.status === 409) {
      setStatus('preview-progress', 'Another preview is running (perhaps from another tab). Try again when it is done.', 'bad');
    } else {
      setStatus('preview-progress', `The preview did not start: ${error.message}`, 'bad');
    }
    return;
  }
  state.preview = {id: started.id, timer: null};
  $('preview-cancel').hidden = false;
  poll(started.id);
}

async function poll(id) {
  if (state.preview?.id !== id) return;
  let status;
  try {
    status = await api('GET', `/admin/preview/${encodeURIComponent(id)}`);
  } catch (error) {
    stopPolling();
    setStatus('preview-progress', `Lost the preview: ${error.message}`, 'bad');
    return;
  }
  if (state.preview?.id !== id) return;
  const progress = `${number(status.rankings_read)} logged searches read, ${(status.elapsed_ms / 1000).toFixed(1)} s`;
  $('preview-progress').dataset.status = status.status;
  if (status.status === 'running') {
    setStatus('preview-progress', `Replaying past searches: ${progress}...`);
    state.preview.timer = setTimeout(() => poll(id), POLL_MS);
    return;
  }
  stopPolling();
  $('preview-progress').dataset.status = status.status;
  if (status.status === 'done') {
    setStatus('preview-progress', `Done: ${progress}.`, 'good');
    renderReport(status.report);
  } else if (status.status === 'cancelled') {
    setStatus('preview-progress', `Cancelled after ${progress}.`);
  } else {
    setStatus('preview-progress', `The preview failed: ${status.error?.message ?? 'no reason given'}`, 'bad');
  }
}

async function cancelPreview() {
  const id = state.preview?.id;
  if (!id) return;
  try {
    await api('DELETE', `/admin/preview/${encodeURIComponent(id)}`);
  } catch (error) {
    setStatus('preview-progress', `Could not cancel: ${error.message}`, 'bad');
  }
  // The next poll sees it cancelled (or done, when it finished first).
}

// How each replay metric is shown: its name in words, how to format it, and whether more
// is better (true), worse (false) or neither (null).
const METRICS = [
  ['rankings', 'Searches replayed', (v) => number(v), null],
  ['judged', '... with a click, cart or purchase', (v) => number(v), null],
  ['ndcg10', 'Relevance of the top 10 (NDCG@10)', (v) => v.toFixed(3), true],
  ['ndcg10_ipw', 'Relevance, corrected for position (debiased NDCG@10)', (v) => v.toFixed(3), true],
  ['mrr10', 'How high the first clicked item is (MRR@10)', (v) => v.toFixed(3), true],
  ['revenue10', 'Revenue of purchases in view (top 10)', (v) => number(v), true],
  ['margin10', 'Margin of purchases in view (top 10)', (v) => number(v), true],
  ['boosted_share', 'Share of the top 10 that is boosted', percent, null],
  ['out_of_size', 'Share of the top 10 out of size or stock', percent, false],
];

function changeCell(key, live, proposed, format, better) {
  const delta = proposed - live;
  if (!Number.isFinite(delta)) return h('td', {'data-testid': 'metric-change'}, '');
  const kind = delta === 0 || better === null ? '' : (delta > 0) === better ? 'good' : 'bad';
  const relative = live ? ` (${delta > 0 ? '+' : ''}${(100 * delta / Math.abs(live)).toFixed(0)}%)` : '';
  const shown = key === 'boosted_share' || key === 'out_of_size'
      ? `${delta > 0 ? '+' : ''}${(100 * delta).toFixed(1)} points`
      : `${delta > 0 ? '+' : ''}${format(delta)}${relative}`;
  return h('td', {class: `num ${kind}`, 'data-testid': 'metric-change', 'data-value': delta},
           delta === 0 ? 'no change' : shown);
}

function renderReport(report) {
  const live = report.live || {};
  const proposed = report.proposed || {};
  const metrics = h('table', {class: 'metrics', 'data-testid': 'preview-metrics'},
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'Live now'), h('th', {}, 'With your rules'), h('th', {}, 'Change'))),
    h('tbody', {}, METRICS.filter(([key]) => key in live || key in proposed).map(([key, label, format, better]) =>
      h('tr', {'data-testid': 'metric-row', 'data-metric': key},
        h('th', {}, label),
        h('td', {class: 'num', 'data-testid': 'metric-live', 'data-value': live[key]}, format(live[key] ?? 0)),
        h('td', {class: 'num', 'data-testid': 'metric-proposed', 'data-value': proposed[key]}, format(proposed[key] ?? 0)),
        changeCell(key, live[key] ?? 0, proposed[key] ?? 0, format, better)))));
  const parts = [];
  if (!report.rankings) {
    parts.push(h('p', {class: 'status bad', 'data-testid': 'preview-empty'},
        'No logged searches in this window yet. Searches are logged as shoppers search (within a ' +
        'second or so): try again shortly, or widen the window.'));
  }
  parts.push(metrics);
  // The server lists queries whose top 10 did not change too: those are not news.
  const changed = (report.changed || []).filter((entry) => entry.changed > 0);
  const unchanged = (report.changed || []).length - changed.length;
  parts.push(h('h3', {}, changed.length ? 'Searches whose top 10 changed most' : 'No search\'s top 10 changes.'));
  parts.push(h('div', {class: 'changed', 'data-testid': 'changed-queries'}, changed.map(changedQuery)));
  if (unchanged) parts.push(h('p', {class: 'hint'}, `${unchanged} more searched ${unchanged === 1 ? 'query keeps its' : 'queries keep their'} top 10.`));
  $('preview-report').replaceChildren(...parts);
}

// One query's top 10 before and after, side by side; the items that moved are marked.
function changedQuery(entry) {
  const liveIds = (entry.live || []).map((item) => item.id);
  const proposedIds = (entry.proposed || []).map((item) => item.id);
  const row = (item, position, other, side) => {
    const was = other.indexOf(item.id);
    let mark = '';
    let badge = null;
    if (was < 0) {
      mark = side === 'proposed' ? 'entered' : 'left';
      badge = side === 'proposed' ? 'new' : 'out';
    } else if (side === 'proposed' && was !== position) {
      mark = was > position ? 'up' : 'down';
      badge = was > position ? `▲${was - position}` : `▼${position - was}`;
    }
    return h('li', {class: mark, 'data-testid': 'changed-item', 'data-id': item.id, 'data-moved': mark || null},
             h('span', {class: 'item-brand'}, item.brand || ''), ' ', item.title || item.id,
             badge ? h('span', {class: `move ${mark}`}, badge) : null);
  };
  return h('article', {class: 'changed-query', 'data-testid': 'changed-query', 'data-query': entry.query},
    h('h4', {}, `"${entry.query}"`, h('small', {},
      ` ${percent(entry.changed)} of the top 10 changed · ${number(entry.rankings)} searches`)),
    h('div', {class: 'side-by-side'},
      h('div', {}, h('h5', {}, 'Live now'),
        h('ol', {'data-testid': 'changed-live'}, (entry.live || []).map((item, i) => row(item, i, proposedIds, 'live')))),
      h('div', {}, h('h5', {}, 'With your rules'),
        h('ol', {'data-testid': 'changed-proposed'}, (entry.proposed || []).map((item, i) => row(item, i, liveIds, 'proposed'))))));
}

// ---- switching live, history and rollback

async function switchLive() {
  clearErrors();
  setStatus('switch-status', 'Switching...');
  let answer;
  try {
    answer = await api('PUT', '/admin/scoring', draftConfig());
  } catch (error) {
    setStatus('switch-status', error.status === 400 ? 'Nothing changed: fix the rule shown above.'
                                                    : `Nothing changed: ${error.message}`, 'bad');
    if (error.status === 400) showConfigError(error);
    return;
  }
  await reloadLive();
  setStatus('switch-status', `Version ${answer.version} is live: shoppers get these rules now.`, 'good');
  setStatus('history-status', `Version ${answer.version} is live.`, 'good');
  showTab('history');
}

async function reloadLive() {
  state.live = await api('GET', '/admin/scoring');
  showLive();
}

const SOURCES = {
  startup: 'the config the server started with',
  put: 'switched live from the console',
  rollback: 'rolled back',
  reload: 'reloaded from the config file',
};

// A version's rules of the default variant in one line each.
function describeRules(config) {
  const variant = config.variants?.[config.default_variant || 'default'] || {};
  const rules = variant.business?.rules || [];
  const lines = rules.map((rule) => {
    const what = [rule.match?.brand && `brand ${rule.match.brand}`,
                  rule.match?.category && `category ${categoryText(rule.match.category)}`,
                  rule.match?.ids && `${rule.match.ids.length} product(s)`].filter(Boolean).join(' and ');
    const how = rule.action === 'boost' ? `boost by ${rule.weight}` : rule.action === 'pin' ? `pin at ${rule.position + 1}` : 'bury';
    const where = rule.queries?.length ? ` for "${rule.queries.join('", "')}"` : '';
    return `${rule.name ? `${rule.name}: ` : ''}${how} ${what}${where}`;
  });
  const margin = variant.business?.margin_weight ? [`margin weight ${variant.business.margin_weight}`] : [];
  return lines.length || margin.length ? [...lines, ...margin] : ['no business rules'];
}

async function loadHistory() {
  let answer;
  try {
    answer = await api('GET', '/admin/scoring/history');
  } catch (error) {
    setStatus('history-status', `Could not load the versions: ${error.message}`, 'bad');
    return;
  }
  $('rollback-previous').disabled = answer.versions.length < 2;
  $('history').replaceChildren(...answer.versions.map((version) => {
    const live = version.version === answer.live;
    return h('li', {class: live ? 'live' : '', 'data-testid': 'history-row', 'data-version': version.version,
                    'data-live': String(live)},
      h('div', {class: 'version-head'},
        h('strong', {}, `Version ${version.version}`),
        live ? h('span', {class: 'badge on', 'data-testid': 'history-live'}, 'live') : null,
        h('span', {class: 'hint'}, ` ${new Date(version.saved_at).toLocaleString()} · ${SOURCES[version.source] || version.source}`),
        live ? null : h('button', {type: 'button', 'data-testid': 'rollback-button',
                                   onclick: () => rollback(version.version)}, 'Make this live again')),
      h('ul', {class: 'rule-lines'}, describeRules(version.config).map((line) => h('li', {}, line))));
  }));
}

// Makes an older version live again; without a version, the one before the live one.
async function rollback(version) {
  setStatus('history-status', 'Rolling back...');
  let answer;
  try {
    answer = await api('POST', '/admin/rollback', version === undefined ? undefined : {version});
  } catch (error) {
    setStatus('history-status', error.status === 409 ? 'There is no older version to go back to.'
                                                     : `Nothing changed: ${error.message}`, 'bad');
    return;
  }
  await reloadLive();
  setStatus('history-status', `Version ${answer.restored} is live again (as version ${answer.version}).`, 'good');
  setStatus('switch-status', '');
  loadHistory();
}

// ---- analytics

function rateCell(value) {
  return h('td', {class: 'num'}, value === null || value === undefined ? '-' : percent(value));
}

async function loadAnalytics() {
  state.analyticsShown = true;
  const params = new URLSearchParams();
  const from = fromLocalInput($('analytics-from').value);
  const to = fromLocalInput($('analytics-to').value);
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  if ($('analytics-limit').value) params.set('limit', $('analytics-limit').value);
  setStatus('analytics-status', 'Loading...');
  let report;
  try {
    report = await api('GET', `/admin/analytics?${params}`);
  } catch (error) {
    setStatus('analytics-status', `Could not load the analytics: ${error.message}`, 'bad');
    return;
  }
  const totals = report.totals;
  setStatus('analytics-status', `${new Date(report.window.from).toLocaleString()} to ${new Date(report.window.to).toLocaleString()}` +
            (report.truncated ? ` (cut at the first ${number(totals.searches)} searches)` : ''));
  const tile = (label, value, testid) => h('div', {class: 'tile', 'data-testid': testid}, h('strong', {}, value), h('span', {}, label));
  const queryTable = (rows, testid, full) => rows.length ? h('table', {class: 'metrics', 'data-testid': testid},
    h('thead', {}, h('tr', {}, h('th', {}, 'Search'), h('th', {}, 'Searches'),
      full ? [h('th', {}, 'Shoppers'), h('th', {}, 'Clicked'), h('th', {}, 'Carted'), h('th', {}, 'Bought'), h('th', {}, 'Avg. click position')] : [])),
    h('tbody', {}, rows.map((row) => h('tr', {'data-testid': `${testid}-row`, 'data-query': row.query},
      h('th', {}, row.query || '(empty)'), h('td', {class: 'num'}, number(row.searches)),
      full ? [h('td', {class: 'num'}, number(row.visitors)), rateCell(row.click_through_rate), rateCell(row.add_to_cart_rate),
              rateCell(row.purchase_rate),
              h('td', {class: 'num'}, row.mean_click_position === null ? '-' : row.mean_click_position.toFixed(1))] : []))))
    : h('p', {class: 'hint'}, 'None in this window.');
  $('analytics-body').replaceChildren(
    h('div', {class: 'tiles'},
      tile('searches', number(totals.searches), 'total-searches'),
      tile('shoppers', number(totals.visitors), 'total-visitors'),
      tile('searches found nothing', number(totals.searches_without_results), 'total-no-results'),
      tile('of searches led to a click', percent(totals.click_through_rate), 'total-ctr'),
      tile('led to a cart', percent(totals.add_to_cart_rate), 'total-cart-rate'),
      tile('led to a purchase (conversion)', percent(totals.purchase_rate), 'total-conversion')),
    h('div', {class: 'columns'},
      h('section', {}, h('h3', {}, 'Top searches'), queryTable(report.top_queries || [], 'top-queries', true)),
      h('section', {},
        h('h3', {}, 'Searches that found nothing'),
        h('p', {class: 'hint'}, 'Candidates for synonyms or new products.'),
        queryTable(report.no_results || [], 'no-results', false),
        h('h3', {}, 'Searches nobody clicked'),
        queryTable(report.no_clicks || [], 'no-clicks', false))));
}

// ---- explain

async function runExplain() {
  const params = new URLSearchParams({q: $('explain-q').value, limit: '20'});
  if ($('explain-visitor').value.trim()) params.set('visitor', $('explain-visitor').value.trim());
  setStatus('explain-status', 'Ranking...');
  let answer;
  try {
    answer = await api('GET', `/admin/explain?${params}`);
  } catch (error) {
    setStatus('explain-status', `Could not explain: ${error.message}`, 'bad');
    $('explain-list').replaceChildren();
    return;
  }
  setStatus('explain-status', `${number(answer.total)} products match; ` +
            `${answer.personalized ? 'ranked for this shopper' : 'not personalized (no profile): text order'}, ` +
            `variant "${answer.variant}".`);
  $('explain-list').replaceChildren(...answer.hits.map((hit, position) => {
    const e = hit.explain || {};
    const contributions = Object.entries(e.contributions || {})
        .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 8);
    const widest = Math.max(...contributions.map(([, v]) => Math.abs(v)), 1e-9);
    const score = e.final_score !== undefined
        ? `score ${e.final_score.toFixed(3)}${e.model_score !== undefined ? ` (model ${e.model_score.toFixed(3)})` : ''}, ` +
          `text rank ${e.text_rank + 1}, size ${e.size_fit}`
        : `text rank ${e.text_rank + 1}, text score ${e.text_score?.toFixed(3)}, size ${e.size_fit}`;
    return h('li', {'data-testid': 'explain-hit', 'data-id': hit.id},
      h('p', {class: 'title'}, `${position + 1}. ${hit.brand || ''} — ${hit.title}`,
        hit.price !== undefined ? h('span', {class: 'hint'}, ` · ${number(hit.price)}`) : null),
      h('p', {class: 'hint'}, score),
      e.adjustments?.length ? h('ul', {class: 'adjustments', 'data-testid': 'explain-adjustments'},
        e.adjustments.map((a) => h('li', {}, `${a.rule}: ${a.action}` +
          (a.delta ? ` ${a.delta > 0 ? '+' : ''}${a.delta.toFixed(2)}` : '') +
          (a.position !== undefined ? ` to position ${a.position + 1}` : '') + (a.note ? ` (${a.note})` : '')))) : null,
      h('ul', {class: 'reasons', 'data-testid': 'explain-reasons'}, (e.reasons || []).map((r) => h('li', {}, r))),
      contributions.length ? h('table', {class: 'contrib', 'data-testid': 'explain-contributions'},
        contributions.map(([name, value]) => h('tr', {},
          h('td', {}, name), h('td', {class: 'num'}, value.toFixed(3)),
          h('td', {class: 'bar'}, h('span', {class: value < 0 ? 'neg' : 'pos',
            style: `width:${Math.round(60 * Math.abs(value) / widest)}px`})))))
        : h('p', {class: 'hint'}, 'No model for this ranking (no profile yet): text order and rules.'),
      h('details', {}, h('summary', {}, 'all feature values'),
        h('p', {class: 'features'}, Object.entries(e.features || {})
          .map(([name, value]) => `${name} ${Number(value.toFixed(3))}`).join(', '))));
  }));
}

// ---- wiring

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  $('token-error').hidden = true;
  signIn($('token-input').value.trim());
});
$('sign-out').addEventListener('click', () => signOut());
for (const button of document.querySelectorAll('[data-tab]')) button.addEventListener('click', () => showTab(button.dataset.tab));
$('add-rule').addEventListener('click', () => {
  const card = ruleCard();
  $('rules').append(card);
  renumberRules();
  updateDraftState();
  card.querySelector('[data-testid=rule-brand]').focus();
});
$('rules-form').addEventListener('input', updateDraftState);
$('rules-form').addEventListener('change', updateDraftState);
$('rules-form').addEventListener('submit', (event) => event.preventDefault());
$('preview-button').addEventListener('click', startPreview);
$('preview-cancel').addEventListener('click', cancelPreview);
$('switch-live').addEventListener('click', switchLive);
$('discard').addEventListener('click', showLive);
$('rollback-previous').addEventListener('click', () => rollback());
$('analytics-form').addEventListener('submit', (event) => { event.preventDefault(); loadAnalytics(); });
$('explain-form').addEventListener('submit', (event) => { event.preventDefault(); runExplain(); });

// Tests and the curious reach the state from the devtools console.
window.tailorConsole = {state};

if (state.token) signIn(state.token);
else signOut();
