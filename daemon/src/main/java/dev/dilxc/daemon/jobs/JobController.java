package dev.dilxc.daemon.jobs;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.api.JobDetails;
import dev.dilxc.api.JobState;
import dev.dilxc.api.JobView;
import dev.dilxc.api.OutputPage;
import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.ResumeJobRequest;
import dev.dilxc.api.SubmitJobRequest;

/** {@code /api/jobs}: the HTTP face of {@link JobQueue}. */
@RestController
@RequestMapping("/api/jobs")
class JobController {

	private final JobQueue queue;

	JobController(JobQueue queue) {
		this.queue = queue;
	}

	@PostMapping
	ResponseEntity<JobView> submit(@RequestBody SubmitJobRequest request) {
		JobView job = this.queue.submit(request);
		return ResponseEntity.created(URI.create("/api/jobs/" + job.id())).body(job);
	}

	@GetMapping
	List<JobView> list(@RequestParam(required = false) @Nullable String state,
			@RequestParam(required = false) @Nullable String sandbox, @RequestParam(defaultValue = "50") int limit) {
		return this.queue.list(parseState(state), sandbox, limit);
	}

	@GetMapping("/{id}")
	JobDetails details(@PathVariable long id) {
		return this.queue.details(id);
	}

	@GetMapping("/{id}/output")
	OutputPage output(@PathVariable long id, @RequestParam(defaultValue = "0") long after,
			@RequestParam(defaultValue = "1000") int limit, @RequestParam(defaultValue = "0") long waitMs)
			throws InterruptedException {
		// waitMs: a following client's long poll (see JobQueue#output with a wait); 0
		// answers at once.
		OutputPage page = this.queue.output(id, after, limit, java.time.Duration.ofMillis(waitMs));
		if (after <= 0 && page.lines().isEmpty()) {
			// Say the output was pruned rather than show an empty log.
			this.queue.pruned(id).ifPresent((why) -> {
				throw new JobPrunedException(id, why);
			});
		}
		return page;
	}

	@PostMapping("/{id}/cancel")
	JobView cancel(@PathVariable long id) {
		return this.queue.cancel(id);
	}

	@PostMapping("/{id}/retry")
	ResponseEntity<JobView> retry(@PathVariable long id) {
		JobView job = this.queue.retry(id);
		return ResponseEntity.created(URI.create("/api/jobs/" + job.id())).body(job);
	}

	@PostMapping("/{id}/resume")
	ResponseEntity<JobView> resume(@PathVariable long id,
			@RequestBody(required = false) @Nullable ResumeJobRequest request) {
		JobView job = this.queue.resume(id, (request != null) ? request.prompt() : null);
		return ResponseEntity.created(URI.create("/api/jobs/" + job.id())).body(job);
	}

	@GetMapping("/{id}/changes")
	ResponseEntity<?> changes(@PathVariable long id) {
		return this.queue.changes(id).<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> {
			this.queue.pruned(id).ifPresent((why) -> {
				throw new JobPrunedException(id, why);
			});
			JobView job = this.queue.view(id);
			String why = job.state().isTerminal()
					? "job " + id
							+ " has no captured changes: its agent never started, or the working copy could not be "
							+ "read (see 'dilxc-client job " + id + "')"
					: "job " + id + " is " + job.state().name().toLowerCase(Locale.ROOT)
							+ "; its changes are captured when its agent stops";
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, why);
			problem.setType(ProblemTypes.NOT_FOUND);
			problem.setTitle("Not found");
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		});
	}

	private static @Nullable JobState parseState(@Nullable String state) {
		if (state == null || state.isBlank()) {
			return null;
		}
		try {
			return JobState.valueOf(state.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidJobRequestException("unknown state '" + state + "': use one of "
					+ Arrays.stream(JobState.values()).map(Enum::name).collect(Collectors.joining(", ")));
		}
	}

}
