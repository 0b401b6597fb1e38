package dev.dilxc.daemon.schedules;

import java.net.URI;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.api.JobView;
import dev.dilxc.api.ScheduleDetails;
import dev.dilxc.api.ScheduleRequest;
import dev.dilxc.api.ScheduleView;

/** {@code /api/schedules}: the HTTP face of {@link Schedules}. */
@RestController
@RequestMapping("/api/schedules")
class ScheduleController {

	private final Schedules schedules;

	ScheduleController(Schedules schedules) {
		this.schedules = schedules;
	}

	@PostMapping
	ResponseEntity<ScheduleView> add(@RequestBody ScheduleRequest request) {
		ScheduleView schedule = this.schedules.add(request);
		return ResponseEntity.created(URI.create("/api/schedules/" + schedule.id())).body(schedule);
	}

	@GetMapping
	List<ScheduleView> list() {
		return this.schedules.list();
	}

	@GetMapping("/{id}")
	ScheduleDetails details(@PathVariable long id) {
		return this.schedules.details(id);
	}

	@PostMapping("/{id}/pause")
	ScheduleView pause(@PathVariable long id) {
		return this.schedules.pause(id);
	}

	@PostMapping("/{id}/resume")
	ScheduleView resume(@PathVariable long id) {
		return this.schedules.resume(id);
	}

	@PostMapping("/{id}/run-now")
	ResponseEntity<JobView> runNow(@PathVariable long id) {
		JobView job = this.schedules.runNow(id);
		return ResponseEntity.created(URI.create("/api/jobs/" + job.id())).body(job);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> remove(@PathVariable long id) {
		this.schedules.remove(id);
		return ResponseEntity.noContent().build();
	}

}
