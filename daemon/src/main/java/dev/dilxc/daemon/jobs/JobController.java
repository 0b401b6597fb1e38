package dev.dilxc.daemon.jobs;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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
	List<JobView> list(@RequestParam(required = false) String state, @RequestParam(required = false) String sandbox,
			@RequestParam(defaultValue = "50") int limit) {
		return this.queue.list(parseState(state), sandbox, limit);
	}

	@GetMapping("/{id}")
	JobDetails details(@PathVariable long id) {
		return this.queue.details(id);
	}

	@GetMapping("/{id}/output")
	OutputPage output(@PathVariable long id, @RequestParam(defaultValue = "0") long after,
			@RequestParam(defaultValue = "1000") int limit) {
		return this.queue.output(id, after, limit);
	}

	@PostMapping("/{id}/cancel")
	JobView cancel(@PathVariable long id) {
		return this.queue.cancel(id);
	}

	private static JobState parseState(String state) {
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
