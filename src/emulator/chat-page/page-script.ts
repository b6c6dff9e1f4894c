/**
 * The chat page's browser script (plain ES2020, inlined; no template literals inside so it can live in this
 * TypeScript string). It talks only to the emulator's simulated-user API under `/_emulator/api/`, so a message
 * typed here travels the real path: emulator → event channel → UcwaAdapter → bot → sendMessage → emulator.
 *
 * Bot HTML is rendered by `renderBotHtml` (page-sanitizer.ts), never through innerHTML.
 */
import { SANITIZER } from './page-sanitizer.js';

export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var CONFIG = JSON.parse(document.getElementById('chat-config').textContent);
  var API = '/_emulator/api';
  var $ = function (id) { return document.getElementById(id); };
  var EMPTY = $('empty');
  var state = { user: null, conv: null, lastSeq: 0, seen: {}, pollToken: 0, pollAbort: null, lastTypingSent: 0, shownState: null };

${SANITIZER}
  function api(method, path, body, signal) {
    var init = { method: method, headers: { accept: 'application/json' }, signal: signal };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(API + path, init).then(function (res) {
      if (!res.ok) {
        return res.text().then(function (t) {
          var detail = t;
          try { var j = JSON.parse(t); detail = j.message || j.error || t; } catch (e) { /* plain text */ }
          throw new Error(method + ' ' + path + ' failed: ' + res.status + (detail ? ' ' + detail : ''));
        });
      }
      return res.status === 204 ? null : res.text().then(function (t) { return t ? JSON.parse(t) : null; });
    });
  }

  function showError(message) {
    var el = $('error');
    el.textContent = message || '';
    el.hidden = !message;
  }

  function initials(name) {
    return String(name || '?').split(/\s+/).filter(Boolean).slice(0, 2).map(function (w) { return w.charAt(0).toUpperCase(); }).join('');
  }

  function avatar(name, availability, isBot) {
    var a = document.createElement('span');
    a.className = 'avatar' + (isBot ? ' bot' : '');
    a.textContent = initials(name);
    var dot = document.createElement('span');
    dot.className = 'presence ' + (availability || 'online');
    dot.title = availability || 'online';
    a.appendChild(dot);
    return a;
  }

  function renderUsers(users) {
    var list = $('users');
    list.textContent = '';
    users.forEach(function (u) {
      var li = document.createElement('li');
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'user';
      b.setAttribute('data-testid', 'user');
      b.setAttribute('data-uri', u.uri);
      b.setAttribute('aria-pressed', 'false');
      b.appendChild(avatar(u.name, u.availability, false));
      var text = document.createElement('span');
      var n = document.createElement('div'); n.className = 'user-name'; n.textContent = u.name;
      var s = document.createElement('div'); s.className = 'user-uri'; s.textContent = u.uri;
      text.appendChild(n); text.appendChild(s); b.appendChild(text);
      b.addEventListener('click', function () { selectUser(u); });
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  function selectUser(u) {
    state.user = u;
    Array.prototype.forEach.call(document.querySelectorAll('.user'), function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-uri') === u.uri));
    });
    $('me').textContent = 'Signed in as ' + u.name;
    $('input').disabled = false;
    $('send').disabled = false;
    $('input').focus();
    openConversation(null);
    api('GET', '/users/' + encodeURIComponent(u.uri) + '/conversations').then(function (convs) {
      if (state.user !== u) return;
      var active = (convs || []).filter(function (c) { return c.state !== 'Disconnected'; }).pop();
      if (active) openConversation(active);
    }).catch(function (e) { showError(e.message); });
  }

  function openConversation(conv) {
    state.pollToken++;
    // A parked long-poll holds one of the browser's few connections per host: release it at once.
    if (state.pollAbort) state.pollAbort.abort();
    state.pollAbort = typeof AbortController === 'function' ? new AbortController() : null;
    state.conv = conv ? { id: conv.id, state: conv.state } : null;
    state.lastSeq = 0; state.seen = {}; state.shownState = null;
    $('messages').textContent = '';
    EMPTY.hidden = !!conv;
    $('messages').appendChild(EMPTY);
    setTyping(false);
    renderState();
    if (conv) { applySnapshot(conv); poll(state.pollToken); }
  }

  function renderState() {
    var s = state.conv ? state.conv.state : 'None';
    var el = $('conversation-state');
    el.className = 'state ' + s;
    el.textContent = { None: 'No conversation yet: send a message to start one', Connecting: 'Inviting ' + CONFIG.botName + '...', Connected: 'In a conversation', Disconnected: 'Conversation ended' }[s] || s;
    $('leave').disabled = !(state.conv && state.conv.state !== 'Disconnected');
  }

  function addSystem(text) {
    var d = document.createElement('div');
    d.className = 'system';
    d.setAttribute('data-testid', 'system-message');
    d.textContent = text;
    $('messages').appendChild(d);
  }

  function addMessage(m) {
    if (state.seen[m.seq]) return;
    state.seen[m.seq] = true;
    EMPTY.hidden = true;
    var wrap = document.createElement('div');
    wrap.className = 'msg ' + (m.direction === 'sent' ? 'sent' : 'received');
    wrap.setAttribute('data-testid', 'message');
    wrap.setAttribute('data-direction', m.direction);
    var bubble = document.createElement('div');
    bubble.className = 'bubble';
    if (m.direction === 'received' && m.html) { bubble.className += ' html'; bubble.appendChild(renderBotHtml(m.html)); }
    else bubble.textContent = m.text;
    var meta = document.createElement('div');
    meta.className = 'meta';
    var when = new Date(m.timestamp);
    meta.textContent = (m.direction === 'sent' ? (state.user ? state.user.name : 'You') : CONFIG.botName) +
      (isNaN(when.getTime()) ? '' : ', ' + when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    wrap.appendChild(bubble); wrap.appendChild(meta);
    $('messages').appendChild(wrap);
  }

  function applySnapshot(snap) {
    if (!state.conv || snap.id !== state.conv.id) return;
    if (snap.state && snap.state !== state.shownState) {
      if (snap.state === 'Connected') addSystem(CONFIG.botName + ' joined the conversation');
      if (snap.state === 'Disconnected') addSystem('Conversation ended');
      state.shownState = snap.state;
    }
    (snap.messages || []).slice().sort(function (a, b) { return a.seq - b.seq; }).forEach(function (m) {
      addMessage(m);
      if (m.seq > state.lastSeq) state.lastSeq = m.seq;
    });
    state.conv.state = snap.state || state.conv.state;
    setTyping(!!snap.botTyping && state.conv.state !== 'Disconnected');
    renderState();
    var box = $('messages');
    box.scrollTop = box.scrollHeight;
  }

  function setTyping(on) {
    $('typing').hidden = !on;
  }

  function poll(token) {
    var failures = 0;
    function next() {
      if (token !== state.pollToken || !state.conv || state.conv.state === 'Disconnected') return;
      // typing/state: what this page shows, so the server can answer a change that happened between two polls.
      var known = '&typing=' + ($('typing').hidden ? '0' : '1') + '&state=' + encodeURIComponent(state.conv.state || '');
      api('GET', '/conversations/' + encodeURIComponent(state.conv.id) + '?since=' + state.lastSeq + '&wait=25' + known, undefined, state.pollAbort ? state.pollAbort.signal : undefined)
        .then(function (snap) {
          if (token !== state.pollToken) return;
          failures = 0; showError('');
          applySnapshot(snap);
          next();
        })
        .catch(function (e) {
          if (token !== state.pollToken) return;
          failures++;
          showError('Lost contact with the emulator (' + e.message + '); retrying...');
          setTimeout(next, Math.min(10000, 500 * Math.pow(2, failures)));
        });
    }
    next();
  }

  function send() {
    var input = $('input');
    var text = input.value.trim();
    if (!text || !state.user) return;
    input.value = '';
    showError('');
    var p;
    if (state.conv && state.conv.state !== 'Disconnected') {
      p = api('POST', '/conversations/' + encodeURIComponent(state.conv.id) + '/messages', { text: text });
    } else {
      var user = state.user;
      p = api('POST', '/users/' + encodeURIComponent(user.uri) + '/conversations', { text: text }).then(function (created) {
        if (state.user !== user) return;
        openConversation({ id: created.id, state: created.state || 'Connecting', botTyping: false, messages: [] });
      });
    }
    p.catch(function (e) { showError(e.message); input.value = text; });
    state.lastTypingSent = 0;
  }

  function typing() {
    if (!state.conv || state.conv.state !== 'Connected') return;
    var now = Date.now();
    if (now - state.lastTypingSent < 3000) return;
    state.lastTypingSent = now;
    api('POST', '/conversations/' + encodeURIComponent(state.conv.id) + '/typing', { typing: true }).catch(function () { /* cosmetic */ });
  }

  function leave() {
    if (!state.conv) return;
    var conv = state.conv;
    $('leave').disabled = true;
    api('POST', '/conversations/' + encodeURIComponent(conv.id) + '/leave').catch(function (e) { showError(e.message); renderState(); });
  }

  $('send').addEventListener('click', send);
  $('leave').addEventListener('click', leave);
  $('input').addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && !ev.shiftKey) { ev.preventDefault(); send(); } else typing();
  });

  window.ucwaChat = { renderBotHtml: renderBotHtml };
  api('GET', '/users').then(function (users) {
    renderUsers((users || []).filter(function (u) { return u.uri !== CONFIG.botUri; }));
  }).catch(function (e) {
    renderUsers(CONFIG.users.filter(function (u) { return u.uri !== CONFIG.botUri; }));
    showError('Could not list users from the emulator (' + e.message + ')');
  });
  renderState();
})();
`;
