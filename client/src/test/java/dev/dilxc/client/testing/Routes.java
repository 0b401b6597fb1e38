package dev.dilxc.client.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.dilxc.client.ClientCommands;
import dev.dilxc.client.testing.FakeDaemon.Request;
import dev.dilxc.client.testing.FakeDaemon.Response;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scripted answers for {@link FakeDaemon} by {@code METHOD path} (query left out); a
 * route given several answers hands them out in order and repeats the last. Anything else
 * gets a 404 problem.
 */
public final class Routes implements Function<Request, Response> {

	private static final JsonMapper JSON = ClientCommands.jsonMapper();

	private final Map<String, Deque<Response>> routes = new LinkedHashMap<>();

	/**
	 * Answers {@code "GET /api/sandboxes/dev"} with these responses, in order, instead of
	 * any before.
	 */
	public synchronized Routes on(String route, Response... responses) {
		this.routes.put(route, new ArrayDeque<>(List.of(responses)));
		return this;
	}

	/** Answers the route with {@code body} as JSON and the given status. */
	public Routes json(String route, int status, Object body) {
		return on(route, Response.json(status, JSON.writeValueAsString(body)));
	}

	/** Answers the route with 204 No Content. */
	public Routes noContent(String route) {
		return on(route, new Response(204, "application/json", "", false, false));
	}

	@Override
	public synchronized Response apply(Request request) {
		Deque<Response> answers = this.routes.get(request.method() + " " + request.path());
		if (answers == null || answers.isEmpty()) {
			return Response.problem(404, "not-found", "no route for " + request.method() + " " + request.path());
		}
		return (answers.size() > 1) ? answers.removeFirst() : answers.getFirst();
	}

}
