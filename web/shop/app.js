// The demo shop: a search page with suggestions and facets, product pages with Tailor's four
// recommendation slots, a cart, a visitor switcher and two panels that show what Tailor does
// (why this order, what it knows about you). It talks to the server only through tailor.js.
import {createTailor} from '/tailor.js';
import {$, h} from '/dom.js';

const tailor = createTailor();
const FACETS = [['brand', 'Brand'], ['category', 'Category'], ['size', 'Size'], ['color', 'Colour']];
const SLOTS = ['also_bought', 'complements', 'reduced', 'similar'];
const NAMED_VISITORS = [['demo-asha', 'Asha'], ['demo-ben', 'Ben'], ['demo-chen', 'Chen']];
const PAGE_SIZE = 24;

const state = {
  q: '',
  filters: {brand: [], category: [], size: [], color: []},
  answer: null,   // the last /search answer shown
  panel: null,    // 'explain' | 'profile' | 'cart' | null
  product: null,  // the record on the product page, null on the search page
};


function money(amount, currency = 'INR') {
  return new Intl.NumberFormat('en-IN', {style: 'currency', currency, maximumFractionDigits: 0})
      .format(amount);
}

function sizesInStock(item) {
  return Object.entries(item.sizes || {}).filter(([, units]) => units > 0).map(([size]) => size);
}

function priceBlock(item) {
  const reduced = item.list_price > item.price;
  return h('p', {class: 'price'},
           h('strong', {'data-testid': 'price'}, money(item.price, item.currency)),
           reduced ? h('s', {'data-testid': 'list-price'}, money(item.list_price, item.currency)) : null,
           reduced ? h('span', {class: 'off', 'data-testid': 'reduction'},
                       `-${Math.round(100 * (1 - item.price / item.list_price))}%`) : null);
}

function stockLine(item) {
  const sizes = sizesInStock(item);
  if (item.sizes) {
    return h('p', {class: 'sizes', 'data-testid': 'sizes'},
             sizes.length ? sizes.map((size) => h('span', {class: 'size'}, size)) : 'sold out');
  }
  return h('p', {class: 'sizes', 'data-testid': 'sizes'}, item.stock > 0 ? 'in stock' : 'sold out');
}

// ---- search page

function searchParams() {
  return {q: state.q, ...state.filters, limit: PAGE_SIZE,
          explain: state.panel === 'explain' ? 'true' : undefined};
}

const typing = tailor.searchAsYouType(renderAnswer, {onError: showError});
const suggesting = tailor.searchAsYouType(renderSuggestions, {
  onError: () => hideSuggestions(),
  call: (params, options) => tailor.suggest(params.q, {signal: options.signal}),
});

function search() {
  showSearchPage();
  return typing.now(searchParams());
}

function showError(error) {
  $('result-summary').textContent = `Something went wrong: ${error.message}`;
}

function renderAnswer(answer) {
  state.answer = answer;
  const results = $('results');
  results.dataset.requestId = answer.request_id;
  const words = answer.query ? ` for “${answer.query}”` : '';
  $('result-summary').replaceChildren(
      h('span', {'data-testid': 'total'}, `${answer.total.toLocaleString('en-IN')} products${words}`),
      answer.did_you_mean ? h('span', {'data-testid': 'did-you-mean'}, answer.corrected
          ? ` — showing results for “${answer.did_you_mean}”` : ` — did you mean “${answer.did_you_mean}”?`) : '',
      h('span', {class: answer.personalized ? 'badge on' : 'badge', 'data-testid': 'personalized'},
        answer.personalized ? 'ranked for you' : 'text ranking'));
  results.replaceChildren(...answer.hits.map((hit, position) => card(hit, position, answer)));
  if (!answer.hits.length) results.append(h('p', {class: 'empty'}, 'No products found.'));
  renderFacets(answer.facets);
  renderActiveFilters();
  renderExplain();
}

function card(hit, position, answer) {
  const open = () => {
    tailor.click(hit.id, {requestId: answer.request_id, position, query: answer.query});
    openProduct(hit);
  };
  return h('article', {class: 'card', 'data-testid': 'result-card', 'data-id': hit.id,
                       'data-brand': hit.brand || '', 'data-position': position,
                       'data-sizes': sizesInStock(hit).join('|'), tabindex: 0, onclick: open,
                       onkeydown: (e) => e.key === 'Enter' && open()},
           h('p', {class: 'brand', 'data-testid': 'brand'}, hit.brand || ''),
           h('h3', {'data-testid': 'title'}, hit.title),
           priceBlock(hit), stockLine(hit),
           hit.explain ? h('p', {class: 'why'}, hit.explain.reasons.join(' · ')) : null);
}

function renderFacets(facets) {
  const groups = FACETS.map(([kind, label]) => {
    const values = facets?.[kind] || [];
    if (!values.length) return null;
    return h('section', {class: 'facet', 'data-testid': `facet-${kind}`}, h('h4', {}, label),
             h('ul', {}, values.map(({value, count}) => {
               const picked = state.filters[kind].includes(value);
               return h('li', {}, h('button', {
                 type: 'button', class: picked ? 'picked' : '', 'aria-pressed': String(picked),
                 'data-testid': 'facet-value', 'data-facet': kind, 'data-value': value,
                 onclick: () => toggleFilter(kind, value),
               }, h('span', {class: 'label'}, value.replaceAll('/', ' › ')),
                  h('span', {class: 'count'}, count.toLocaleString('en-IN'))));
             })));
  });
  const price = facets?.price;
  $('facets').replaceChildren(...groups.filter(Boolean), price && price.max > 0 ?
      h('p', {class: 'hint'}, `Prices ${money(price.min)} – ${money(price.max)}`) : '');
}

function renderActiveFilters() {
  const chips = [];
  for (const [kind, label] of FACETS) {
    for (const value of state.filters[kind]) {
      chips.push(h('button', {type: 'button', class: 'chip', 'data-testid': 'active-filter',
                              'data-facet': kind, 'data-value': value,
                              title: 'Remove this filter', onclick: () => toggleFilter(kind, value)},
                   `${label}: ${value.replaceAll('/', ' › ')}`, h('span', {'aria-hidden': 'true'}, ' ×')));
    }
  }
  $('active-filters').replaceChildren(...chips);
}

function toggleFilter(kind, value) {
  const values = state.filters[kind];
  state.filters[kind] = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  search();
}

// ---- suggestions

function renderSuggestions(answer) {
  const list = $('suggestions');
  list.replaceChildren(...answer.suggestions.map((suggestion) => h('li', {role: 'option'},
      h('button', {type: 'button', 'data-testid': 'suggestion', 'data-kind': suggestion.kind,
                   onmousedown: (e) => e.preventDefault(), onclick: () => pickSuggestion(suggestion)},
        h('span', {}, suggestion.text), h('small', {}, `${suggestion.kind} · ${suggestion.results}`)))));
  list.hidden = !answer.suggestions.length || document.activeElement !== $('search-input');
}

function hideSuggestions() {
  suggesting.cancel();
  $('suggestions').hidden = true;
}

function pickSuggestion({text, kind}) {
  hideSuggestions();
  if (kind === 'brand') {
    state.q = '';
    state.filters.brand = [text];
  } else {
    state.q = text;
  }
  $('search-input').value = state.q;
  search();
}

function onType() {
  state.q = $('search-input').value;
  showSearchPage();
  typing.update(searchParams());
  if (state.q.trim()) suggesting.update({q: state.q});
  else hideSuggestions();
}

function moveInSuggestions(event) {
  const buttons = [...$('suggestions').querySelectorAll('button')];
  if ($('suggestions').hidden || !buttons.length) return;
  if (event.key === 'Escape') return hideSuggestions();
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  event.preventDefault();
  const at = buttons.indexOf(document.activeElement);
  const next = event.key === 'ArrowDown' ? Math.min(at + 1, buttons.length - 1) : at - 1;
  (next < 0 ? $('search-input') : buttons[next]).focus();
}

// ---- product page

function showSearchPage() {
  state.product = null;
  $('product-page').hidden = true;
  $('search-view').hidden = false;
  $('layout').classList.remove('on-product');
}

function openProduct(item) {
  tailor.view(item.id);
  state.product = item;
  hideSuggestions();
  $('search-view').hidden = true;
  $('product-page').hidden = false;
  $('product-page').dataset.id = item.id;
  $('layout').classList.add('on-product');  // facets filter searches, not a product page
  renderProduct(item);
  loadSlots(item);
  scrollTo(0, 0);
}

function renderProduct(item) {
  const sizes = sizesInStock(item);
  const picker = h('div', {class: 'size-picker', 'data-testid': 'size-picker'},
                   Object.entries(item.sizes || {}).map(([size, units]) => h('label', {},
                       h('input', {type: 'radio', name: 'size', value: size, disabled: units <= 0,
                                   'data-testid': 'size-option', checked: sizes.length === 1 && units > 0}),
                       h('span', {}, size))));
  const message = h('p', {class: 'hint', 'data-testid': 'add-message'});
  const add = () => {
    const size = picker.querySelector('input:checked')?.value;
    if (item.sizes && !size) return void (message.textContent = 'Pick a size first.');
    addToCart(item, size);
    message.textContent = `Added${size ? ' in ' + size : ''} to your cart.`;
  };
  $('product-detail').replaceChildren(
      h('p', {class: 'brand'}, item.brand || ''), h('h2', {'data-testid': 'product-title'}, item.title),
      h('p', {class: 'hint'}, (item.category || []).join(' › ')), priceBlock(item),
      item.colors?.length ? h('p', {}, `Colour: ${item.colors.join(', ')}`) : null,
      item.sizes ? picker : stockLine(item),
      h('button', {type: 'button', class: 'primary', 'data-testid': 'add-to-cart', onclick: add,
                   disabled: item.sizes ? !sizes.length : !(item.stock > 0)}, 'Add to cart'),
      message, item.description ? h('p', {class: 'description'}, item.description) : null);
}

async function loadSlots(item) {
  for (const type of SLOTS) {
    const box = document.querySelector(`[data-slot="${type}"] .slot-items`);
    box.replaceChildren(h('p', {class: 'hint'}, 'Loading…'));
    tailor.recommendations(type, {item: item.id, limit: 6}).then((answer) => {
      if (state.product !== item) return;  // the shopper has moved on
      box.replaceChildren(...answer.hits.map((hit, position) => h('button', {
        type: 'button', class: 'mini', 'data-testid': 'rec-card', 'data-id': hit.id,
        onclick: () => {
          tailor.click(hit.id, {requestId: answer.request_id, position});
          openProduct(hit);
        }}, h('span', {class: 'brand'}, hit.brand || ''), h('span', {}, hit.title),
        priceBlock(hit))));
      if (!answer.hits.length) box.append(h('p', {class: 'hint', 'data-testid': 'slot-empty'}, 'Nothing yet.'));
    }, (error) => box.replaceChildren(h('p', {class: 'hint'}, error.message)));
  }
}

// ---- cart (kept per visitor in this browser; the server learns it from the events)

const cartKey = () => `tailor_demo_cart:${tailor.visitor}`;
const readCart = () => JSON.parse(localStorage.getItem(cartKey()) || '[]');
const writeCart = (lines) => {
  localStorage.setItem(cartKey(), JSON.stringify(lines));
  renderCart();
};

function addToCart(item, size) {
  tailor.addToCart(item.id, {size});
  writeCart([...readCart(), {item: item.id, title: item.title, brand: item.brand, price: item.price,
                             currency: item.currency, size}]);
}

function renderCart() {
  const lines = readCart();
  $('cart-count').textContent = lines.length;
  $('cart-lines').replaceChildren(...lines.map((line, at) => h('li', {'data-testid': 'cart-line', 'data-id': line.item},
      h('span', {}, `${line.brand || ''} ${line.title}`, line.size ? h('small', {}, ` size ${line.size}`) : ''),
      h('strong', {}, money(line.price, line.currency)),
      h('button', {type: 'button', class: 'link', 'data-testid': 'cart-remove', onclick: () => {
        tailor.removeFromCart(line.item, {size: line.size});
        writeCart(lines.filter((_, i) => i !== at));
      }}, 'remove'))));
  const total = lines.reduce((sum, line) => sum + line.price, 0);
  $('cart-total').textContent = lines.length ? `Total ${money(total)}` : 'Your cart is empty.';
  $('checkout-button').disabled = !lines.length;
}

function checkout() {
  tailor.purchase(readCart().map(({item, size}) => ({item, size})));
  writeCart([]);
  $('cart-message').textContent = 'Thank you for your order.';
}

// ---- panels

function openPanel(name) {
  const wasExplain = state.panel === 'explain';
  state.panel = state.panel === name ? null : name;
  for (const panel of ['explain', 'profile', 'cart']) {
    $(`${panel}-panel`).hidden = state.panel !== panel;
    $(`${panel}-button`).classList.toggle('active', state.panel === panel);
  }
  $('layout').classList.toggle('with-panel', state.panel !== null);
  $('cart-message').textContent = '';
  if (state.panel === 'profile') renderProfile();
  // The explanation comes with the search itself (explain=true), so it describes the very
  // ranking on screen; opening or closing the panel reruns the search.
  if ((state.panel === 'explain') !== wasExplain && !state.product) search();
}

function renderExplain() {
  const list = $('explain-list');
  if (state.panel !== 'explain' || !state.answer) return list.replaceChildren();
  list.replaceChildren(...state.answer.hits.map((hit, position) => {
    const e = hit.explain || {};
    const contributions = Object.entries(e.contributions || {})
        .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1])).slice(0, 8);
    const widest = Math.max(...contributions.map(([, v]) => Math.abs(v)), 1e-9);
    return h('li', {'data-testid': 'explain-hit', 'data-id': hit.id},
        h('p', {class: 'title'}, `${position + 1}. ${hit.brand || ''} — ${hit.title}`),
        h('p', {class: 'hint'}, e.final_score !== undefined
            ? `score ${e.final_score.toFixed(3)} (model ${e.model_score.toFixed(3)}), text rank ${e.text_rank + 1}, size ${e.size_fit}`
            : `text rank ${e.text_rank + 1}, text score ${e.text_score?.toFixed(3)}, size ${e.size_fit}`),
        h('ul', {class: 'reasons', 'data-testid': 'explain-reasons'}, (e.reasons || []).map((r) => h('li', {}, r))),
        contributions.length ? h('table', {class: 'contrib', 'data-testid': 'explain-contributions'},
            contributions.map(([name, value]) => h('tr', {},
                h('td', {}, name), h('td', {class: 'num'}, value.toFixed(3)),
                h('td', {class: 'bar'}, h('span', {class: value < 0 ? 'neg' : 'pos',
                    style: `width:${Math.round(48 * Math.abs(value) / widest)}px`})))))
          : h('p', {class: 'hint'}, 'No model for this ranking (no profile yet): text order.'),
        h('details', {}, h('summary', {}, 'all feature values'),
          h('p', {class: 'features'}, Object.entries(e.features || {})
              .map(([name, value]) => `${name} ${Number(value.toFixed(3))}`).join(', '))),
        e.rules?.length ? h('p', {class: 'hint'}, `rules: ${JSON.stringify(e.rules)}`) : null);
  }));
}

function list(title, rows) {
  if (!rows?.length) return null;
  return h('section', {class: 'known'}, h('h4', {}, title), h('ul', {}, rows));
}

function affinityRow(name, affinity) {
  return h('li', {}, h('span', {}, name),
           h('span', {class: 'meter'}, h('span', {style: `width:${Math.round(100 * affinity)}%`})),
           h('small', {}, affinity.toFixed(2)));
}

async function renderProfile() {
  $('profile-visitor').textContent = tailor.visitor;
  const body = $('profile-body');
  body.replaceChildren(h('p', {class: 'hint'}, 'Loading…'));
  const profile = await tailor.profile().catch((error) => ({error}));
  if (state.panel !== 'profile') return;
  if (profile?.error) return body.replaceChildren(h('p', {}, profile.error.message));
  if (!profile) {
    return body.replaceChildren(h('p', {'data-testid': 'profile-empty', class: 'empty'},
        'Tailor knows nothing about you yet. Search, open products, add to cart: it learns as you go.'));
  }
  const price = profile.price || {};
  body.replaceChildren(
      list('In words', (profile.in_words || []).map((s) => h('li', {'data-testid': 'profile-word'}, s))),
      list('Brands', (profile.brands || []).map((b) => affinityRow(b.brand, b.affinity))),
      list('Categories', (profile.categories || []).map((c) => affinityRow(c.category.replaceAll('/', ' › '), c.affinity))),
      list('Colours', (profile.colors || []).map((c) => affinityRow(c.color, c.affinity))),
      list('Sizes', (profile.sizes || []).map((s) => h('li', {}, `${s.size} (${s.system}), ${Math.round(100 * s.share)} %`))),
      list('Price', [
        price.overall ? h('li', {}, `usually ${money(price.overall.typical)} (${money(price.overall.low)} – ${money(price.overall.high)})`) : null,
        price.sensitivity !== undefined ? h('li', {}, `price sensitivity ${price.sensitivity.toFixed(2)}`) : null,
      ].filter(Boolean)),
      list('Recently viewed', (profile.recent_views || []).map((v) => h('li', {}, `${v.item}, ${v.views}× at ${money(v.price_seen)}`))),
      list('Cart', (profile.cart || []).map((c) => h('li', {}, `${c.item}${c.size ? ' size ' + c.size : ''} × ${c.quantity}`))),
      list('Bought', (profile.purchases || []).map((p) => h('li', {}, `${p.item}${p.size ? ' size ' + p.size : ''}`))));
}

async function forget() {
  const old = cartKey();
  $('forget-button').disabled = true;
  try {
    await tailor.forgetMe();
    localStorage.removeItem(old);
    onVisitorChanged();
  } catch (error) {
    $('profile-body').replaceChildren(h('p', {}, `Could not forget: ${error.message}`));
  } finally {
    $('forget-button').disabled = false;
  }
}

// ---- visitors

function renderVisitors() {
  const select = $('visitor-select');
  const named = NAMED_VISITORS.some(([id]) => id === tailor.visitor);
  select.replaceChildren(
      ...NAMED_VISITORS.map(([id, name]) => h('option', {value: id}, name)),
      named ? null : h('option', {value: tailor.visitor}, `You (${tailor.visitor.slice(0, 10)}…)`),
      h('option', {value: 'new'}, '+ New visitor'));
  select.value = tailor.visitor;
}

function onVisitorChanged() {
  renderVisitors();
  renderCart();
  if (state.panel === 'profile') renderProfile();
  if (state.product) loadSlots(state.product);
  else search();
}

// ---- wiring

$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.q = $('search-input').value;
  hideSuggestions();
  search();
});
$('search-input').addEventListener('input', onType);
$('search-input').addEventListener('keydown', moveInSuggestions);
$('suggestions').addEventListener('keydown', moveInSuggestions);
$('search-input').addEventListener('blur', () => setTimeout(() => {
  if (!$('suggestions').contains(document.activeElement)) hideSuggestions();
}, 0));
$('visitor-select').addEventListener('change', (event) => {
  if (event.target.value === 'new') tailor.newVisitor();
  else tailor.setVisitor(event.target.value);
  onVisitorChanged();
});
for (const button of document.querySelectorAll('[data-panel]')) {
  button.addEventListener('click', () => openPanel(button.dataset.panel));
}
$('back-to-results').addEventListener('click', () => search());
$('forget-button').addEventListener('click', forget);
$('checkout-button').addEventListener('click', checkout);

// The client and the page's state, for the browser tests and the curious in the console.
window.tailorShop = {tailor, state};
renderVisitors();
renderCart();
search();
