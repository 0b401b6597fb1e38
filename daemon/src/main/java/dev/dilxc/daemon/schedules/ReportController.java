package dev.dilxc.daemon.schedules;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.api.ReportView;

/** {@code GET /api/report?since=&until=}: the morning review. */
@RestController
class ReportController {

	private final MorningReport report;

	ReportController(MorningReport report) {
		this.report = report;
	}

	@GetMapping("/api/report")
	ReportView report(@RequestParam(required = false) @Nullable String since,
			@RequestParam(required = false) @Nullable String until) {
		return this.report.report(instant("since", since), instant("until", until));
	}

	private static @Nullable Instant instant(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(value.strip());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidScheduleException("'" + value + "' is not a valid " + name + ": use an ISO-8601 instant "
					+ "such as 2026-11-28T02:00:00Z");
		}
	}

}
