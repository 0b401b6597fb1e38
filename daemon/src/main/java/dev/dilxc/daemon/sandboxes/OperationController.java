package dev.dilxc.daemon.sandboxes;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.api.OperationEvents;
import dev.dilxc.api.ProblemTypes;

/** {@code /api/operations}: how a client follows a long operation it started. */
@RestController
@RequestMapping("/api/operations")
class OperationController {

	private final Operations operations;

	OperationController(Operations operations) {
		this.operations = operations;
	}

	@GetMapping("/{id}/events")
	OperationEvents events(@PathVariable long id, @RequestParam(defaultValue = "0") long after) {
		Operation operation = this.operations.find(id)
			.orElseThrow(() -> new SandboxException.Missing(ProblemTypes.NOT_FOUND, "the daemon has no operation " + id
					+ ": it remembers only the latest operations of its current run (a restarted daemon forgets them)"));
		// The view first, then the events: a client that sees a terminal state has every
		// event with it.
		var view = operation.view();
		return new OperationEvents(view, operation.eventsAfter(after));
	}

}
