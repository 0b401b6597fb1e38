package dev.dilxc.api;

import java.util.List;

/**
 * The answer to {@code POST /api/sandboxes/{name}/repair}.
 *
 * @param sandbox the sandbox
 * @param released whether it left quarantine (always true: a failed repair is an error)
 * @param steps what the repair did
 */
public record RepairResult(String sandbox, boolean released, List<String> steps) {
}
