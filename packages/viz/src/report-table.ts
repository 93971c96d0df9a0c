import { formatDuration } from "@lp/core/internal";
import { esc, formatBytes, isoTime, stateClass } from "./html.js";
import type { ReportData, ReportTask } from "./report-data.js";

const DASH = `<span class="none">—</span>`;

/** `hit` when the stored result was used, `miss` when the task had to run, and the reason either way. */
function cacheCell(task: ReportTask): string {
  const r = task.record;
  if (!r) return task.status ? (task.status.decision.run ? "would run" : "would be a hit") : DASH;
  if (r.state === "cached") return `<span class="hit">hit</span>`;
  if (r.decision?.run) {
    const same = r.state === "executed" && r.unchanged ? ` <span class="note">(result unchanged)</span>` : "";
    return `<span class="miss">miss</span>${same}`;
  }
  return DASH;
}

function expiryCell(task: ReportTask): string {
  const at = task.record?.expiresAt !== undefined ? task.record.expiresAt : task.status?.meta?.expiresAt;
  const policy = task.status?.meta?.expiry;
  if (at === undefined) return policy ? esc(policy) : DASH;
  if (at === null) return esc(policy ?? "no time limit");
  const time = `<time datetime="${esc(isoTime(at))}">${esc(isoTime(at))}</time>`;
  return policy ? `<span class="policy">${esc(policy)}</span> ${time}` : time;
}

function errorCell(task: ReportTask): string {
  const e = task.record?.error;
  if (!e) return "";
  const code = e.code ? `<code>${esc(e.code)}</code> ` : "";
  const stack = e.stack ? `<details><summary>stack</summary><pre>${esc(e.stack)}</pre></details>` : "";
  return `<div class="error">${code}<span class="message">${esc(e.message)}</span>${stack}</div>`;
}

/** A mapped task's branches: how many ran, failed and were cached, and the slowest ones. */
function branchesCell(task: ReportTask): string {
  const b = task.record?.branches;
  if (!b) return "";
  const failed =
    b.failed.length > 0 ? `, <span class="failed">${b.failed.length} failed: ${esc(b.failed.map((f) => f.label).join(", "))}</span>` : "";
  const counts = `${b.ran} of ${b.total} branch${b.total === 1 ? "" : "es"} ran, ${b.cached} cached${failed}`;
  const slowest =
    b.slowest.length > 0 ? `<br>slowest: ${b.slowest.map((s) => `${esc(s.label)} ${esc(formatDuration(s.durationMs))}`).join(", ")}` : "";
  return `<div class="branches">${counts}${slowest}</div>`;
}

function row(task: ReportTask): string {
  const r = task.record;
  const state = task.state ?? "none";
  const size = r?.size ?? task.status?.meta?.size;
  const ran = r && (r.attempts > 0 || r.state === "cached");
  const cells = [
    `<th scope="row" class="task"><span class="name">${esc(task.name)}</span>${task.critical ? ` <span class="crit" title="on the critical path">critical</span>` : ""}</th>`,
    `<td><span class="badge ${stateClass(state)}">${esc(task.state ?? "not in this run")}</span></td>`,
    `<td class="cache">${cacheCell(task)}</td>`,
    `<td class="why">${esc(r?.decision?.text ?? task.status?.decision.text ?? "")}${branchesCell(task)}</td>`,
    `<td class="type">${r?.resultType ? esc(r.resultType) : DASH}</td>`,
    `<td class="num size">${size === undefined ? DASH : esc(formatBytes(size))}</td>`,
    `<td class="expiry">${expiryCell(task)}</td>`,
    `<td class="num duration">${ran ? esc(formatDuration(r.durationMs)) : DASH}${r?.ranOn ? `<div class="ran-on" title="the worker that ran it">on ${esc(r.ranOn)}</div>` : ""}</td>`,
    `<td class="num attempts">${r ? r.attempts : DASH}</td>`,
    `<td>${errorCell(task)}</td>`,
  ];
  return `<tr data-task="${esc(task.name)}" data-state="${esc(state)}"${task.critical ? ` class="critical"` : ""}>${cells.join("")}</tr>`;
}

/** One row per task with its cache facts: hit or miss and why, result type, size, expiry, time (and the worker that ran it, in a distributed run), attempts, error. */
export function taskTable(data: ReportData): string {
  const head = ["Task", "State", "Cache", "Why", "Result", "Size", "Expires", "Duration", "Attempts", "Error"];
  return [
    `<table class="tasks">`,
    `<thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead>`,
    `<tbody>`,
    ...[...data.tasks.values()].map(row),
    `</tbody>`,
    `</table>`,
  ].join("\n");
}
