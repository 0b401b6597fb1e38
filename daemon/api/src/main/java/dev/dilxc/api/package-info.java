/**
 * The daemon's HTTP+JSON contract: request and response records, the job state and
 * restore policy enums, and the problem-detail types. No Spring, no Jackson annotations:
 * both sides bind these records with their own mapper.
 *
 * <p>
 * Endpoints (over the daemon's Unix domain socket):
 * <ul>
 * <li>{@code POST /api/jobs} with {@link dev.dilxc.api.SubmitJobRequest} → 201
 * {@link dev.dilxc.api.JobView}</li>
 * <li>{@code GET /api/jobs?state=&sandbox=&limit=} → newest first, {@code JobView[]}</li>
 * <li>{@code GET /api/jobs/{id}} → {@link dev.dilxc.api.JobDetails}</li>
 * <li>{@code GET /api/jobs/{id}/output?after=&limit=} →
 * {@link dev.dilxc.api.OutputPage}</li>
 * <li>{@code POST /api/jobs/{id}/cancel} → {@link dev.dilxc.api.JobView}</li>
 * <li>{@code GET /api/system} → {@link dev.dilxc.api.SystemInfo}</li>
 * <li>{@code GET /api/jobs/{id}/changes} → {@link dev.dilxc.api.JobChanges} (404
 * not-found when none were captured)</li>
 * <li>{@code POST /api/jobs/{id}/retry} → 201 {@link dev.dilxc.api.JobView}: the same
 * prompt and options, as a new job</li>
 * <li>{@code POST /api/jobs/{id}/resume} with {@link dev.dilxc.api.ResumeJobRequest} →
 * 201 {@link dev.dilxc.api.JobView}: a new job continuing the job's Claude Code session
 * ({@code --resume SESSION}) in the same sandbox and directory</li>
 * <li>{@code GET /api/report?since=&until=} (ISO-8601 instants; until defaults to now,
 * since to a day before until) → {@link dev.dilxc.api.ReportView}</li>
 * </ul>
 *
 * <p>
 * Schedules (a missing id is {@code schedule-not-found}; a bad cron expression or zone is
 * {@code invalid-request}):
 * <ul>
 * <li>{@code POST /api/schedules} with {@link dev.dilxc.api.ScheduleRequest} → 201
 * {@link dev.dilxc.api.ScheduleView}</li>
 * <li>{@code GET /api/schedules} → {@code ScheduleView[]}</li>
 * <li>{@code GET /api/schedules/{id}} → {@link dev.dilxc.api.ScheduleDetails}</li>
 * <li>{@code POST /api/schedules/{id}/pause|resume} →
 * {@link dev.dilxc.api.ScheduleView}</li>
 * <li>{@code POST /api/schedules/{id}/run-now} → 201 {@link dev.dilxc.api.JobView}; 409
 * {@code conflict} when the previous run is unfinished and the overlap policy is
 * skip</li>
 * <li>{@code DELETE /api/schedules/{id}} → 204 (its events and jobs are kept)</li>
 * </ul>
 *
 * <p>
 * Sandboxes ({@code {name}} is an LXD instance name; a missing one is
 * {@code sandbox-not-found}, a stopped one where it must run is
 * {@code sandbox-not-running}):
 * <ul>
 * <li>{@code GET /api/sandboxes} → every LXD instance, {@code SandboxView[]} (dilxc's
 * marked {@code managed})</li>
 * <li>{@code GET /api/sandboxes/{name}} → {@link dev.dilxc.api.SandboxView}</li>
 * <li>{@code POST /api/sandboxes} with {@link dev.dilxc.api.InitSandboxRequest} → 202
 * {@link dev.dilxc.api.OperationView} (create or converge; bad input is refused with 400
 * before anything is made)</li>
 * <li>{@code GET /api/operations/{id}/events?after=N} →
 * {@link dev.dilxc.api.OperationEvents}</li>
 * <li>{@code POST /api/sandboxes/{name}/start|stop|restart} →
 * {@link dev.dilxc.api.SandboxView} (idempotent)</li>
 * <li>{@code DELETE /api/sandboxes/{name}} → 204 once LXD has deleted it</li>
 * <li>{@code POST /api/sandboxes/{name}/sync} with {@link dev.dilxc.api.SyncRequest} →
 * {@link dev.dilxc.api.CommandResult}</li>
 * <li>{@code POST /api/sandboxes/{name}/pull|push} with
 * {@link dev.dilxc.api.FileTransferRequest} → {@link dev.dilxc.api.CommandResult}</li>
 * <li>{@code POST /api/sandboxes/{name}/terminal} with
 * {@link dev.dilxc.api.TerminalRequest} → {@link dev.dilxc.api.TerminalCommand}</li>
 * <li>{@code GET /api/sandboxes/{name}/snapshots} → {@code SnapshotView[]}</li>
 * <li>{@code POST /api/sandboxes/{name}/snapshots} with
 * {@link dev.dilxc.api.CreateSnapshotRequest} → 201
 * {@link dev.dilxc.api.SnapshotView}</li>
 * <li>{@code POST /api/sandboxes/{name}/snapshots/{snapshot}/restore} →
 * {@link dev.dilxc.api.RestoreResult}</li>
 * <li>{@code DELETE /api/sandboxes/{name}/snapshots/{snapshot}} → 204</li>
 * <li>{@code GET /api/sandboxes/{name}/proxies} → {@code ProxyView[]}; {@code POST} with
 * {@link dev.dilxc.api.ProxyRequest} → 201 {@link dev.dilxc.api.ProxyView}; {@code DELETE
 * .../proxies/{hostPort}} → 204; {@code DELETE .../proxies} → every dilxc proxy,
 * {@code ProxyView[]} of those removed (if some could not be removed: 503
 * {@code lxd-unavailable} naming them, with properties {@code removed}
 * ({@code ProxyView[]}) and {@code failed} (device → error))</li>
 * <li>{@code GET /api/sandboxes/{name}/health} → {@link dev.dilxc.api.CheckReport}</li>
 * <li>{@code POST /api/sandboxes/{name}/git-auth} with {@link dev.dilxc.api.HostAuth} →
 * {@link dev.dilxc.api.CheckReport}</li>
 * <li>{@code POST /api/sandboxes/{name}/update} with {@link dev.dilxc.api.HostAuth} → 202
 * {@link dev.dilxc.api.OperationView}</li>
 * <li>{@code GET /api/doctor?sandbox=&uid=} → {@link dev.dilxc.api.CheckReport} of the
 * host (and the sandbox, if named); {@code uid} is the host user whose project files must
 * map to the sandbox user (the client sends its own; without it, the owner of the
 * sandbox's project directory, else the daemon's user)</li>
 * </ul>
 */
@NullMarked
package dev.dilxc.api;

import org.jspecify.annotations.NullMarked;
