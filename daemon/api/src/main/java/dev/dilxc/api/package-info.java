/**
 * The daemon's HTTP+JSON contract: request and response records, the job state and restore policy
 * enums, and the problem-detail types. No Spring, no Jackson annotations: both sides bind these
 * records with their own mapper.
 *
 * <p>Endpoints (over the daemon's Unix domain socket):
 * <ul>
 * <li>{@code POST /api/jobs} with {@link dev.dilxc.api.SubmitJobRequest} → 201 {@link dev.dilxc.api.JobView}</li>
 * <li>{@code GET /api/jobs?state=&sandbox=&limit=} → newest first, {@code JobView[]}</li>
 * <li>{@code GET /api/jobs/{id}} → {@link dev.dilxc.api.JobDetails}</li>
 * <li>{@code GET /api/jobs/{id}/output?after=&limit=} → {@link dev.dilxc.api.OutputPage}</li>
 * <li>{@code POST /api/jobs/{id}/cancel} → {@link dev.dilxc.api.JobView}</li>
 * <li>{@code GET /api/system} → {@link dev.dilxc.api.SystemInfo}</li>
 * </ul>
 */
package dev.dilxc.api;
