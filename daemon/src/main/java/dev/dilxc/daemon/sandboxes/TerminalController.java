package dev.dilxc.daemon.sandboxes;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.dilxc.api.TerminalCommand;
import dev.dilxc.api.TerminalRequest;

/**
 * {@code POST /api/sandboxes/{name}/terminal}: the argv the client runs for an
 * interactive command.
 */
@RestController
class TerminalController {

	private final TerminalCommands terminals;

	TerminalController(TerminalCommands terminals) {
		this.terminals = terminals;
	}

	@PostMapping("/api/sandboxes/{name}/terminal")
	TerminalCommand terminal(@PathVariable String name,
			@RequestBody(required = false) @Nullable TerminalRequest request) {
		return this.terminals.terminal(name, request);
	}

}
