import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ALLOWED_TAGS, decodeEntities, escapeHtml, htmlToText, sanitizeMessageHtml } from '../../../src/adapter/html.js';
import { renderMarkdown } from '../../../src/adapter/markdown.js';

describe('sanitizeMessageHtml', () => {
  const table: Array<[string, string, string]> = [
    ['removes script tags and their content', '<p>hi</p><script>alert(1)</script>', '<p>hi</p>'],
    ['removes style blocks', '<style>p{}</style><b>x</b>', '<b>x</b>'],
    ['drops javascript: hrefs', '<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['drops JaVaScRiPt: with entities', '<a href="jav&#x61;script:alert(1)">x</a>', '<a>x</a>'],
    ['drops data: hrefs', '<a href="data:text/html,<script>">x</a>', '<a>x</a>'],
    ['keeps https, mailto and sip links', '<a href="https://a.test">a</a><a href="mailto:x@y.test">m</a><a href="sip:x@y.test">s</a>', '<a href="https://a.test">a</a><a href="mailto:x@y.test">m</a><a href="sip:x@y.test">s</a>'],
    ['drops event handlers and other attributes', '<b onclick="x()" style="color:red" class="c">b</b>', '<b>b</b>'],
    ['drops images and iframes', '<img src="x" onerror="alert(1)"><iframe src="https://e.test">i</iframe>t', 't'],
    ['keeps every allowed tag', '<p><b>b</b><i>i</i><u>u</u><strong>s</strong><em>e</em><br /><code>c</code></p><pre>p</pre><ul><li>1</li></ul><ol><li>2</li></ol>', '<p><b>b</b><i>i</i><u>u</u><strong>s</strong><em>e</em><br /><code>c</code></p><pre>p</pre><ul><li>1</li></ul><ol><li>2</li></ol>'],
    ['turns headings and divs into paragraphs', '<h1>T</h1><div>d</div>', '<p>T</p><p>d</p>'],
    ['keeps the text of unknown inline tags', '<span>x</span><font>y</font>', 'xy'],
  ];
  for (const [name, input, expected] of table) {
    it(`should ${name}`, () => assert.equal(sanitizeMessageHtml(input), expected));
  }

  it('should leave renderMarkdown output unchanged and never emit script or javascript: (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '_', '`', '[', ']', '(', ')', '<', '>', 'javascript:', 'script', 'a', ' ', '\n', '-', '1.', '#', 'https://x', '&', '"') , maxLength: 40 }), (md) => {
        const { html } = renderMarkdown(md);
        assert.equal(sanitizeMessageHtml(html), sanitizeMessageHtml(sanitizeMessageHtml(html)));
        assert.ok(!/<script|href="javascript:/i.test(html), html);
        for (const tag of html.matchAll(/<\/?([a-z]+)/g)) assert.ok(ALLOWED_TAGS.includes(tag[1]!), tag[1]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('htmlToText', () => {
  const table: Array<[string, string, string]> = [
    ['paragraphs', '<p>a</p><p>b</p>', 'a\n\nb'],
    ['line breaks', 'a<br>b<br/>c', 'a\nb\nc'],
    ['links with their target', '<a href="https://x.test">docs</a>', 'docs (https://x.test)'],
    ['links whose text is the target', '<a href="https://x.test">https://x.test</a>', 'https://x.test'],
    ['unordered lists', '<ul><li>a</li><li>b</li></ul>', '- a\n- b'],
    ['ordered lists', '<ol><li>a</li><li>b</li></ol>', '1. a\n2. b'],
    ['entities', '&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39; &#x263A;', '<b> & "q" \'s\' ☺'],
    ['source newlines as spaces', '<p>a\n  b</p>', 'a b'],
    ['preformatted text as is', '<pre>a\n  b</pre>', 'a\n  b'],
    ['no script content', 'x<script>alert(1)</script>y', 'xy'],
  ];
  for (const [name, input, expected] of table) {
    it(`should render ${name}`, () => assert.equal(htmlToText(input), expected));
  }
});

describe('escapeHtml / decodeEntities', () => {
  it('should round-trip the five special characters', () => {
    const text = `<a href="x">'&'</a>`;
    assert.equal(escapeHtml(text), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(decodeEntities(escapeHtml(text)), text);
  });
  it('should leave unknown entities alone', () => assert.equal(decodeEntities('&bogus; &#0;'), '&bogus; &#0;'));
});
