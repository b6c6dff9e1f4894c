/**
 * The chat page's HTML sanitiser (browser code, inlined into page-script.ts). Bot HTML is never assigned with
 * innerHTML: `renderBotHtml` parses it into an inert document (DOMParser runs no scripts, fires no handlers and
 * loads nothing) and rebuilds an allow-list of elements with fresh nodes. No attribute is copied except an
 * http(s) `href` on links; everything else keeps only its text, and script-like elements are dropped whole.
 */
export const ALLOWED_TAGS = ['b', 'i', 'u', 'strong', 'em', 'a', 'br', 'p', 'ul', 'ol', 'li', 'code', 'pre'] as const;

export const SANITIZER = String.raw`
  var ALLOWED = ${JSON.stringify(Object.fromEntries(ALLOWED_TAGS.map((t) => [t.toUpperCase(), 1])))};
  var DROPPED = { SCRIPT: 1, STYLE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, TEMPLATE: 1, NOSCRIPT: 1, TEXTAREA: 1, SELECT: 1, SVG: 1, MATH: 1, HEAD: 1, TITLE: 1 };

  function renderBotHtml(html) {
    var doc = new DOMParser().parseFromString(String(html), 'text/html');
    var fragment = document.createDocumentFragment();
    copyChildren(doc.body, fragment, 0);
    return fragment;
  }

  function copyChildren(from, to, depth) {
    // Absurd nesting keeps its text, flattened, rather than recursing without bound.
    if (depth > 20) { to.appendChild(document.createTextNode(from.textContent || '')); return; }
    for (var node = from.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) { to.appendChild(document.createTextNode(node.nodeValue)); continue; }
      if (node.nodeType !== 1) continue;
      var tag = node.nodeName.toUpperCase();
      if (DROPPED[tag]) continue;
      if (!ALLOWED[tag]) { copyChildren(node, to, depth + 1); continue; }
      var href = tag === 'A' ? safeHref(node.getAttribute('href')) : null;
      // A link whose target is not http(s) (javascript:, data:, relative) keeps only its text.
      var el = document.createElement(tag === 'A' && !href ? 'span' : tag.toLowerCase());
      if (href) { el.setAttribute('href', href); el.setAttribute('target', '_blank'); el.setAttribute('rel', 'noopener noreferrer nofollow'); }
      copyChildren(node, el, depth + 1);
      to.appendChild(el);
    }
  }

  function safeHref(value) {
    if (!value) return null;
    try {
      var url = new URL(value, 'https://invalid.example/');
      if ((url.protocol === 'http:' || url.protocol === 'https:') && /^https?:/i.test(value.trim())) return url.href;
    } catch (e) { /* not a URL: drop it */ }
    return null;
  }
`;
