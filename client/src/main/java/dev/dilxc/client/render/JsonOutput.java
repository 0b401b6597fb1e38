package dev.dilxc.client.render;

import java.io.PrintWriter;

import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/** {@code --json} output: the wire records, pretty-printed, nothing else on stdout. */
public final class JsonOutput {

	private final ObjectWriter writer;

	public JsonOutput(JsonMapper json) {
		this.writer = json.writerWithDefaultPrettyPrinter();
	}

	public void print(Object value, PrintWriter out) {
		out.println(this.writer.writeValueAsString(value));
	}

}
