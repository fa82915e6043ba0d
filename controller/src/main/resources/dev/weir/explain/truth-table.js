// weir truth-table page: draws the JSON of the #weir-data block (see dev.weir.explain.TruthTableHtml) as a grid per
// port and protocol. Every name and reason goes into the page as text (textContent), never as markup.
//
// The URL fragment holds the view, so a link shows the same thing and a headless browser can be told what to open:
//   #target=80/TCP&ns=x,y&cell=x/a,y/b,80/TCP     (cell implies its target; each part URI-encoded)
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('weir-data').textContent);
  var table = data.table;
  var expected = data.expected;
  var comparing = data.kind === 'comparison';
  var SYMBOL = { allow: '\u2713', deny: '\u2715', unknown: '?' };
  var WORD = { allow: 'allowed', deny: 'denied', unknown: 'not known' };
  var ARROW = ' \u2192 ';

  function targetOf(v) { return v.port + '/' + v.protocol; }
  function key(target, from, to) { return target + '\u0000' + from + '\u0000' + to; }
  function namespaceOf(pod) { var i = pod.indexOf('/'); return i < 0 ? '' : pod.slice(0, i); }
  function nameOf(pod) { var i = pod.indexOf('/'); return i < 0 ? pod : pod.slice(i + 1); }

  function union(lists) {
    var seen = new Set(), out = [];
    lists.forEach(function (l) {
      (l || []).forEach(function (x) { if (!seen.has(x)) { seen.add(x); out.push(x); } });
    });
    return out;
  }

  function index(t) {
    var m = new Map();
    if (t) { t.verdicts.forEach(function (v) { m.set(key(targetOf(v), v.from, v.to), v); }); }
    return m;
  }

  var cells = index(table);
  var expectedCells = index(expected);
  var differences = new Set(data.differences.map(function (d) { return key(d.target, d.from, d.to); }));
  var pods = union([table.pods, expected && expected.pods,
    table.verdicts.map(function (v) { return v.from; }), table.verdicts.map(function (v) { return v.to; })]);
  var targets = union([table.targets, expected && expected.targets, table.verdicts.map(targetOf)]);
  var namespaces = union([pods.map(namespaceOf)]);

  var state = { target: targets[0], shown: new Set(namespaces), picked: null };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function verdictOf(v) { return v ? v.verdict : 'unknown'; }

  // ---- the summary above the grid: counts, the comparison's result, rejected objects, notes ----

  function summary() {
    var h = el('header');
    h.appendChild(el('h1', null, data.title));
    var allowed = 0, denied = 0;
    table.verdicts.forEach(function (v) { if (v.verdict === 'allow') { allowed++; } else { denied++; } });
    var missing = pods.length * pods.length * targets.length - table.verdicts.length;
    h.appendChild(el('p', 'counts', pods.length + ' pods in ' + namespaces.length + ' namespace'
      + (namespaces.length === 1 ? '' : 's') + ', ' + targets.length + ' port/protocol table'
      + (targets.length === 1 ? '' : 's') + ': ' + allowed + ' cells allowed, ' + denied + ' denied'
      + (missing > 0 ? ', ' + missing + ' not known' : '')));
    if (comparing) {
      var n = differences.size;
      var b = el('p', 'banner ' + (n ? 'differ' : 'agree'), n
        ? n + ' cell' + (n === 1 ? ' differs' : 's differ')
          + ' between the packets and weir explain (framed in black, with a black corner)'
        : 'The packets agree with weir explain in every cell');
      b.id = 'differences';
      h.appendChild(b);
    }
    if (data.rejected.length) {
      var r = el('section', 'rejected');
      r.appendChild(el('h2', null, data.rejected.length + ' object' + (data.rejected.length === 1 ? ' was' : 's were')
        + ' rejected and left out of the table'));
      r.appendChild(list(data.rejected));
      h.appendChild(r);
    }
    if (table.notes.length) {
      var d = el('details', 'notes');
      d.open = table.notes.length <= 4;
      d.appendChild(el('summary', null, 'Notes (' + table.notes.length + ')'));
      d.appendChild(list(table.notes));
      h.appendChild(d);
    }
    return h;
  }

  function list(items) {
    var ul = el('ul');
    items.forEach(function (t) { ul.appendChild(el('li', null, t)); });
    return ul;
  }

  // ---- controls: one tab per port/protocol, the namespace filter, the legend ----

  var tabs = el('div', 'tabs');
  var filter = el('fieldset', 'filter');

  function controls() {
    var nav = el('nav');
    tabs.setAttribute('role', 'tablist');
    targets.forEach(function (t) {
      var btn = el('button', null, t);
      btn.type = 'button';
      btn.setAttribute('role', 'tab');
      btn.dataset.target = t;
      var marked = 0;
      pods.forEach(function (f) {
        pods.forEach(function (to) {
          var k = key(t, f, to);
          if (comparing ? differences.has(k) : verdictOf(cells.get(k)) === 'deny') { marked++; }
        });
      });
      btn.appendChild(el('small', null, !comparing ? marked + ' denied'
        : marked === 0 ? 'agree' : marked + (marked === 1 ? ' differs' : ' differ')));
      btn.addEventListener('click', function () { state.target = t; state.picked = null; update(); });
      tabs.appendChild(btn);
    });
    nav.appendChild(tabs);

    filter.appendChild(el('legend', null, 'Namespaces'));
    namespaces.forEach(function (ns) {
      var label = el('label');
      var box = el('input');
      box.type = 'checkbox';
      box.checked = true;
      box.dataset.namespace = ns;
      box.addEventListener('change', function () {
        if (box.checked) { state.shown.add(ns); } else { state.shown.delete(ns); }
        update();
      });
      label.appendChild(box);
      label.appendChild(document.createTextNode(' ' + (ns === '' ? '(no namespace)' : ns)));
      filter.appendChild(label);
    });
    [['all', namespaces], ['none', []]].forEach(function (p) {
      var btn = el('button', null, p[0]);
      btn.type = 'button';
      btn.addEventListener('click', function () { state.shown = new Set(p[1]); update(); });
      filter.appendChild(btn);
    });
    nav.appendChild(filter);

    var legend = el('div', 'legend');
    function swatch(cls, symbol, text) {
      var s = el('span');
      s.appendChild(el('span', 'cell ' + cls, symbol));
      s.appendChild(document.createTextNode(text));
      legend.appendChild(s);
    }
    swatch('allow', SYMBOL.allow, 'allowed');
    swatch('deny', SYMBOL.deny, 'denied');
    if (missing()) { swatch('unknown', SYMBOL.unknown, 'not known'); }
    if (comparing) { swatch('allow differs', SYMBOL.allow, 'packets differ from explain'); }
    legend.appendChild(el('span', 'hint', 'rows: from, columns: to'));
    nav.appendChild(legend);
    return nav;
  }

  function missing() {
    return table.verdicts.length < pods.length * pods.length * targets.length;
  }

  // ---- the grid of the chosen target over the shown namespaces ----

  var scroll = el('div', 'scroll');
  var headers = { row: new Map(), col: new Map() };
  var cellElements = new Map();

  function podLabel(pod) {
    var span = el('span');
    var ns = namespaceOf(pod);
    if (ns !== '') { span.appendChild(el('span', 'ns', ns + '/')); }
    span.appendChild(document.createTextNode(nameOf(pod)));
    return span;
  }

  function grid() {
    headers = { row: new Map(), col: new Map() };
    cellElements = new Map();
    scroll.textContent = '';
    var shown = pods.filter(function (p) { return state.shown.has(namespaceOf(p)); });
    if (!shown.length) {
      scroll.appendChild(el('p', 'empty', 'No namespace selected.'));
      return;
    }
    var t = el('table', 'grid');
    t.id = 'grid';
    t.setAttribute('aria-label', 'Reachability ' + state.target + ', rows: from, columns: to');
    var head = el('tr');
    var corner = el('th', 'corner', 'from \\ to ' + state.target);
    head.appendChild(corner);
    var starts = new Set();
    shown.forEach(function (p, i) {
      if (i === 0 || namespaceOf(shown[i - 1]) !== namespaceOf(p)) { starts.add(p); }
      var th = el('th', 'col' + (starts.has(p) ? ' ns-start-col' : ''));
      th.scope = 'col';
      th.appendChild(podLabel(p));
      th.title = p;
      headers.col.set(p, th);
      head.appendChild(th);
    });
    var thead = el('thead');
    thead.appendChild(head);
    t.appendChild(thead);
    var body = el('tbody');
    shown.forEach(function (from) {
      var tr = el('tr', starts.has(from) ? 'ns-start-row' : null);
      var th = el('th', 'row');
      th.scope = 'row';
      th.appendChild(podLabel(from));
      th.title = from;
      headers.row.set(from, th);
      tr.appendChild(th);
      shown.forEach(function (to) {
        var k = key(state.target, from, to);
        var verdict = verdictOf(cells.get(k));
        var td = el('td', 'cell ' + verdict + (differences.has(k) ? ' differs' : '')
          + (starts.has(to) ? ' ns-start-col' : ''), SYMBOL[verdict]);
        td.dataset.from = from;
        td.dataset.to = to;
        td.tabIndex = 0;
        td.setAttribute('aria-label', from + ARROW + to + ': ' + WORD[verdict]
          + (differences.has(k) ? ', explain differs' : ''));
        cellElements.set(k, td);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    t.addEventListener('mouseover', function (e) {
      var td = e.target.closest('td.cell');
      if (td) { hover(td.dataset.from, td.dataset.to); }
    });
    t.addEventListener('mouseleave', function () { hot(null, null); showPanel(state.picked); });
    t.addEventListener('click', function (e) {
      var td = e.target.closest('td.cell');
      if (td) { pick(td.dataset.from, td.dataset.to); }
    });
    t.addEventListener('keydown', function (e) {
      var td = e.target.closest('td.cell');
      if (td && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); pick(td.dataset.from, td.dataset.to); }
    });
    scroll.appendChild(t);
  }

  var hotHeaders = [];

  function hot(from, to) {
    hotHeaders.forEach(function (h) { h.classList.remove('hot'); });
    hotHeaders = [headers.row.get(from), headers.col.get(to)].filter(Boolean);
    hotHeaders.forEach(function (h) { h.classList.add('hot'); });
  }

  function hover(from, to) {
    hot(from, to);
    showPanel({ from: from, to: to, target: state.target });
  }

  function pick(from, to) {
    var same = state.picked && state.picked.from === from && state.picked.to === to
      && state.picked.target === state.target;
    state.picked = same ? null : { from: from, to: to, target: state.target };
    markPicked();
    showPanel(state.picked);
    saveFragment();
  }

  function markPicked() {
    cellElements.forEach(function (td) { td.classList.remove('picked'); });
    var p = state.picked;
    var td = p && p.target === state.target ? cellElements.get(key(p.target, p.from, p.to)) : null;
    if (td) { td.classList.add('picked'); }
  }

  // ---- the side panel: a cell's verdict(s), reasons and decisions ----

  var panel = el('aside');
  panel.id = 'panel';
  panel.setAttribute('aria-live', 'polite');

  function showPanel(c) {
    panel.textContent = '';
    if (!c) {
      panel.appendChild(el('p', 'hint', 'Hover over a cell to see why; click it to keep it here.'));
      return;
    }
    var k = key(c.target, c.from, c.to);
    var v = cells.get(k);
    var h = el('h2', null, c.from + ARROW + c.to);
    h.id = 'panel-title';
    panel.appendChild(h);
    panel.appendChild(el('div', 'target', c.target));
    var verdicts = el('p');
    verdicts.id = 'panel-verdict';
    if (comparing) {
      var x = expectedCells.get(k);
      verdicts.appendChild(el('span', 'verdict ' + verdictOf(v), 'packets: ' + WORD[verdictOf(v)]));
      verdicts.appendChild(el('span', 'verdict ' + verdictOf(x), 'explain: ' + WORD[verdictOf(x)]));
      if (differences.has(k)) { verdicts.appendChild(el('div', 'differs-note', 'The packets and explain differ.')); }
      panel.appendChild(verdicts);
      explanation(v, 'what the packet saw');
      explanation(x, 'explain\'s reasons');
    } else {
      verdicts.appendChild(el('span', 'verdict ' + verdictOf(v), WORD[verdictOf(v)]));
      panel.appendChild(verdicts);
      explanation(v, 'reasons');
    }
    var picked = state.picked && state.picked.target === c.target && state.picked.from === c.from
      && state.picked.to === c.to;
    panel.appendChild(el('p', 'pin', picked ? 'Kept: click the cell again to release it.'
      : 'Click the cell to keep it here.'));
  }

  function explanation(v, heading) {
    if (!v) { return; }
    if (v.reasons.length) {
      panel.appendChild(el('h3', null, heading));
      var ul = list(v.reasons);
      ul.className = 'reasons';
      panel.appendChild(ul);
    }
    v.decisions.forEach(function (d) { panel.appendChild(decision(d)); });
  }

  function decision(d) {
    var t = el('table', 'decision');
    t.appendChild(el('caption', null, d.direction + ' decision'));
    function row(name, value) {
      var tr = el('tr');
      tr.appendChild(el('th', null, name));
      tr.appendChild(el('td', null, value));
      t.appendChild(tr);
    }
    row('outcome', d.outcome);
    row('cause', d.cause);
    row('tier', d.tier === null ? '-' : d.tier);
    row('objects', d.objects.length ? d.objects.map(function (o) {
      return o.kind + ' ' + (o.namespace === undefined ? '' : o.namespace + '/') + o.name;
    }).join(', ') : '-');
    if (d.rule !== null) { row('rule', '[' + d.rule.index + '] ' + (d.rule.name === '' ? '(no name)' : d.rule.name)); }
    return t;
  }

  // ---- the URL fragment ----

  function readFragment() {
    state = { target: targets[0], shown: new Set(namespaces), picked: null };
    var h = location.hash.replace(/^#/, '');
    h.split('&').forEach(function (part) {
      var eq = part.indexOf('=');
      if (eq < 0) { return; }
      var name = part.slice(0, eq);
      var values = part.slice(eq + 1).split(',').map(function (s) {
        try { return decodeURIComponent(s); } catch (e) { return s; }
      });
      if (name === 'target' && targets.indexOf(values[0]) >= 0) {
        state.target = values[0];
      } else if (name === 'ns') {
        state.shown = new Set(values.filter(function (n) { return namespaces.indexOf(n) >= 0; }));
      } else if (name === 'cell' && values.length === 3 && targets.indexOf(values[2]) >= 0
          && pods.indexOf(values[0]) >= 0 && pods.indexOf(values[1]) >= 0) {
        state.target = values[2];
        state.picked = { from: values[0], to: values[1], target: values[2] };
      }
    });
  }

  function saveFragment() {
    var parts = ['target=' + encodeURIComponent(state.target)];
    if (state.shown.size !== namespaces.length) {
      parts.push('ns=' + namespaces.filter(function (n) { return state.shown.has(n); }).map(encodeURIComponent)
        .join(','));
    }
    var p = state.picked;
    if (p) { parts.push('cell=' + [p.from, p.to, p.target].map(encodeURIComponent).join(',')); }
    try {
      history.replaceState(null, '', '#' + parts.join('&'));
    } catch (e) {
      // a file: page may refuse (origin null); the view still works, only the link does not follow it
    }
  }

  // ---- putting it together ----

  function update() {
    Array.prototype.forEach.call(tabs.children, function (b) {
      b.setAttribute('aria-selected', String(b.dataset.target === state.target));
    });
    Array.prototype.forEach.call(filter.querySelectorAll('input'), function (box) {
      box.checked = state.shown.has(box.dataset.namespace);
    });
    grid();
    markPicked();
    showPanel(state.picked);
    saveFragment();
  }

  readFragment();
  document.body.appendChild(summary());
  document.body.appendChild(controls());
  var layout = el('div', 'layout');
  layout.appendChild(scroll);
  layout.appendChild(panel);
  document.body.appendChild(layout);
  window.addEventListener('hashchange', function () { readFragment(); update(); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && state.picked) { state.picked = null; update(); }
  });
  update();
}());
