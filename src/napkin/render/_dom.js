// Loads a page into the current document (when `html` is given), waits for it, gives broken
// images a local placeholder, and reads the DOM facts of every visible element. One evaluation
// does it all, because each call crosses two process boundaries (Python, the driver, Chromium).
// Returns a JSON string of compact rows (arrays, not objects) for the same reason.
async ({ html, maxElements, dom, placeholder, settleMs, freeze }) => {
  if (html !== null) {
    // document.write into a window no page script has touched: as good as a fresh document,
    // and about ten times cheaper than a navigation. The engine navigates when it is not clean.
    document.open();
    document.write(html);
    document.close();
  }
  if (freeze) {
    // An adopted stylesheet: it wins like any !important rule but adds no element to the page,
    // so the DOM facts stay the author's.
    const still = new CSSStyleSheet();
    still.replaceSync("*,*::before,*::after{transition:none!important;animation-duration:0s!important;animation-delay:0s!important}");
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, still];
  }
  if (document.readyState !== "complete")
    await new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
  // Wait for every image, as the load event would have: a written document reports "complete"
  // at once (document.open no longer resets it), and lazy images below the window would load,
  // or not, whenever a full-page capture happens to reach them. So lazy images load now, and
  // the wait goes in rounds, since the parser may still be adding images while we wait.
  const settle = (i) => new Promise((resolve) => {
    i.addEventListener("load", resolve, { once: true });
    i.addEventListener("error", resolve, { once: true });
    if (i.complete) resolve();
  });
  for (let round = 0; round < 20; round++) {
    for (const i of document.images) if (i.loading === "lazy") i.loading = "eager";
    await new Promise((resolve) => setTimeout(resolve, 0));
    const pending = [...document.images].filter((i) => !i.complete);
    if (!pending.length) break;
    await Promise.all(pending.map(settle));
  }
  if (settleMs) await new Promise((resolve) => setTimeout(resolve, settleMs));

  if (placeholder) {
    // Images we would not fetch leave broken <img> elements; give them a local placeholder,
    // sized by their width/height attributes when present, so the layout keeps its image boxes.
    // CSS background images stay missing, as in Design2Code's reference renders.
    const broken = [...document.images].filter((i) => i.complete && i.naturalWidth === 0 && i.getAttribute("src"));
    // Each broken image is swapped for a fresh copy showing its placeholder (a data: URL, so
    // no request). Changing the src of the broken element itself races: for a moment it still
    // reports the old, broken request as complete, and a layout read then sees a broken image
    // (a few pages in a hundred rendered differently from one run to the next).
    const copies = [];
    const loaded = broken.map((img) => {
      if (img.parentElement && img.parentElement.tagName === "PICTURE")
        for (const s of img.parentElement.querySelectorAll("source")) s.remove();
      let w = parseInt(img.getAttribute("width"), 10), h = parseInt(img.getAttribute("height"), 10);
      if (!(w > 0 && h > 0 && w <= 4096 && h <= 4096)) [w, h] = placeholder.fallback;
      const copy = img.cloneNode(false);
      copy.removeAttribute("srcset");
      copy.removeAttribute("loading");
      const done = new Promise((resolve) => {
        copy.addEventListener("load", resolve, { once: true });
        copy.addEventListener("error", resolve, { once: true });
      });
      copy.src = placeholder.template.replaceAll("__W__", String(w)).replaceAll("__H__", String(h));
      img.replaceWith(copy);
      copies.push(copy);
      return copy.complete ? Promise.resolve() : done;
    });
    // The load event, then decode(): decode() alone, without waiting for the load, left 4 of
    // the 100 real pages unstable (benchmarks/render_stability.py).
    await Promise.all(loaded);
    await Promise.all(copies.map((i) => i.decode().catch(() => {})));
  }
  try { await document.fonts.ready; } catch (e) { /* a page may break document.fonts */ }
  const root0 = document.documentElement, body0 = document.body;
  const size = () => [
    Math.max(root0 ? root0.scrollWidth : 0, body0 ? body0.scrollWidth : 0),
    Math.max(root0 ? root0.scrollHeight : 0, body0 ? body0.scrollHeight : 0),
  ];
  if (!dom) {
    const [pw, ph] = size();
    return JSON.stringify({ rows: [], truncated: false, pageWidth: pw, pageHeight: ph, title: document.title || "",
                            domSize: document.getElementsByTagName("*").length });
  }
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "HEAD", "META", "LINK", "TITLE", "BASE"]);
  const ATTRS = ["id", "class", "href", "src", "alt", "type", "placeholder", "value", "role", "name", "aria-label", "for", "colspan", "rowspan"];
  const sx = window.scrollX, sy = window.scrollY;
  const rows = [];
  let truncated = false;

  let canvasCtx = null;
  const RGB = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/;
  const colorCache = new Map();
  function color(c) {
    let v = colorCache.get(c);
    if (v !== undefined) return v;
    const m = RGB.exec(c);
    if (m) {
      let a = m[4] === undefined ? 1 : (m[4].endsWith("%") ? parseFloat(m[4]) / 100 : parseFloat(m[4]));
      v = [Math.round(+m[1]), Math.round(+m[2]), Math.round(+m[3]), a];
    } else {
      // color(srgb ...), oklch(...) and friends: let the canvas convert them to sRGB bytes.
      if (!canvasCtx) canvasCtx = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
      canvasCtx.clearRect(0, 0, 1, 1);
      canvasCtx.fillStyle = "rgba(0,0,0,0)";
      canvasCtx.fillStyle = c;
      canvasCtx.fillRect(0, 0, 1, 1);
      const d = canvasCtx.getImageData(0, 0, 1, 1).data;
      v = [d[0], d[1], d[2], Math.round(d[3] / 255 * 1000) / 1000];
    }
    colorCache.set(c, v);
    return v;
  }

  const range = document.createRange();
  const r1 = (x) => Math.round(x * 10) / 10;

  function walk(el, parent, path, depth, opacity) {
    if (rows.length >= maxElements) { truncated = true; return; }
    const tag = el.tagName;
    if (SKIP.has(tag)) return;
    const st = getComputedStyle(el);
    if (st.display === "none") return;
    const op = opacity * parseFloat(st.opacity || "1");
    const rect = el.getBoundingClientRect();
    let me = parent;
    const visible = op > 0 && st.visibility === "visible" && rect.width > 0 && rect.height > 0;
    if (visible) {
      const texts = [];
      const boxes = [];
      for (let n = el.firstChild; n; n = n.nextSibling) {
        if (n.nodeType !== 3) continue;
        const raw = n.nodeValue;
        if (!raw || !/\S/.test(raw)) continue;
        range.selectNodeContents(n);
        const b = range.getBoundingClientRect();
        if (b.width <= 0 || b.height <= 0) continue;
        const t = raw.replace(/\s+/g, " ").trim();
        texts.push(t);
        boxes.push([t, r1(b.left + sx), r1(b.top + sy), r1(b.width), r1(b.height)]);
      }
      let bw = 0, bc = "rgba(0, 0, 0, 0)";
      for (const side of ["Top", "Right", "Bottom", "Left"]) {
        if (st["border" + side + "Style"] === "none" || st["border" + side + "Style"] === "hidden") continue;
        const w = parseFloat(st["border" + side + "Width"]) || 0;
        if (w > bw) { bw = w; bc = st["border" + side + "Color"]; }
      }
      const attrs = {};
      for (const a of ATTRS) {
        const v = el.getAttribute(a);
        if (v !== null && v !== "") attrs[a] = v.length > 300 ? v.slice(0, 300) : v;
      }
      if ((tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") && el.value) attrs.value = String(el.value).slice(0, 300);
      if (tag === "INPUT" && (el.type === "checkbox" || el.type === "radio") && el.checked) attrs.checked = "true";
      if (tag === "IMG" && el.naturalWidth) attrs.natural = el.naturalWidth + "x" + el.naturalHeight;
      me = rows.length;
      rows.push([
        parent, path, tag.toLowerCase(),
        r1(rect.left + sx), r1(rect.top + sy), r1(rect.width), r1(rect.height),
        texts.join(" "), boxes,
        color(st.color), color(st.backgroundColor),
        parseFloat(st.fontSize) || 0, parseInt(st.fontWeight, 10) || 400, st.fontFamily, st.textAlign,
        bw, color(bc), parseFloat(st.borderTopLeftRadius) || 0,
        st.display, st.position, depth, attrs,
      ]);
    }
    const counts = new Map();
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
      const t = c.tagName.toLowerCase();
      const k = (counts.get(t) || 0) + 1;
      counts.set(t, k);
      walk(c, me, path + "/" + t + "[" + k + "]", depth + 1, op);
      if (truncated) return;
    }
  }

  const root = document.documentElement;
  if (root) walk(root, -1, "/" + root.tagName.toLowerCase(), 0, 1);
  const [pw, ph] = size();
  // One JSON string: the protocol's own value serialisation is far slower for nested arrays.
  return JSON.stringify({
    rows, truncated, pageWidth: pw, pageHeight: ph,
    title: (document.title || "").slice(0, 500),
    domSize: document.getElementsByTagName("*").length,
  });
}
