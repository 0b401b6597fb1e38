package dev.dilxc.daemon.system;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import dev.dilxc.api.ProblemTypes;
import dev.dilxc.daemon.jobs.IllegalJobTransitionException;
import dev.dilxc.daemon.jobs.InvalidJobRequestException;
import dev.dilxc.daemon.jobs.JobAlreadyFinishedException;
import dev.dilxc.daemon.jobs.JobNotFoundException;
import dev.dilxc.daemon.lxd.LxdException;

/**
 * Turns domain exceptions into RFC 9457 problem details with a stable {@code type} per error (see
 * {@link ProblemTypes}); the client maps each type to a message and an exit code.
 */
@RestControllerAdvice
class ProblemDetailsAdvice {

	private static final Logger logger = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	@ExceptionHandler(InvalidJobRequestException.class)
	ProblemDetail invalidJob(InvalidJobRequestException ex) {
		return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", ex.getMessage());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ProblemDetail unreadable(HttpMessageNotReadableException ex) {
		return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request",
				"the request body is not valid JSON for this endpoint: " + firstLine(ex.getMostSpecificCause().getMessage()));
	}

	@ExceptionHandler({ MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class })
	ProblemDetail badParameter(Exception ex) {
		return problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request", firstLine(ex.getMessage()));
	}

	@ExceptionHandler(JobNotFoundException.class)
	ProblemDetail jobNotFound(JobNotFoundException ex) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, ProblemTypes.JOB_NOT_FOUND, "Job not found", ex.getMessage());
		problem.setProperty("jobId", ex.jobId());
		return problem;
	}

	@ExceptionHandler({ JobAlreadyFinishedException.class, IllegalJobTransitionException.class })
	ProblemDetail jobFinished(RuntimeException ex) {
		return problem(HttpStatus.CONFLICT, ProblemTypes.JOB_ALREADY_FINISHED, "Job already finished", ex.getMessage());
	}

	@ExceptionHandler(LxdException.class)
	ProblemDetail lxd(LxdException ex) {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.LXD_UNAVAILABLE, "LXD failed", ex.getMessage());
	}

	@ExceptionHandler(NoResourceFoundException.class)
	ProblemDetail noSuchEndpoint(NoResourceFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, ProblemTypes.INVALID_REQUEST, "No such endpoint",
				"the daemon has no endpoint " + ex.getResourcePath() + "; is the client a different version?");
	}

	@ExceptionHandler(Exception.class)
	ProblemDetail unexpected(Exception ex) {
		logger.error("Unexpected error while serving a request", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL_ERROR, "Internal error",
				"the daemon failed unexpectedly (" + ex.getClass().getSimpleName() + "); its log has the details");
	}

	private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return problem;
	}

	private static String firstLine(String text) {
		return (text == null) ? "" : text.lines().findFirst().orElse("");
	}
}
