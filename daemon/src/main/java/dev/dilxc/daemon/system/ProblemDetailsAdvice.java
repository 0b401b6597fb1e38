package dev.dilxc.daemon.system;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import dev.dilxc.api.ProblemTypes;
import dev.dilxc.daemon.jobs.IllegalJobTransitionException;
import dev.dilxc.daemon.jobs.InvalidJobRequestException;
import dev.dilxc.daemon.jobs.JobAlreadyFinishedException;
import dev.dilxc.daemon.jobs.JobNotFoundException;
import dev.dilxc.daemon.jobs.JobPrunedException;
import dev.dilxc.daemon.lxd.InstanceExistsException;
import dev.dilxc.daemon.lxd.InstanceNotFoundException;
import dev.dilxc.daemon.lxd.LxdException;
import dev.dilxc.daemon.lxd.MemberUnavailableException;
import dev.dilxc.daemon.lxd.SnapshotExistsException;
import dev.dilxc.daemon.lxd.SnapshotNotFoundException;
import dev.dilxc.daemon.jobs.SandboxRepair;
import dev.dilxc.daemon.leases.SandboxBusyException;
import dev.dilxc.daemon.sandboxes.SandboxException;
import dev.dilxc.daemon.schedules.InvalidScheduleException;
import dev.dilxc.daemon.schedules.ScheduleBusyException;
import dev.dilxc.daemon.schedules.ScheduleNotFoundException;

/**
 * Turns domain exceptions into RFC 9457 problem details with a stable {@code type} per
 * error (see {@link ProblemTypes}); the client maps each type to a message and an exit
 * code.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	@ExceptionHandler(InvalidJobRequestException.class)
	ProblemDetail invalidJob(InvalidJobRequestException ex) {
		return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", ex.getMessage());
	}

	@ExceptionHandler(JobNotFoundException.class)
	ProblemDetail jobNotFound(JobNotFoundException ex) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, ProblemTypes.JOB_NOT_FOUND, "Job not found",
				ex.getMessage());
		problem.setProperty("jobId", ex.jobId());
		return problem;
	}

	@ExceptionHandler(JobPrunedException.class)
	ProblemDetail jobPruned(JobPrunedException ex) {
		ProblemDetail problem = problem(HttpStatus.GONE, ProblemTypes.PRUNED, "Pruned by retention", ex.getMessage());
		problem.setProperty("jobId", ex.jobId());
		return problem;
	}

	@ExceptionHandler({ JobAlreadyFinishedException.class, IllegalJobTransitionException.class })
	ProblemDetail jobFinished(RuntimeException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.JOB_ALREADY_FINISHED, "Job already finished", ex.getMessage());
	}

	@ExceptionHandler(InvalidScheduleException.class)
	ProblemDetail invalidSchedule(InvalidScheduleException ex) {
		return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", ex.getMessage());
	}

	@ExceptionHandler(ScheduleNotFoundException.class)
	ProblemDetail scheduleNotFound(ScheduleNotFoundException ex) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, ProblemTypes.SCHEDULE_NOT_FOUND, "Schedule not found",
				ex.getMessage());
		problem.setProperty("scheduleId", ex.scheduleId());
		return problem;
	}

	@ExceptionHandler(ScheduleBusyException.class)
	ProblemDetail scheduleBusy(ScheduleBusyException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Previous run still going", ex.getMessage());
	}

	@ExceptionHandler(SandboxRepair.NotQuarantinedException.class)
	ProblemDetail notQuarantined(SandboxRepair.NotQuarantinedException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Not quarantined", ex.getMessage());
	}

	@ExceptionHandler(SandboxRepair.RepairFailedException.class)
	ProblemDetail repairFailed(SandboxRepair.RepairFailedException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.SANDBOX_QUARANTINED, "Repair failed", ex.getMessage());
	}

	@ExceptionHandler(SandboxBusyException.class)
	ProblemDetail sandboxLeased(SandboxBusyException ex) {
		return sandbox(new SandboxException.Busy(ex.getMessage()));
	}

	@ExceptionHandler(SandboxException.class)
	ProblemDetail sandbox(SandboxException ex) {
		HttpStatus status = HttpStatus.valueOf(ex.httpStatus());
		return problem(status, ex.problemType(), status.getReasonPhrase(), ex.getMessage());
	}

	@ExceptionHandler(InstanceNotFoundException.class)
	ProblemDetail instanceNotFound(InstanceNotFoundException ex) {
		return sandbox(new SandboxException.NotFound(ex.name().value()));
	}

	@ExceptionHandler(SnapshotNotFoundException.class)
	ProblemDetail snapshotNotFound(SnapshotNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, ProblemTypes.SNAPSHOT_NOT_FOUND, "Snapshot not found",
				ex.getMessage() + "; 'dilxc-client snapshots' lists them");
	}

	@ExceptionHandler(SnapshotExistsException.class)
	ProblemDetail snapshotExists(SnapshotExistsException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.SNAPSHOT_EXISTS, "Snapshot exists",
				ex.getMessage() + "; pick another name or delete it with 'dilxc-client snapshot-delete NAME'");
	}

	@ExceptionHandler(InstanceExistsException.class)
	ProblemDetail instanceExists(InstanceExistsException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Sandbox exists", ex.getMessage());
	}

	@ExceptionHandler(MemberUnavailableException.class)
	ProblemDetail memberUnavailable(MemberUnavailableException ex) {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.LXD_UNAVAILABLE, "Cluster member unavailable",
				ex.getMessage() + "; try again once the member is back ('dilxc-client status' shows the members)");
	}

	@ExceptionHandler(LxdException.class)
	ProblemDetail lxd(LxdException ex) {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.LXD_UNAVAILABLE, "LXD failed", ex.getMessage());
	}

	@ExceptionHandler(Exception.class)
	ProblemDetail unexpected(Exception ex) {
		logger.error("Unexpected error while serving a request", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL_ERROR, "Internal error",
				"the daemon failed unexpectedly (" + ex.getClass().getSimpleName() + "); its log has the details");
	}

	/**
	 * Spring MVC's own errors (a body that is not JSON, a bad parameter, an unknown
	 * endpoint) get our stable types too: the client's fault is invalid-request, anything
	 * else internal-error.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
			HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem) {
			problem.setType(statusCode.is4xxClientError() ? ProblemTypes.INVALID_REQUEST : ProblemTypes.INTERNAL_ERROR);
			switch (ex) {
				case HttpMessageNotReadableException unreadable ->
					problem.setDetail("the request body is not valid JSON for this endpoint: "
							+ firstLine(unreadable.getMostSpecificCause().getMessage()));
				case NoResourceFoundException missing -> problem.setDetail("the daemon has no endpoint /"
						+ missing.getResourcePath() + "; is the client a different version?");
				case TypeMismatchException mismatch -> problem.setDetail("'" + mismatch.getValue() + "' is not a valid "
						+ mismatch.getPropertyName() + ": " + firstLine(mismatch.getMessage()));
				default -> {
				}
			}
		}
		return response;
	}

	private static ProblemDetail problem(HttpStatus status, URI type, String title, @Nullable String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return problem;
	}

	private static String firstLine(@Nullable String text) {
		return (text == null) ? "" : text.lines().findFirst().orElse("");
	}

}
