// semiactive annotation page: plain JS, no build step, no dependencies. docs/annotation.md describes it.
'use strict';

(() => {
  const VOID = 255;
  const UNPAINTED = -1;
  const $ = (sel) => document.querySelector(sel);

  const S = {
    project: null,
    classes: [],
    annotator: '',
    q: null,              // the leased query as the API sent it
    box: null,            // {x0, y0, w, h}: the region's bounding box
    inRegion: null,       // Uint8Array(w*h): 1 where the pixel belongs to the region
    label: null,          // Int16Array(w*h): class, or UNPAINTED
    undo: [],
    brushClass: 0,
    brushSize: 3,
    erase: false,
    layers: {},           // image, prediction, flags, undecided, labels: HTMLImageElement or null
    show: { prediction: true, flags: true, undecided: true, labels: true },
    opacity: 0.4,
    peek: false,          // H held: image only
    view: null,
    stroke: null,         // {erase, last: [x, y]} while a pointer paints
    cursor: null,         // last pointer position in image coordinates
    busy: false,
    voidArmed: false,
    skipArmedUntil: 0,
    outline: null,        // Path2D in image coordinates
    dim: null,            // canvas over the crop: dark outside the region
    paint: null,          // canvas of the box: painted classes
    paintDirty: true,
    pollTimer: 0,
    leaseEnds: 0,
  };

  // ------------------------------------------------------------------ API

  async function api(method, path, body) {
    const opt = { method, headers: {}, credentials: 'same-origin' };
    if (body !== undefined) {
      opt.headers['Content-Type'] = 'application/json';
      opt.body = JSON.stringify(body);
    }
    const r = await fetch(path, opt);
    let data = null;
    try { data = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) {
      const err = new Error((data && data.error) || ('HTTP ' + r.status));
      err.status = r.status;
      throw err;
    }
    return data;
  }

  const enc = encodeURIComponent;

  function loadImage(url) {
    return new Promise((resolve) => {
      const img = new Image();
      img.onload = () => resolve(img);
      img.onerror = () => resolve(null);   // an overlay the project does not have: 404, simply not shown
      img.src = url;
    });
  }

  // ------------------------------------------------------------------ messages

  let toastTimer = 0;
  function toast(text, kind, ms) {
    const t = $('#toast');
    t.textContent = text;
    t.className = 'show' + (kind ? ' ' + kind : '');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.className = ''; }, ms || 2500);
  }

  // ------------------------------------------------------------------ project, progress, queue

  async function loadProject() {
    S.project = await api('GET', '/api/project');
    S.classes = S.project.classes;
    $('#project-name').textContent = S.project.name;
    document.title = 'semiactive · ' + S.project.name;
    buildPalette();
    showProgress(S.project.progress);
  }

  function buildPalette() {
    const ol = $('#palette');
    ol.textContent = '';
    S.classes.forEach((c, i) => {
      const li = document.createElement('li');
      li.dataset.class = String(c.id);
      li.title = 'label the region ' + c.name + (i < 9 ? ' (' + (i + 1) + ')' : '');
      const key = document.createElement('span');
      key.className = 'key';
      key.textContent = i < 9 ? String(i + 1) : '';
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = c.color;
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = c.name;
      const pen = document.createElement('button');
      pen.type = 'button';
      pen.className = 'pen';
      pen.textContent = '✎';
      pen.title = 'brush class ' + c.name + (i < 9 ? ' (Shift+' + (i + 1) + ')' : '');
      pen.addEventListener('click', (e) => { e.stopPropagation(); setBrushClass(c.id); });
      li.append(key, sw, name, pen);
      li.addEventListener('click', (e) => {
        if (e.shiftKey) setBrushClass(c.id); else fillAndSave(c.id);
      });
      ol.append(li);
    });
    setBrushClass(0);
  }

  function setBrushClass(c) {
    S.brushClass = c;
    S.erase = false;
    document.querySelectorAll('#palette li').forEach((li) => li.classList.toggle('brush', Number(li.dataset.class) === c));
    $('#brush-swatch').style.background = S.classes[c].color;
    $('#brush-name').textContent = S.classes[c].name;
    showMode();
  }

  function showMode() {
    $('#mode-paint').classList.toggle('on', !S.erase);
    $('#mode-erase').classList.toggle('on', S.erase);
    draw();
  }

  function showProgress(p) {
    if (!p) return;
    const total = p.total || 0;
    $('#bar-done').style.width = total ? (100 * p.answered / total) + '%' : '0';
    $('#bar-skipped').style.width = total ? (100 * p.skipped / total) + '%' : '0';
    $('#progress-text').textContent = p.round === null || p.round === undefined
      ? 'no queries yet'
      : 'round ' + p.round + ' · ' + p.answered + '/' + total + ' labelled · ' + p.skipped + ' skipped · '
        + p.pending + ' to do';
  }

  async function refreshQueue() {
    try {
      const r = await api('GET', '/api/queue?limit=12');
      const ol = $('#queue');
      ol.textContent = '';
      for (const e of r.queue) {
        const li = document.createElement('li');
        const mine = S.q && e.regionId === S.q.regionId;
        if (mine) li.className = 'current';
        else if (e.leasedBy) li.className = 'taken';
        const id = document.createElement('span');
        id.className = 'qid';
        id.textContent = e.regionId;
        id.title = e.regionId;
        const who = document.createElement('span');
        who.textContent = mine ? 'you' : (e.leasedBy ? '🔒 ' + e.leasedBy : e.score.toFixed(3));
        li.append(id, who);
        ol.append(li);
      }
      showProgress(r.progress);
    } catch (e) { /* the queue list is a convenience */ }
  }

  // ------------------------------------------------------------------ next region

  async function next() {
    clearTimeout(S.pollTimer);
    if (!S.annotator) { toast('Enter your name (top right) to start', 'error', 4000); return; }
    document.body.dataset.ready = 'false';
    let r;
    try {
      r = await api('POST', '/api/queue/next', { annotator: S.annotator });
    } catch (e) {
      toast(e.message, 'error', 6000);
      return;
    }
    showProgress(r.progress);
    if (!r.query) { showEmpty(r.progress); return; }
    await open(r.query);
    refreshQueue();
  }

  function showEmpty(p) {
    S.q = null;
    showLease();
    document.body.dataset.region = '';
    $('#empty').hidden = false;
    $('#empty-text').textContent = p && p.pending > 0
      ? p.pending + ' region(s) are being labelled by others right now. Leases lapse after '
        + Math.round(S.project.leaseSeconds / 60) + ' min if a tab is closed.'
      : 'Every queried region is labelled or skipped. Run the next round (semiactive project round) to train on them.';
    draw();
    refreshQueue();
    document.body.dataset.ready = 'true';
    S.pollTimer = setTimeout(next, 20000);
  }

  async function open(q) {
    $('#empty').hidden = true;
    const id = enc(q.imageId);
    // A document reuses an image it already loaded from the same URL, whatever the cache headers say:
    // overlays are keyed by round, and the stored labels change with every save, so they get a fresh URL.
    const round = '?round=' + q.round;
    const [image, prediction, flags, undecided, labels] = await Promise.all([
      loadImage('/api/images/' + id + '.png'),
      loadImage('/api/images/' + id + '/prediction.png' + round),
      loadImage('/api/images/' + id + '/flags.png' + round),
      loadImage('/api/images/' + id + '/undecided.png' + round),
      loadImage('/api/images/' + id + '/labels.png?at=' + Date.now()),
    ]);
    S.q = q;
    S.layers = {
      image, prediction, labels,
      flags: flags && tint(flags, [255, 64, 200]),
      undecided: undecided && tint(undecided, [255, 214, 0]),
    };
    const b = q.bbox;
    S.box = { x0: b.x0, y0: b.y0, w: b.x1 - b.x0, h: b.y1 - b.y0 };
    S.inRegion = decodeMask(q.mask, S.box.w * S.box.h);
    S.label = new Int16Array(S.box.w * S.box.h).fill(UNPAINTED);
    S.undo = [];
    S.voidArmed = false;
    S.skipArmedUntil = 0;
    S.outline = outlinePath();
    S.paint = document.createElement('canvas');
    S.paint.width = S.box.w;
    S.paint.height = S.box.h;
    S.paintDirty = true;
    for (const [name, el] of [['prediction', '#show-prediction'], ['flags', '#show-flags'],
      ['undecided', '#show-undecided'], ['labels', '#show-labels']]) {
      $(el).disabled = !S.layers[name];
      $(el).parentElement.classList.toggle('muted', !S.layers[name]);
    }
    $('#f-image').textContent = q.imageId + ' (' + q.image.width + '×' + q.image.height + ')';
    $('#f-region').textContent = q.regionId;
    $('#f-rank').textContent = q.round + ' · ' + q.rank + ' (' + q.strategy + ' ' + q.score.toFixed(3) + ')';
    $('#f-pixels').textContent = q.pixelCount + ' in a ' + S.box.w + '×' + S.box.h + ' box';
    layout();
    drawThumb();
    draw();
    S.leaseEnds = Date.now() + q.leaseSecondsLeft * 1000;
    showLease();
    document.body.dataset.region = q.regionId;
    document.body.dataset.ready = 'true';
  }

  function showLease() {
    const el = $('#lease');
    if (!S.q) { el.textContent = ''; return; }
    const s = Math.max(0, Math.round((S.leaseEnds - Date.now()) / 1000));
    el.textContent = s > 0 ? 'yours for ' + Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0')
      : 'lease lapsed: save soon';
    el.classList.toggle('late', s < 60);
  }
  setInterval(showLease, 1000);

  function decodeMask(b64, n) {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (bytes[i >> 3] >> (i & 7)) & 1;
    return out;
  }

  function tint(img, rgb) {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    g.globalCompositeOperation = 'source-in';
    g.fillStyle = 'rgb(' + rgb.join(',') + ')';
    g.fillRect(0, 0, c.width, c.height);
    return c;
  }

  /** The region's boundary as unit edges between a region pixel and a non-region one, in image coordinates. */
  function outlinePath() {
    const { x0, y0, w, h } = S.box;
    const inside = (x, y) => x >= 0 && y >= 0 && x < w && y < h && S.inRegion[y * w + x] === 1;
    const p = new Path2D();
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (!inside(x, y)) continue;
        const X = x0 + x, Y = y0 + y;
        if (!inside(x, y - 1)) { p.moveTo(X, Y); p.lineTo(X + 1, Y); }
        if (!inside(x, y + 1)) { p.moveTo(X, Y + 1); p.lineTo(X + 1, Y + 1); }
        if (!inside(x - 1, y)) { p.moveTo(X, Y); p.lineTo(X, Y + 1); }
        if (!inside(x + 1, y)) { p.moveTo(X + 1, Y); p.lineTo(X + 1, Y + 1); }
      }
    }
    return p;
  }

  // ------------------------------------------------------------------ drawing

  const canvas = $('#view');
  const g = canvas.getContext('2d');

  /** Chooses the crop (the region with context around it) and the scale that fits it in the stage. */
  function layout() {
    const rect = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(rect.width * dpr));
    canvas.height = Math.max(1, Math.round(rect.height * dpr));
    if (!S.q) { S.view = null; return; }
    const W = S.q.image.width, H = S.q.image.height;
    const { x0, y0, w, h } = S.box;
    const pad = Math.max(6, Math.round(Math.max(w, h) * 0.75));
    const cx0 = Math.max(0, x0 - pad), cy0 = Math.max(0, y0 - pad);
    const cx1 = Math.min(W, x0 + w + pad), cy1 = Math.min(H, y0 + h + pad);
    const cw = cx1 - cx0, ch = cy1 - cy0;
    const scale = Math.max(0.01, Math.min((rect.width - 32) / cw, (rect.height - 32) / ch));
    S.view = {
      cx0, cy0, cw, ch, scale, dpr,
      ox: (rect.width - cw * scale) / 2,
      oy: (rect.height - ch * scale) / 2,
    };
    S.dim = dimCanvas();
  }

  /** Dark veil over the crop except the region's own pixels, so the region stands out with its context. */
  function dimCanvas() {
    const v = S.view;
    const c = document.createElement('canvas');
    c.width = v.cw;
    c.height = v.ch;
    const cg = c.getContext('2d');
    const data = cg.createImageData(v.cw, v.ch);
    const { x0, y0, w, h } = S.box;
    for (let y = 0; y < v.ch; y++) {
      for (let x = 0; x < v.cw; x++) {
        const bx = v.cx0 + x - x0, by = v.cy0 + y - y0;
        const inside = bx >= 0 && by >= 0 && bx < w && by < h && S.inRegion[by * w + bx] === 1;
        data.data[(y * v.cw + x) * 4 + 3] = inside ? 0 : 120;
      }
    }
    cg.putImageData(data, 0, 0);
    return c;
  }

  function refreshPaint() {
    if (!S.paintDirty) return;
    const { w, h } = S.box;
    const pg = S.paint.getContext('2d');
    const data = pg.createImageData(w, h);
    const rgb = S.classes.map((c) => [1, 3, 5].map((i) => parseInt(c.color.substr(i, 2), 16)));
    for (let i = 0; i < w * h; i++) {
      const c = S.label[i];
      if (c < 0 || c >= rgb.length) continue;
      data.data[i * 4] = rgb[c][0];
      data.data[i * 4 + 1] = rgb[c][1];
      data.data[i * 4 + 2] = rgb[c][2];
      data.data[i * 4 + 3] = 190;
    }
    pg.putImageData(data, 0, 0);
    S.paintDirty = false;
  }

  function draw() {
    const v = S.view;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (!S.q || !v) return;
    g.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
    g.imageSmoothingEnabled = false;
    const dw = v.cw * v.scale, dh = v.ch * v.scale;
    const layer = (src, alpha) => {
      if (!src) return;
      g.globalAlpha = alpha;
      g.drawImage(src, v.cx0, v.cy0, v.cw, v.ch, v.ox, v.oy, dw, dh);
    };
    layer(S.layers.image, 1);
    if (!S.peek) {
      if (S.show.labels) layer(S.layers.labels, Math.min(1, S.opacity + 0.2));
      if (S.show.prediction) layer(S.layers.prediction, S.opacity);
      if (S.show.undecided) layer(S.layers.undecided, Math.min(1, S.opacity + 0.15));
      if (S.show.flags) layer(S.layers.flags, Math.min(1, S.opacity + 0.15));
      g.globalAlpha = 1;
      g.drawImage(S.dim, v.ox, v.oy, dw, dh);   // crop-sized already: no source offset
      refreshPaint();
      g.globalAlpha = 1;
      g.drawImage(S.paint, v.ox + (S.box.x0 - v.cx0) * v.scale, v.oy + (S.box.y0 - v.cy0) * v.scale,
        S.box.w * v.scale, S.box.h * v.scale);
    }
    g.globalAlpha = 1;
    // Outline: dark under light, readable on any picture.
    g.save();
    g.translate(v.ox - v.cx0 * v.scale, v.oy - v.cy0 * v.scale);
    g.scale(v.scale, v.scale);
    g.lineCap = 'square';
    g.strokeStyle = 'rgba(0,0,0,0.85)';
    g.lineWidth = 3.5 / v.scale;
    g.stroke(S.outline);
    g.strokeStyle = '#ffffff';
    g.lineWidth = 1.5 / v.scale;
    g.stroke(S.outline);
    g.restore();
    if (S.cursor) {
      const [x, y] = S.cursor;
      const sx = v.ox + (x - v.cx0) * v.scale, sy = v.oy + (y - v.cy0) * v.scale;
      const r = Math.max(S.brushSize / 2 * v.scale, 3);
      g.beginPath();
      g.arc(sx, sy, r, 0, Math.PI * 2);
      g.lineWidth = 2;
      g.strokeStyle = 'rgba(0,0,0,.8)';
      g.stroke();
      g.lineWidth = 1;
      g.strokeStyle = S.erase || (S.stroke && S.stroke.erase) ? '#ffffff' : S.classes[S.brushClass].color;
      g.setLineDash(S.erase ? [3, 3] : []);
      g.stroke();
      g.setLineDash([]);
    }
  }

  function drawThumb() {
    const t = $('#thumb');
    const tg = t.getContext('2d');
    tg.setTransform(1, 0, 0, 1, 0, 0);
    tg.clearRect(0, 0, t.width, t.height);
    if (!S.q || !S.layers.image) return;
    const W = S.q.image.width, H = S.q.image.height;
    const s = Math.min(t.width / W, t.height / H);
    const ox = (t.width - W * s) / 2, oy = (t.height - H * s) / 2;
    tg.imageSmoothingEnabled = s < 1;
    tg.drawImage(S.layers.image, ox, oy, W * s, H * s);
    tg.lineWidth = 2;
    tg.strokeStyle = '#4f9cff';
    tg.strokeRect(ox + S.box.x0 * s - 1, oy + S.box.y0 * s - 1, S.box.w * s + 2, S.box.h * s + 2);
  }

  // ------------------------------------------------------------------ painting

  function toImage(clientX, clientY) {
    const rect = canvas.getBoundingClientRect();
    const v = S.view;
    return [v.cx0 + (clientX - rect.left - v.ox) / v.scale, v.cy0 + (clientY - rect.top - v.oy) / v.scale];
  }

  /** Paints (or erases) a disc of the brush size at an image position, on region pixels only. */
  function dab(fx, fy, erase) {
    const r = S.brushSize / 2;
    const px = Math.floor(fx), py = Math.floor(fy);
    const ri = Math.ceil(r);
    const { x0, y0, w, h } = S.box;
    for (let dy = -ri; dy <= ri; dy++) {
      for (let dx = -ri; dx <= ri; dx++) {
        const x = px + dx, y = py + dy;
        // The pixel under the cursor always; others when their centre lies in the disc.
        if ((dx || dy) && (x + 0.5 - fx) ** 2 + (y + 0.5 - fy) ** 2 > r * r) continue;
        const bx = x - x0, by = y - y0;
        if (bx < 0 || by < 0 || bx >= w || by >= h) continue;
        const i = by * w + bx;
        if (!S.inRegion[i]) continue;
        S.label[i] = erase ? UNPAINTED : S.brushClass;
      }
    }
    S.paintDirty = true;
  }

  function strokeTo(fx, fy) {
    const [lx, ly] = S.stroke.last;
    const steps = Math.max(1, Math.ceil(Math.hypot(fx - lx, fy - ly) / 0.25));
    for (let s = 1; s <= steps; s++) dab(lx + (fx - lx) * s / steps, ly + (fy - ly) * s / steps, S.stroke.erase);
    S.stroke.last = [fx, fy];
  }

  function pushUndo() {
    S.undo.push(S.label.slice());
    if (S.undo.length > 100) S.undo.shift();
    S.voidArmed = false;
  }

  function undo() {
    if (!S.q) return;
    if (!S.undo.length) { toast('Nothing to undo'); return; }
    S.label = S.undo.pop();
    S.paintDirty = true;
    S.voidArmed = false;
    draw();
  }

  canvas.addEventListener('contextmenu', (e) => e.preventDefault());
  canvas.addEventListener('pointerdown', (e) => {
    if (!S.q || S.busy || (e.button !== 0 && e.button !== 2)) return;
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    const [fx, fy] = toImage(e.clientX, e.clientY);
    pushUndo();
    S.stroke = { erase: S.erase || e.button === 2, last: [fx, fy] };
    dab(fx, fy, S.stroke.erase);
    S.cursor = [fx, fy];
    draw();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!S.q || !S.view) return;
    const [fx, fy] = toImage(e.clientX, e.clientY);
    S.cursor = [fx, fy];
    if (S.stroke) strokeTo(fx, fy);
    draw();
  });
  const endStroke = () => { S.stroke = null; draw(); };
  canvas.addEventListener('pointerup', endStroke);
  canvas.addEventListener('pointercancel', endStroke);
  canvas.addEventListener('pointerleave', () => { if (!S.stroke) { S.cursor = null; draw(); } });
  canvas.addEventListener('wheel', (e) => {
    if (!S.q) return;
    e.preventDefault();
    setBrushSize(S.brushSize + (e.deltaY < 0 ? 1 : -1));
  }, { passive: false });

  function setBrushSize(n) {
    S.brushSize = Math.max(1, Math.min(32, n));
    $('#brush-size').value = String(S.brushSize);
    $('#brush-size-text').textContent = String(S.brushSize);
    draw();
  }

  // ------------------------------------------------------------------ saving

  function unpaintedCount() {
    let n = 0;
    for (let i = 0; i < S.label.length; i++) if (S.inRegion[i] && S.label[i] === UNPAINTED) n++;
    return n;
  }

  function painted() {
    for (let i = 0; i < S.label.length; i++) if (S.inRegion[i] && S.label[i] !== UNPAINTED) return true;
    return false;
  }

  /** Number key or palette click: the class goes to every region pixel not painted yet, then save. */
  function fillAndSave(c) {
    if (!S.q || S.busy) return;
    if (!painted()) { post({ annotator: S.annotator, class: c }, S.classes[c].name); return; }
    pushUndo();
    for (let i = 0; i < S.label.length; i++) if (S.inRegion[i] && S.label[i] === UNPAINTED) S.label[i] = c;
    S.paintDirty = true;
    draw();
    savePainted();
  }

  /** Enter: save what is painted; pixels left unpainted become void (asks once). */
  function savePainted() {
    if (!S.q || S.busy) return;
    if (!painted()) { toast('Paint the region or press a class key (1–9) first', 'error'); return; }
    const left = unpaintedCount();
    if (left > 0 && !S.voidArmed) {
      S.voidArmed = true;
      toast(left + ' pixel(s) not painted: press Enter again to save them as void, or a class key to fill them', 'error', 5000);
      return;
    }
    let uniform = -2;
    const classes = new Array(S.label.length);
    for (let i = 0; i < S.label.length; i++) {
      const v = !S.inRegion[i] || S.label[i] === UNPAINTED ? VOID : S.label[i];
      classes[i] = v;
      if (S.inRegion[i]) uniform = uniform === -2 || uniform === v ? v : -1;
    }
    if (uniform >= 0 && uniform !== VOID) post({ annotator: S.annotator, class: uniform }, S.classes[uniform].name);
    else post({ annotator: S.annotator, classes }, 'painted');
  }

  async function post(body, what) {
    S.busy = true;
    const q = S.q;
    try {
      const r = await api('POST', '/api/labels/' + enc(q.regionId), body);
      toast((r.saved ? 'Saved ' : 'Already saved ') + q.regionId + ' (' + what + ')', 'ok', 1500);
      await next();
    } catch (e) {
      toast(e.message, 'error', 6000);
      if (e.status === 409) await next();   // lease lost or labelled elsewhere: move on
    } finally {
      S.busy = false;
    }
  }

  async function skip() {
    if (!S.q || S.busy) return;
    if (Date.now() > S.skipArmedUntil) {
      S.skipArmedUntil = Date.now() + 3000;
      toast('Press S again to skip this region: it will not be asked again', 'error', 3000);
      return;
    }
    S.skipArmedUntil = 0;
    S.busy = true;
    const q = S.q;
    try {
      await api('POST', '/api/queue/' + enc(q.regionId) + '/skip', { annotator: S.annotator });
      toast('Skipped ' + q.regionId, 'ok', 1500);
      await next();
    } catch (e) {
      toast(e.message, 'error', 6000);
      if (e.status === 409) await next();
    } finally {
      S.busy = false;
    }
  }

  /** Gives the held region back (tab closed, name changed) so nobody waits for the lease to lapse. */
  function release(keepalive) {
    if (!S.q || !S.annotator) return;
    fetch('/api/queue/' + enc(S.q.regionId) + '/release', {
      method: 'POST', keepalive: !!keepalive, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ annotator: S.annotator }),
    }).catch(() => {});
  }

  // ------------------------------------------------------------------ keys and controls

  function toggle(name) {
    const box = $('#show-' + name);
    if (box.disabled) return;
    box.checked = !box.checked;
    S.show[name] = box.checked;
    draw();
  }

  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement && e.target.type === 'text') return;
    if (e.target instanceof HTMLInputElement && e.target.id === 'annotator') return;
    const digit = /^(?:Digit|Numpad)([1-9])$/.exec(e.code);
    if (digit && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const c = Number(digit[1]) - 1;
      if (c >= S.classes.length) return;
      e.preventDefault();
      if (e.shiftKey) setBrushClass(c); else fillAndSave(c);
      return;
    }
    const k = e.key.toLowerCase();
    if (k === 'z' && !e.altKey) { e.preventDefault(); undo(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    switch (k) {
      case 'enter': e.preventDefault(); savePainted(); break;
      case 's': e.preventDefault(); skip(); break;
      case 'b': S.erase = false; showMode(); break;
      case 'e': S.erase = !S.erase; showMode(); break;
      case '[': setBrushSize(S.brushSize - 1); break;
      case ']': setBrushSize(S.brushSize + 1); break;
      case 'p': toggle('prediction'); break;
      case 'f': toggle('flags'); break;
      case 'u': toggle('undecided'); break;
      case 'l': toggle('labels'); break;
      case 'h': if (!S.peek) { S.peek = true; draw(); } break;
      default: return;
    }
  });
  document.addEventListener('keyup', (e) => {
    if (e.key.toLowerCase() === 'h' && S.peek) { S.peek = false; draw(); }
  });

  $('#mode-paint').addEventListener('click', () => { S.erase = false; showMode(); });
  $('#mode-erase').addEventListener('click', () => { S.erase = true; showMode(); });
  $('#brush-size').addEventListener('input', (e) => setBrushSize(Number(e.target.value)));
  $('#opacity').addEventListener('input', (e) => { S.opacity = Number(e.target.value) / 100; draw(); });
  for (const name of ['prediction', 'flags', 'undecided', 'labels']) {
    $('#show-' + name).addEventListener('change', (e) => { S.show[name] = e.target.checked; draw(); });
  }
  $('#undo').addEventListener('click', undo);
  $('#skip').addEventListener('click', skip);
  $('#save').addEventListener('click', savePainted);
  $('#check-again').addEventListener('click', next);
  // Buttons keep no focus, so Enter and Space never re-press the last button clicked.
  document.querySelectorAll('button').forEach((b) => b.addEventListener('mouseup', () => b.blur()));

  $('#annotator').addEventListener('change', (e) => {
    const name = e.target.value.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name)) {
      toast('Names are 1–64 letters, digits, . _ @ -', 'error', 4000);
      e.target.value = S.annotator;
      return;
    }
    release(false);
    S.annotator = name;
    try { localStorage.setItem('semiactive.annotator', name); } catch (err) { /* private mode */ }
    e.target.blur();
    next();
  });

  window.addEventListener('resize', () => { layout(); draw(); });
  window.addEventListener('pagehide', () => release(true));

  // Hook for the browser test: where an image pixel's centre is on screen (viewport coordinates).
  window.semiactive = {
    clientPoint(px, py) {
      const rect = canvas.getBoundingClientRect();
      const v = S.view;
      return { x: rect.left + v.ox + (px + 0.5 - v.cx0) * v.scale, y: rect.top + v.oy + (py + 0.5 - v.cy0) * v.scale };
    },
  };

  // ------------------------------------------------------------------ start

  (async () => {
    const params = new URLSearchParams(location.search);
    let name = params.get('as');
    if (!name) { try { name = localStorage.getItem('semiactive.annotator'); } catch (e) { /* none */ } }
    S.annotator = name && /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name) ? name : 'annotator';
    $('#annotator').value = S.annotator;
    try {
      await loadProject();
    } catch (e) {
      $('#empty').hidden = false;
      $('#empty').querySelector('h2').textContent = e.status === 401 ? 'Access token needed' : 'Cannot reach the project';
      $('#empty-text').textContent = e.message;
      $('#check-again').hidden = true;
      document.body.dataset.ready = 'true';
      return;
    }
    layout();
    await next();
  })();
})();
