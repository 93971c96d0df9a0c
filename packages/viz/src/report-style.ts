import { INK, PALETTE } from "./palette.js";
import { VIZ_STATES } from "./state.js";
import { stateClass } from "./html.js";

function stateRules(): string {
  return VIZ_STATES.map((state) => {
    const s = PALETTE[state];
    const c = `.${stateClass(state)}`;
    const dash = s.dashed ? "stroke-dasharray:5 3;" : "";
    return [
      `.node${c} rect{fill:${s.fill};stroke:${s.stroke};${dash}}`,
      `.bar${c}{fill:${s.fill};stroke:${s.stroke}}`,
      `.badge${c},.legend ${c}{background:${s.fill};border-color:${s.stroke}}`,
    ].join("\n");
  }).join("\n");
}

/** The report's whole stylesheet: system fonts only, light and dark schemes, nothing fetched. */
export function reportCss(): string {
  return `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--panel:#f6f8fa;--crit:#d1242f;--load:#8250df}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--panel:#161b22;--crit:#ff7b72;--load:#a371f7}}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px 48px;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:16px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.meta{color:var(--muted);margin:0}
.verdict{display:inline-block;padding:0 8px;border-radius:10px;font-weight:600;color:#fff}
.verdict.ok{background:#1a7f37}.verdict.failed{background:#cf222e}.verdict.interrupted{background:#9a6700}
.totals{display:flex;flex-wrap:wrap;gap:10px;margin:0}
.totals div{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:8px 12px;min-width:110px}
.totals dt{color:var(--muted);font-size:12px}.totals dd{margin:0;font-size:18px;font-weight:600}
.path{margin:10px 0 0}.path .sep{color:var(--muted);padding:0 4px}
.scroll{overflow:auto;border:1px solid var(--line);border-radius:8px;background:var(--panel);padding:8px}
.legend{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 8px;padding:0;list-style:none}
.legend li,.badge{display:inline-block;padding:1px 8px;border:1px solid;border-radius:10px;font-size:12px;color:${INK};white-space:nowrap}
.badge.st-none{background:transparent;color:var(--muted);border-color:var(--line)}
svg text{fill:var(--fg);font-size:12px}
.node text{fill:${INK}}.node .name{font-size:13px;font-weight:600}.node .sub{font-size:11px;fill:#444}
.node rect{fill:var(--panel);stroke:var(--muted);stroke-width:1.5}
.node.critical rect{stroke-width:3}
.node.st-none text{fill:var(--fg)}
.edge{fill:none;stroke:var(--muted);stroke-width:1.4}
.edge.critical{stroke:var(--crit);stroke-width:2.6}
.arrow{fill:var(--muted)}.arrow.critical{fill:var(--crit)}
.grid{stroke:var(--line);stroke-width:1}
.tick{text-anchor:middle;fill:var(--muted);font-size:11px}
.label{text-anchor:end}.label.critical{font-weight:700;fill:var(--crit)}
.axis-label{text-anchor:end;fill:var(--muted);font-size:11px}
.bar{stroke-width:1}
.dur{fill:var(--muted);font-size:11px}
.bar.critical{stroke:var(--crit);stroke-width:2.5}
.baseline{stroke:var(--muted)}
.load{fill:var(--load);fill-opacity:.35;stroke:var(--load);stroke-width:1.2}
.hl rect,rect.hl{filter:drop-shadow(0 0 3px var(--crit))}
tr.hl{outline:2px solid var(--crit)}
table.tasks{border-collapse:collapse;width:100%}
.tasks th,.tasks td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
.tasks thead th{font-size:12px;color:var(--muted);font-weight:600}
.tasks .num{text-align:right;white-space:nowrap}
.tasks .ran-on{font-size:.85em;opacity:.75}
.tasks .why{max-width:280px}
.branches{margin-top:4px;font-size:.9em;color:var(--muted);overflow-wrap:anywhere}
.branches .failed{color:var(--crit);font-weight:600}
.tasks .expiry{white-space:nowrap}
.hit{color:#1a7f37;font-weight:600}.miss{color:#9a6700;font-weight:600}
.note,.none,.policy{color:var(--muted)}
.crit{color:var(--crit);font-size:11px;font-weight:600}
.error{color:var(--crit);max-width:420px;overflow-wrap:anywhere}
.error pre{white-space:pre-wrap;color:var(--fg)}
.empty{color:var(--muted)}
footer{margin-top:32px;color:var(--muted);font-size:12px}
${stateRules()}
`.trim();
}

/**
 * The report's only script: pointing at (or tabbing to) a task anywhere highlights it in the graph, the
 * timeline and the table. The page works without it.
 */
export function reportJs(): string {
  return `
(function(){
  var all = document.querySelectorAll("[data-task]");
  function mark(name, on){
    for (var i = 0; i < all.length; i++) if (all[i].getAttribute("data-task") === name) all[i].classList.toggle("hl", on);
  }
  for (var i = 0; i < all.length; i++) {
    ["mouseenter", "focus"].forEach(function(type){
      all[i].addEventListener(type, function(e){ mark(e.currentTarget.getAttribute("data-task"), true); });
    });
    ["mouseleave", "blur"].forEach(function(type){
      all[i].addEventListener(type, function(e){ mark(e.currentTarget.getAttribute("data-task"), false); });
    });
  }
})();
`.trim();
}
