package dev.dilxc.daemon.system;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bad {@code dilxc.*} value stops the daemon naming the key, where it was set (file and
 * line, environment variable or argument), what was wrong, the key's meaning and default,
 * and how to fix it. Boot's own report names only the settings group and says "Update
 * your application's configuration". The meanings and defaults come from the
 * configuration metadata the build generates. Notification settings keep their own
 * analyzer (which wins, ordered first): their values may be secrets and are never
 * repeated.
 */
final class ConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

	private static final Pattern KEY = Pattern.compile("(?<![\\w.])dilxc\\.[a-z0-9-]+(\\.[a-z0-9-]+)+");

	private static final String SECRET_PREFIX = "dilxc.notifications.";

	private final Environment environment;

	ConfigurationFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		String group = cause.getName().toString();
		if (!group.startsWith("dilxc.")) {
			return null;
		}
		Throwable reason = (cause.getCause() != null) ? cause.getCause() : cause;
		String key;
		String value;
		Origin origin;
		ConfigurationProperty property = cause.getProperty();
		if (property != null) {
			// A value that does not convert (e.g. "abc" for a duration): Boot knows the
			// key.
			key = property.getName().toString();
			value = String.valueOf(property.getValue());
			origin = property.getOrigin();
			reason = mostSpecific(reason);
		}
		else {
			// A value the settings record refused (wrapped in Boot's "Failed to
			// instantiate"): its message names
			// the key.
			key = group;
			for (Throwable current = reason; current != null; current = (current.getCause() != current)
					? current.getCause() : null) {
				Matcher matcher = KEY.matcher(String.valueOf(current.getMessage()));
				if (current instanceof IllegalArgumentException && matcher.find()) {
					key = matcher.group();
					reason = current;
					break;
				}
			}
			ConfigurationProperty set = find(key).orElse(null);
			value = (set != null) ? String.valueOf(set.getValue()) : null;
			origin = (set != null) ? set.getOrigin() : null;
		}
		boolean secret = key.startsWith(SECRET_PREFIX);
		StringBuilder description = new StringBuilder("Invalid setting ").append(key);
		if (value != null && !secret) {
			description.append(" = '").append(value).append("'");
		}
		description.append(" (").append(where(origin)).append("): ").append(message(reason));
		return new FailureAnalysis(description.toString(), action(key, origin), cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	private Optional<ConfigurationProperty> find(String key) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty property = source.getConfigurationProperty(name);
			if (property != null) {
				return Optional.of(property);
			}
		}
		return Optional.empty();
	}

	/**
	 * "file /home/me/.config/dilxc/application.yml, line 3", or Boot's description of any
	 * other origin.
	 */
	static String where(@Nullable Origin origin) {
		if (origin == null) {
			return "not set: its default, or a value derived from other settings";
		}
		for (Origin current = origin; current != null; current = (current instanceof PropertySourceOrigin source)
				? source.getOrigin() : current.getParent()) {
			if (current instanceof TextResourceOrigin text && text.getResource() != null) {
				String file;
				try {
					file = text.getResource().isFile() ? text.getResource().getFile().getPath()
							: text.getResource().getDescription();
				}
				catch (IOException ex) {
					file = text.getResource().getDescription();
				}
				return (text.getLocation() != null) ? "file " + file + ", line " + (text.getLocation().getLine() + 1)
						: "file " + file;
			}
		}
		return "set by " + origin;
	}

	private static String action(String key, @Nullable Origin origin) {
		StringBuilder action = new StringBuilder();
		action.append((origin != null) ? "Correct or remove " + key + " where it is set (" + where(origin) + ")."
				: "Correct the related dilxc settings.");
		JsonNode documented = Metadata.PROPERTIES.get(key);
		if (documented != null) {
			String meaning = documented.path("description").asString("").replaceAll("\\{@code ([^}]*)}", "$1");
			if (!meaning.isBlank()) {
				action.append(" ").append(key).append(": ").append(meaning).append(".");
			}
			JsonNode defaultValue = documented.get("defaultValue");
			if (defaultValue != null && !defaultValue.isNull()) {
				action.append(" Default: ")
					.append(defaultValue.isArray()
							? String.join(",", defaultValue.valueStream().map(JsonNode::asString).toList())
							: defaultValue.asString())
					.append(".");
			}
			if (documented.path("type").asString("").equals("java.time.Duration")) {
				action.append(" Durations are written like 30s, 5m, 2h or 7d.");
			}
		}
		action.append(" Every setting is listed with its default in the commented file deploy/install.sh writes, ")
			.append(DaemonPaths.configFile())
			.append(".");
		return action.toString();
	}

	private static String message(Throwable reason) {
		String message = reason.getMessage();
		return (message != null && !message.isBlank()) ? message : reason.getClass().getSimpleName();
	}

	/**
	 * A conversion failure's useful words are in its innermost cause ("'abc' is not a
	 * valid duration").
	 */
	private static Throwable mostSpecific(Throwable reason) {
		Throwable current = reason;
		while (current.getCause() != null && current.getCause() != current) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * The generated metadata: every documented key with its description and default, read
	 * once.
	 */
	static final class Metadata {

		static final Map<String, JsonNode> PROPERTIES = load();

		private Metadata() {
		}

		private static Map<String, JsonNode> load() {
			Map<String, JsonNode> properties = new HashMap<>();
			ClassPathResource resource = new ClassPathResource("META-INF/spring-configuration-metadata.json");
			if (!resource.exists()) {
				return properties;
			}
			try (InputStream in = resource.getInputStream()) {
				for (JsonNode property : JsonMapper.shared().readTree(in).path("properties")) {
					properties.put(property.path("name").asString(), property);
				}
			}
			catch (IOException | RuntimeException ex) {
				// Only the advice gets shorter.
			}
			return properties;
		}

	}

}
