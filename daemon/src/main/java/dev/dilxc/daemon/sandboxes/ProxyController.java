package dev.dilxc.daemon.sandboxes;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.dilxc.api.ProblemTypes;
import dev.dilxc.api.ProxyView;

/**
 * {@code /api/sandboxes/{name}/proxies}. The body of a POST is read as a tree, not bound
 * to {@code ProxyRequest} directly, so that a port sent as {@code "080"} or
 * {@code 3000.5} is refused instead of quietly coerced.
 */
@RestController
@RequestMapping("/api/sandboxes/{name}/proxies")
class ProxyController {

	private final PortProxies proxies;

	ProxyController(PortProxies proxies) {
		this.proxies = proxies;
	}

	@GetMapping
	List<ProxyView> list(@PathVariable String name) {
		return this.proxies.list(name);
	}

	@PostMapping
	ResponseEntity<ProxyView> add(@PathVariable String name, @RequestBody(required = false) @Nullable JsonNode body) {
		if (body == null || !body.isObject()) {
			throw new SandboxException.BadRequest("say which port to publish, e.g. {\"containerPort\": 3000, "
					+ "\"hostPort\": 8080, \"publicBind\": false}");
		}
		JsonNode container = body.get("containerPort");
		if (container == null || container.isNull()) {
			throw new SandboxException.BadRequest("containerPort is missing: say which sandbox port to publish, e.g. "
					+ "'dilxc-client proxy add 3000'");
		}
		int containerPort = port("container port", container);
		JsonNode host = body.get("hostPort");
		int hostPort = (host == null || host.isNull()) ? containerPort : port("host port", host);
		JsonNode bind = body.get("publicBind");
		if (bind != null && !bind.isNull() && !bind.isBoolean()) {
			throw new SandboxException.BadRequest("publicBind must be true or false, not " + bind);
		}
		boolean publicBind = bind != null && bind.isBoolean() && bind.booleanValue();
		ProxyView proxy = this.proxies.add(name, containerPort, hostPort, publicBind);
		return ResponseEntity.created(URI.create("/api/sandboxes/" + name + "/proxies/" + proxy.hostPort()))
			.body(proxy);
	}

	@DeleteMapping("/{hostPort}")
	ResponseEntity<Void> remove(@PathVariable String name, @PathVariable String hostPort) {
		this.proxies.remove(name, hostPort);
		return ResponseEntity.noContent().build();
	}

	/**
	 * Every dilxc proxy; when some could not be removed, a problem that lists both
	 * outcomes.
	 */
	@DeleteMapping
	ResponseEntity<?> removeAll(@PathVariable String name) {
		PortProxies.Removal removal = this.proxies.removeAll(name);
		if (removal.failed().isEmpty()) {
			return ResponseEntity.ok(removal.removed());
		}
		StringBuilder detail = new StringBuilder("removed " + removal.removed().size() + " of "
				+ (removal.removed().size() + removal.failed().size()) + " proxies; could not remove ");
		removal.failed().forEach((device, error) -> detail.append(device).append(" (").append(error).append("); "));
		detail.setLength(detail.length() - 2);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail.toString());
		problem.setType(ProblemTypes.LXD_UNAVAILABLE);
		problem.setTitle("Some proxies were not removed");
		problem.setProperty("removed", removal.removed());
		problem.setProperty("failed", removal.failed());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
	}

	private static int port(String label, JsonNode node) {
		if (node.isIntegralNumber()) {
			java.math.BigInteger value = node.bigIntegerValue();
			if (value.signum() <= 0 || value.compareTo(java.math.BigInteger.valueOf(65535)) > 0) {
				throw PortProxies.invalidPort(label, value.toString());
			}
			return value.intValue();
		}
		if (node.isString()) {
			return PortProxies.parsePort(label, node.stringValue());
		}
		throw PortProxies.invalidPort(label, node.toString());
	}

}
