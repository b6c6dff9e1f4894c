/** The chat page's stylesheet: an IM client look (contact list on the left, conversation on the right). */
export const PAGE_STYLE = `
*{box-sizing:border-box}
html,body{height:100%;margin:0}
body{font:14px/1.45 "Segoe UI",system-ui,-apple-system,"Helvetica Neue",Arial,sans-serif;color:#1b1b1b;background:#eef1f5;display:flex}
button{font:inherit;cursor:pointer}
.sidebar{width:270px;flex:none;background:#fff;border-right:1px solid #d8dde4;display:flex;flex-direction:column}
.brand{padding:16px 18px;background:#0b5cad;color:#fff}
.brand h1{margin:0;font-size:16px;font-weight:600}
.brand p{margin:2px 0 0;font-size:12px;opacity:.85}
.section-title{margin:14px 18px 6px;font-size:11px;letter-spacing:.06em;text-transform:uppercase;color:#6b7480}
.users{list-style:none;margin:0;padding:0 8px}
.user{display:flex;align-items:center;gap:10px;width:100%;padding:8px 10px;border:0;border-radius:6px;background:none;text-align:left}
.user:hover{background:#f0f4f9}
.user[aria-pressed="true"]{background:#dceafa}
.avatar{position:relative;flex:none;width:34px;height:34px;border-radius:50%;background:#5b7fa6;color:#fff;display:grid;place-items:center;font-weight:600;font-size:13px}
.avatar.bot{background:#0b5cad}
.presence{position:absolute;right:-1px;bottom:-1px;width:11px;height:11px;border-radius:50%;border:2px solid #fff;background:#92c353}
.presence.offline{background:#b5bcc5}.presence.busy,.presence.doNotDisturb{background:#d13438}.presence.declines,.presence.noAnswer{background:#f8c12c}
.user-name{font-weight:600}.user-uri{font-size:12px;color:#6b7480}
.hint{margin:auto 18px 16px;font-size:12px;color:#6b7480}
main{flex:1;display:flex;flex-direction:column;min-width:0}
header.conv{display:flex;align-items:center;gap:12px;padding:12px 20px;background:#fff;border-bottom:1px solid #d8dde4}
header.conv .who{flex:1;min-width:0}
header.conv .title{font-weight:600;font-size:15px}
.state{font-size:12px;color:#6b7480}
.state.Connected{color:#107c10}.state.Connecting{color:#8a6d00}
.leave{border:1px solid #c9ced6;background:#fff;border-radius:4px;padding:5px 12px}
.leave:disabled{opacity:.45;cursor:default}
.messages{flex:1;overflow-y:auto;padding:18px 20px;display:flex;flex-direction:column;gap:8px}
.empty{margin:auto;text-align:center;color:#6b7480;max-width:360px}
.msg{max-width:70%;display:flex;flex-direction:column}
.msg .bubble{padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.msg .meta{font-size:11px;color:#6b7480;margin:2px 6px}
.msg.received{align-self:flex-start}.msg.received .bubble{background:#fff;border:1px solid #dfe3e8;border-top-left-radius:4px}
.msg.sent{align-self:flex-end;align-items:flex-end}.msg.sent .bubble{background:#0b5cad;color:#fff;border-top-right-radius:4px}
.msg .bubble.html{white-space:normal}
.bubble p{margin:0 0 6px}.bubble p:last-child{margin-bottom:0}
.bubble ul,.bubble ol{margin:4px 0;padding-left:20px}
.bubble code{font-family:Consolas,"Courier New",monospace;background:#f1f3f6;padding:0 3px;border-radius:3px}
.bubble pre{background:#f1f3f6;padding:6px 8px;border-radius:4px;overflow-x:auto;margin:4px 0}
.bubble a{color:#0b5cad}.msg.sent .bubble a{color:#fff}
.system{align-self:center;font-size:12px;color:#6b7480;background:#e3e8ee;border-radius:10px;padding:2px 10px}
.typing{height:22px;padding:0 22px;font-size:12px;color:#6b7480;font-style:italic}
.typing[hidden]{display:block;visibility:hidden}
.composer{display:flex;gap:8px;padding:12px 20px 16px;background:#fff;border-top:1px solid #d8dde4}
.composer textarea{flex:1;resize:none;height:42px;padding:10px 12px;border:1px solid #c9ced6;border-radius:6px;font:inherit}
.composer textarea:focus{outline:2px solid #0b5cad33;border-color:#0b5cad}
.send{border:0;background:#0b5cad;color:#fff;border-radius:6px;padding:0 18px;font-weight:600}
.send:disabled{background:#9bb6d3;cursor:default}
.error{margin:0;padding:8px 20px;background:#fde7e9;color:#a4262c;font-size:13px}
.error[hidden]{display:none}
`;
